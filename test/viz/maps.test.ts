/** Filters and feature maps: well-formed SVG, one tile per channel, and known kernels/images give known pixels. */
import test from 'node:test';
import assert from 'node:assert/strict';
import pngjs from 'pngjs';
import * as st from '../../src/index.js';
import * as viz from '../../src/viz/index.js';
import { assertWellFormed, count, pixelFills } from './xml.js';

const grey = (b: number) => [b, b, b];

test('filters: a known grey kernel gives known pixels, each filter scaled to its own range', () => {
  // [kh=2, kw=2, inC=1, outC=2]: filter 0 holds 0, 1, 2, 3 row-major; filter 1 is constant 5
  const kernel = st.tensor([0, 5, 1, 5, 2, 5, 3, 5], [2, 2, 1, 2]);
  const svg = viz.filters(kernel, { title: 'two <filters>' });
  assertWellFormed(svg);
  assert.equal(count(svg, /class="tile"/), 2);
  assert.equal(count(svg, /class="px"/), 8);
  assert.deepEqual(pixelFills(svg), [grey(0), grey(85), grey(170), grey(255), grey(128), grey(128), grey(128), grey(128)]);
  assert.match(svg, /each filter scaled to its own range/);
  assert.match(svg, /two &lt;filters&gt;/);
  assert.match(svg, /data-filter="0" data-min="0" data-max="3"/);
});

test('filters: a first layer with 3 input channels is drawn in colour; other layers one grey tile per input channel', () => {
  const rgbKernel = st.tensor([0, 1, 0.5], [1, 1, 3, 1]);
  const svg = viz.filters(rgbKernel);
  assertWellFormed(svg);
  assert.deepEqual(pixelFills(svg), [[0, 255, 128]]);
  assert.match(svg, /red, green, blue/);

  const model = st.sequential({ layers: [
    st.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [8, 8, 3] }),
    st.layers.conv2d({ filters: 2, kernelSize: 3 }),
  ] });
  const first = viz.filters(model.layers[0]);
  assertWellFormed(first);
  assert.equal(count(first, /class="tile"/), 4);
  assert.equal(count(first, /class="px"/), 4 * 9);
  const second = viz.filters(model.layers[1]);
  assert.equal(count(second, /class="tile"/), 2 * 4, 'one tile per (filter, input channel)');
  assert.throws(() => viz.filters(st.layers.dense({ units: 3, inputShape: [2] }) as never), /no 4-D kernel/);
  assert.throws(() => viz.filters(st.zeros([3, 3])), /expected "kernel" to be a kernel \[kh, kw, inC, outC\], got shape \[3, 3\]/);
});

test('filtersPng: the same pixels in a PNG sheet', () => {
  const kernel = st.tensor([0, 5, 1, 5, 2, 5, 3, 5], [2, 2, 1, 2]);
  const png = pngjs.PNG.sync.read(viz.filtersPng(kernel, { pixelSize: 1 }));
  assert.equal(png.width, 10);
  assert.equal(png.height, 6);
  const at = (x: number, y: number) => png.data[(y * png.width + x) * 4];
  assert.deepEqual([at(2, 2), at(3, 2), at(2, 3), at(3, 3)], [0, 85, 170, 255]);
  assert.deepEqual([at(6, 2), at(7, 3)], [128, 128]);
  assert.equal(at(0, 0), 255, 'white between tiles');
});

test("feature maps: the seeds' edge-detection kernel on a vertical edge gives the known map", () => {
  const model = st.sequential({ layers: [st.layers.conv2d({ filters: 1, kernelSize: 3, useBias: false, inputShape: [6, 6, 1], name: 'edges' })] });
  // the seed's kernel [[1,1,1],[1,-8,1],[1,1,1]] with the sign flipped: bright where a pixel exceeds its neighbours
  model.layers[0].setWeights([st.tensor([-1, -1, -1, -1, 8, -1, -1, -1, -1], [3, 3, 1, 1])]);
  const image = st.tensor(Array.from({ length: 36 }, (_, k) => (k % 6 >= 3 ? 1 : 0)), [6, 6, 1]);
  // columns of the 4x4 valid output: 0 (all dark), -3 (dark beside the edge), 3 (bright beside it), 0 (all bright)
  const out = viz.layerOutput(model, image, 'edges');
  assert.deepEqual(Array.from(out.dataSync()), [0, -3, 3, 0, 0, -3, 3, 0, 0, -3, 3, 0, 0, -3, 3, 0]);
  const svg = viz.featureMaps(model, image, 'edges');
  assertWellFormed(svg);
  assert.equal(count(svg, /class="layer"/), 1);
  assert.equal(count(svg, /class="px"/), 16);
  assert.match(svg, /data-channel="0" data-min="-3" data-max="3"/);
  const row = [grey(128), grey(0), grey(255), grey(128)];
  assert.deepEqual(pixelFills(svg), [...row, ...row, ...row, ...row]);
  assert.match(svg, /each map scaled to its own range/);
  assert.throws(() => viz.featureMaps(model, image, 'nope'), /has no layer "nope"; its layers are .*edges/);
  assert.throws(() => viz.featureMaps(model, st.zeros([2, 6, 6, 1])), /expected one sample/);
});

test('feature maps of every layer: a section per layer, a tile per channel, vectors as one strip', () => {
  const model = st.sequential({ layers: [
    st.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 1] }),
    st.layers.maxPooling2d({ poolSize: 2 }),
    st.layers.flatten(),
    st.layers.dense({ units: 3, activation: 'softmax' }),
  ] });
  const image = st.tensor(Array.from({ length: 36 }, (_, k) => k / 35), [1, 6, 6, 1]);
  const svg = viz.featureMaps(model, image);
  assertWellFormed(svg);
  assert.equal(count(svg, /class="layer"/), 5, 'input, conv, pool, flatten, dense');
  assert.equal(count(svg, /class="tile"/), 1 + 2 + 2 + 1 + 1);
  assert.equal(count(svg, /class="px"/), 36 + 2 * 36 + 2 * 9 + 18 + 3);
  assert.match(svg, /dense\w* \(Dense\) \[batch, 3\]/);
  const png = pngjs.PNG.sync.read(viz.featureMapsPng(model, image, undefined, { pixelSize: 1 }));
  assert.deepEqual([png.width, png.height], [2 + 2 * 5, 2 + 5], 'the last image-shaped layer (pooling, 2 maps of 3x3)');
});
