/** The 8-3-8 encoder's hidden codes as the seed's table and as a heat map; a trained encoder drawn. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import * as viz from '../../src/viz/index.js';
import { assertWellFormed, count } from './xml.js';

const eye8 = () => Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? 1 : 0)));

test("hidden codes: the seed's own numbers give the seed's table and known cell shades", () => {
  const codes = [[0.89, 0.04, 0.08], [0.01, 0.11, 0.88], [0.01, 0.97, 0.27], [0.99, 0.97, 0.71],
    [0.03, 0.05, 0.02], [0.22, 0.99, 0.99], [0.8, 0.01, 0.98], [0.6, 0.94, 0.01]];
  const c = { inputs: eye8(), codes, outputs: eye8() };
  const table = viz.hiddenCodesTable(c).split('\n');
  assert.equal(table.length, 9);
  assert.match(table[0], /^Input\s+Hidden Values\s+Output$/);
  assert.equal(table[1], '10000000 -> .89 .04 .08   -> 10000000');
  assert.equal(table[8], '00000001 -> .60 .94 .01   -> 00000001');
  const svg = viz.hiddenCodes(c);
  assertWellFormed(svg);
  assert.equal(count(svg, /class="code"/), 24);
  const cell = (row: number, unit: number) => svg.match(new RegExp(`data-row="${row}" data-unit="${unit}" data-value="([\\d.]+)"[^>]*fill="([^"]+)"`))!.slice(1);
  assert.deepEqual(cell(0, 0), ['0.89', 'rgb(35,71,123)'], '0.89 of the way from white to dark blue');
  assert.deepEqual(cell(4, 2), ['0.02', 'rgb(250,251,252)']);
  assert.throws(() => viz.hiddenCodes({ inputs: eye8(), codes: codes.slice(1) }), /one code row per input, got 8 inputs and 7 codes/);
});

test('the 8-3-8 encoder, trained here, reproduces all 8 inputs through 3 sigmoid units, and is drawn', async () => {
  const eye = st.tensor(eye8());
  const init = (seed: number) => ({ className: 'GlorotUniform', config: { seed } });
  const model = st.sequential({ layers: [
    st.layers.dense({ units: 3, activation: 'sigmoid', inputShape: [8], kernelInitializer: init(5), name: 'hidden' }),
    st.layers.dense({ units: 8, activation: 'sigmoid', kernelInitializer: init(6), name: 'reproduced' }),
  ] });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
  await model.fit(eye, eye, { epochs: 800, batchSize: 8, verbose: 0 });
  const c = viz.hiddenCodesOf(model, eye);
  assert.equal(c.layer, 'hidden');
  assert.deepEqual(c.outputs, eye8(), 'every input reproduced');
  assert.equal(c.codes.length, 8);
  assert.ok(c.codes.every((r) => r.length === 3 && r.every((v) => v > 0 && v < 1)));
  assert.equal(new Set(c.codes.map((r) => r.map((v) => (v > 0.5 ? 1 : 0)).join(''))).size, 8, 'eight distinct codes (near-binary)');
  const table = viz.hiddenCodesTable(c);
  console.log(table);
  assert.equal(table.split('\n').length, 9);
  const svg = viz.hiddenCodes(c);
  assertWellFormed(svg);
  assert.equal(count(svg, /class="code"/), 24);
  assert.match(svg, /hidden values of &quot;hidden&quot;/);
});
