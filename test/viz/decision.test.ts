/** Decision regions: one cell per grid point coloured by the predicted class, the data on top, panels side by side. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import * as viz from '../../src/viz/index.js';
import { assertWellFormed, count } from './xml.js';

/** A fixed logistic unit: class 1 exactly where x1 > 0. */
function signOfX1(): st.LayersModel {
  const m = st.sequential({ layers: [st.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] });
  m.layers[0].setWeights([st.tensor([[10], [0]]), st.tensor([0])]);
  return m;
}

const regionClasses = (svg: string) => [...svg.matchAll(/class="region" data-class="(\d+)"/g)].map((m) => Number(m[1]));

test('decision regions: a known classifier gives the known cells, and every point is drawn where it lies', () => {
  const data = { x: st.tensor([[-0.5, 0.5], [0.5, -0.5], [1, 1]]), y: st.tensor([0, 1, 1], [3], 'int32') };
  const svg = viz.decisionRegions(signOfX1(), data, { gridSize: 4, bounds: [-1, 1, -1, 1], title: 'x1 > 0', mergeRuns: false });
  assertWellFormed(svg);
  assert.equal(count(svg, /class="region"/), 16);
  assert.deepEqual(regionClasses(svg), [0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
  const fills = [...svg.matchAll(/class="region" data-class="\d" [^>]*fill="([^"]+)"/g)].map((m) => m[1]);
  assert.equal(fills[0], 'rgb(177,207,229)', 'class 0: pale blue');
  assert.equal(fills[3], 'rgb(241,179,180)', 'class 1: pale red');
  const points = [...svg.matchAll(/class="point" data-class="(\d)" cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
  // the plot spans x 40..260 and y 70..290 (40 of heading, 30 of panel title): (1, 1) is the top-right corner
  assert.deepEqual(points, [[0, 95, 125], [1, 205, 235], [1, 260, 70]]);
  // by default a row's run of equal cells is one rect: two runs of two cells per row
  const merged = viz.decisionRegions(signOfX1(), data, { gridSize: 4, bounds: [-1, 1, -1, 1] });
  assertWellFormed(merged);
  const runs = [...merged.matchAll(/class="region" data-class="(\d)" data-cells="(\d+)"[^>]* width="([\d.]+)"/g)].map((m) => m.slice(1).map(Number));
  assert.deepEqual(runs, Array(4).fill([[0, 2, 110.05], [1, 2, 110.05]]).flat());
  assert.throws(() => viz.decisionRegions(signOfX1(), { x: st.zeros([3, 3]), y: data.y }), /expected data.x as \[n, 2\] points, got \[3, 3\]/);
  assert.throws(() => viz.decisionRegions(signOfX1(), data, { gridSize: 1 }), /gridSize must be an integer in 2\.\.400, got 1/);
});

test('decision regions grid: one panel per model; softmax outputs take the argmax; one-hot labels accepted', () => {
  const three = st.sequential({ layers: [st.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
  // class 2 wins in the top row (x2 = 0.75), below it class 0 left and class 1 right of x1 = 0
  three.layers[0].setWeights([st.tensor([[-10, 10, 0], [0, 0, 40]]), st.tensor([0, 0, -10])]);
  const data = st.data.fourGaussians({ n: 40, seed: 1 });
  const oneHot = { x: st.tensor([[0, 0], [1, 1]]), y: st.tensor([[1, 0, 0], [0, 0, 1]]) };
  const svg = viz.decisionRegionsGrid([
    { model: signOfX1(), data, title: 'one unit' },
    { model: three, data: oneHot, title: 'three classes' },
  ], { gridSize: 4, bounds: [-1, 1, -1, 1], columns: 2, mergeRuns: false });
  assertWellFormed(svg);
  assert.equal(count(svg, /class="panel"/), 2);
  assert.equal(count(svg, /class="region"/), 32);
  assert.equal(count(svg, /class="point"/), 40 + 2);
  assert.deepEqual(regionClasses(svg).slice(16), [2, 2, 2, 2, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
  assert.deepEqual([...svg.matchAll(/class="point" data-class="(\d)"/g)].slice(40).map((m) => Number(m[1])), [0, 2]);
  assert.match(svg, /one unit/);
  assert.throws(() => viz.decisionRegionsGrid([]), /non-empty list/);
});

test('hidden unit regions: each logistic unit of the hidden layer gets a panel of where it exceeds 0.5', () => {
  const m = st.sequential({ layers: [
    st.layers.dense({ units: 2, activation: 'sigmoid', inputShape: [2], name: 'hidden' }),
    st.layers.dense({ units: 1, activation: 'sigmoid' }),
  ] });
  // unit 0 fires right of x1 = 0, unit 1 above x2 = 0
  m.layers[0].setWeights([st.tensor([[10, 0], [0, 10]]), st.tensor([0, 0])]);
  const data = { x: st.tensor([[-1, -1], [1, 1]]), y: st.tensor([0, 1], [2], 'int32') };
  const svg = viz.hiddenUnitRegions(m, data, { gridSize: 2, bounds: [-1, 1, -1, 1], mergeRuns: false });
  assertWellFormed(svg);
  assert.equal(count(svg, /class="panel"/), 2);
  assert.deepEqual(regionClasses(svg), [0, 1, 0, 1, 1, 1, 0, 0], 'rows from the top: unit 0 right column, unit 1 top row');
  assert.match(svg, /hidden unit 1/);
  assert.throws(() => viz.hiddenUnitRegions(m, data, { layerName: 'nope' }), /expected layer "nope"/);
});

test('decisionRegionsPng: the cells as pixel blocks, the points as class-coloured dots', async () => {
  const pngjs = (await import('pngjs')).default;
  const data = { x: st.tensor([[-1, -1]]), y: st.tensor([1], [1], 'int32') };
  const png = pngjs.PNG.sync.read(viz.decisionRegionsPng(signOfX1(), data, { gridSize: 4, bounds: [-1, 1, -1, 1], cellSize: 5 }));
  assert.deepEqual([png.width, png.height], [20, 20]);
  const at = (x: number, y: number) => Array.from(png.data.subarray((y * 20 + x) * 4, (y * 20 + x) * 4 + 3));
  assert.deepEqual(at(2, 2), [177, 207, 229], 'left half: class 0, pale blue');
  assert.deepEqual(at(17, 2), [241, 179, 180], 'right half: class 1, pale red');
  assert.deepEqual(at(0, 19), [0xd6, 0x27, 0x28], 'the point (-1, -1) of class 1 in the bottom-left corner, full red');
  assert.deepEqual(at(1, 18), [0xd6, 0x27, 0x28]);
});
