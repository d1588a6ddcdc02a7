/** The model diagram: a box per layer call with its shape and parameters, a connector per tensor, skips drawn as skips. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import * as viz from '../../src/viz/index.js';
import { assertWellFormed, count } from './xml.js';

const boxes = (svg: string) => [...svg.matchAll(/class="layer-box" data-layer="([^"]+)" data-class="([^"]+)" data-params="(\d+)"/g)]
  .map((m) => [m[1], m[2], Number(m[3])]);
const edges = (svg: string) => [...svg.matchAll(/<path class="(edge(?: skip)?)" data-from="([^"]+)" data-to="([^"]+)"/g)].map((m) => `${m[2]}>${m[3]}${m[1] === 'edge skip' ? ' (skip)' : ''}`);

test('model graph of a functional model with a residual Add: the skip connection is drawn', () => {
  const x = st.input({ shape: [4], name: 'x' });
  const a = st.layers.dense({ units: 4, activation: 'relu', name: 'a' }).apply(x) as st.SymbolicTensor;
  const b = st.layers.dense({ units: 4, name: 'b' }).apply(a) as st.SymbolicTensor;
  const sum = st.layers.add({ name: 'sum' }).apply([a, b]) as st.SymbolicTensor;
  const out = st.layers.dense({ units: 2, activation: 'softmax', name: 'out' }).apply(sum) as st.SymbolicTensor;
  const svg = viz.modelGraph(st.model({ inputs: x, outputs: out, name: 'residual' }));
  assertWellFormed(svg);
  assert.deepEqual(boxes(svg), [['x', 'InputLayer', 0], ['a', 'Dense', 20], ['b', 'Dense', 20], ['sum', 'Add', 0], ['out', 'Dense', 10]]);
  assert.deepEqual(edges(svg), ['x>a', 'a>b', 'a>sum (skip)', 'b>sum', 'sum>out']);
  assert.equal(count(svg, /class="shape"/), 5);
  assert.match(svg, /output \(None, 4\)/);
  assert.match(svg, /output \(None, 2\)/);
  assert.match(svg, /model &quot;residual&quot;: 5 layers, 5 connections, 50 parameters/);
  // the skip runs to the right of every box: its control points lie beyond the boxes' right edge
  const d = svg.match(/class="edge skip"[^>]* d="([^"]+)"/)![1].split(/[ ,]+/).filter((v) => /^[\d.]+$/.test(v)).map(Number);
  const rights = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="230"/g)].map((m) => Number(m[1]) + 230);
  assert.ok(d[2] > Math.max(...rights), `control point x ${d[2]} beyond the boxes (${Math.max(...rights)})`);
});

test('model graph of a Sequential CNN: one column, shapes and parameter counts as in summary()', () => {
  const m = st.sequential({ name: 'cnn', layers: [
    st.layers.conv2d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1], name: 'conv' }),
    st.layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
    st.layers.flatten({ name: 'flat' }),
    st.layers.dense({ units: 10, activation: 'softmax', name: 'probs' }),
  ] });
  const svg = viz.modelGraph(m);
  assertWellFormed(svg);
  assert.equal(count(svg, /class="layer-box"/), 5);
  assert.deepEqual(edges(svg), ['cnn_input>conv', 'conv>pool', 'pool>flat', 'flat>probs']);
  assert.deepEqual(boxes(svg).map((b) => b[2]), [0, 208, 0, 0, 15690]);
  assert.match(svg, /output \(None, 14, 14, 8\)/);
  assert.match(svg, /params 15,690/);
  const xs = new Set([...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="230"/g)].map((mm) => mm[1]));
  assert.equal(xs.size, 1, 'a plain stack is one column');
  assert.throws(() => viz.modelGraph(st.sequential({ layers: [st.layers.dense({ units: 2 })] })), /not built yet/);
});
