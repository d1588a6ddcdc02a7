/**
 * The image preprocessing layers (Rescaling, Resizing, CenterCrop, RandomWidth) against
 * tfjs-layers 4.22 on the same inputs, their errors, and a save/load round trip (striate and
 * TensorFlow.js reading the file).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { ready, tf, tfl, tfLoad } from '../io/tfjs_interop.js';
import { assertClose, assertThrowsMessage, testValues } from '../helpers.js';

function pair(shape: number[], seed: number, dtype: 'float32' | 'int32' = 'float32'): [st.Tensor, tf.Tensor] {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from(testValues(n, seed), (v) => (dtype === 'int32' ? Math.floor((v + 1) * 128) : v));
  return [st.tensor(values, shape, dtype), tf.tensor(values, shape, dtype)];
}

function same(ours: st.Tensor, theirs: tf.Tensor, what: string, tol = 1e-5): void {
  assert.deepEqual([...ours.shape], [...theirs.shape], `${what}: shape`);
  assert.equal(ours.dtype, theirs.dtype, `${what}: dtype`);
  assertClose(Array.from(ours.dataSync()), Array.from(theirs.dataSync()), tol, what);
}

test('preprocessing layers: TensorFlow.js on its cpu backend', async () => {
  await ready();
});

test('rescaling: x * scale + offset in float32, as tfjs-layers', () => {
  for (const [args, dtype] of [[{ scale: 1 / 255 }, 'int32'], [{ scale: 2, offset: -1 }, 'float32']] as const) {
    const [x, tx] = pair([2, 3, 4, 3], 1, dtype);
    same(st.layers.rescaling(args).apply(x) as st.Tensor, tfl.layers.rescaling(args).apply(tx) as tf.Tensor,
      `rescaling ${JSON.stringify(args)} ${dtype}`);
  }
});

test('resizing: bilinear and nearest, cropToAspectRatio on and off, as tfjs-layers', () => {
  for (const interpolation of ['bilinear', 'nearest'] as const) {
    for (const cropToAspectRatio of [false, true]) {
      const args = { height: 5, width: 7, interpolation, cropToAspectRatio };
      const [x, tx] = pair([2, 4, 3, 2], 2);
      same(st.layers.resizing(args).apply(x) as st.Tensor, tfl.layers.resizing(args).apply(tx) as tf.Tensor,
        `resizing ${JSON.stringify(args)}`);
    }
  }
  const [x3, tx3] = pair([6, 5, 3], 3);
  same(st.layers.resizing({ height: 2, width: 3 }).apply(x3) as st.Tensor,
    tfl.layers.resizing({ height: 2, width: 3 }).apply(tx3) as tf.Tensor, 'resizing one image');
  assert.deepEqual(st.layers.resizing({ height: 5, width: 7 }).computeOutputShape([null, 4, 3, 2]), [null, 5, 7, 2]);
});

test('centerCrop: smaller crop, odd margins, one-column margin, upsizing, int32 kept, as tfjs-layers', () => {
  const cases: [number[], number, number, 'float32' | 'int32'][] = [
    [[2, 8, 9, 3], 4, 5, 'float32'], [[1, 7, 6, 1], 4, 5, 'float32'], [[6, 6, 2], 3, 3, 'int32'],
    [[1, 4, 5, 2], 6, 3, 'float32'], [[2, 3, 3, 1], 5, 6, 'float32'], [[1, 5, 5, 2], 5, 5, 'float32'],
  ];
  for (const [shape, height, width, dtype] of cases) {
    const [x, tx] = pair(shape, 4, dtype);
    same(st.layers.centerCrop({ height, width }).apply(x) as st.Tensor,
      tfl.layers.centerCrop({ height, width }).apply(tx) as tf.Tensor, `centerCrop ${height}x${width} of [${shape}] ${dtype}`);
  }
  assert.deepEqual(st.layers.centerCrop({ height: 2, width: 3 }).computeOutputShape([null, 8, 8, 3]), [null, 2, 3, 3]);
});

test('randomWidth: identity at inference; in training a seeded random width in range, the same resize', () => {
  const [x] = pair([2, 4, 10, 3], 5);
  const layer = st.layers.randomWidth({ factor: [-0.5, 0.3], seed: 7 });
  assert.equal(layer.apply(x), x, 'inference passes the input through');
  const widths = new Set<number>();
  for (let i = 0; i < 12; i++) {
    const y = layer.apply(x, { training: true }) as st.Tensor;
    const w = y.shape[2];
    assert.ok(w >= 5 && w <= 13, `width ${w} in [round(10 * 0.5), round(10 * 1.3)]`);
    assert.deepEqual([y.shape[0], y.shape[1], y.shape[3]], [2, 4, 3]);
    assertClose(Array.from(y.dataSync()), Array.from(st.image.resizeBilinear(x, [4, w]).dataSync()), 1e-6, 'bilinear resize');
    widths.add(w);
  }
  assert.ok(widths.size > 2, `widths vary: ${[...widths]}`);
  const again = st.layers.randomWidth({ factor: [-0.5, 0.3], seed: 7 });
  const first = st.layers.randomWidth({ factor: [-0.5, 0.3], seed: 7 });
  assert.equal((again.apply(x, { training: true }) as st.Tensor).shape[2], (first.apply(x, { training: true }) as st.Tensor).shape[2],
    'the same seed gives the same width');
  // tfjs-layers 4.22 draws its own random numbers, so only a fixed factor can be compared
  const [xs, txs] = pair([1, 3, 6, 2], 6);
  const fixed = { factor: [0.5, 0.5] as [number, number], interpolation: 'nearest' as const };
  same(st.layers.randomWidth(fixed).apply(xs, { training: true }) as st.Tensor,
    tfl.layers.randomWidth(fixed).apply(txs) as tf.Tensor, 'randomWidth with factor [0.5, 0.5]');
  assert.deepEqual(layer.computeOutputShape([null, 4, 10, 3]), [null, 4, null, 3]);
});

test('preprocessing layers: clear errors for bad options', () => {
  assertThrowsMessage(() => st.layers.rescaling({} as never), /Rescaling "rescaling.*": scale must be a number or a list of numbers, got undefined/);
  assertThrowsMessage(() => st.layers.resizing({ height: 2, width: 0 }), /width must be a positive integer, got 0/);
  assertThrowsMessage(() => st.layers.resizing({ height: 2, width: 2, interpolation: 'bicubic' as never }),
    /interpolation must be 'bilinear' or 'nearest', got "bicubic"/);
  assertThrowsMessage(() => st.layers.centerCrop({ height: 1.5, width: 2 }), /height must be a positive integer, got 1.5/);
  assertThrowsMessage(() => st.layers.randomWidth({ factor: -0.2 }), /factor must be a positive number or \[lower, upper\], got -0.2/);
  assertThrowsMessage(() => st.layers.randomWidth({ factor: [0.4, 0.1] }), /upper bound 0.1 is below its lower bound 0.4/);
  assertThrowsMessage(() => st.layers.randomWidth({ factor: [-1.5, 0.1] }), /must not go below -1/);
});

test('preprocessing layers: a model saves and loads (striate and TensorFlow.js read the file)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-preprocessing-'));
  const model = st.sequential({ layers: [
    st.layers.rescaling({ scale: 1 / 127.5, offset: -1, inputShape: [9, 8, 3] }),
    st.layers.centerCrop({ height: 6, width: 6 }),
    st.layers.resizing({ height: 4, width: 5, interpolation: 'nearest' }),
    st.layers.randomWidth({ factor: 0.2, seed: 3 }),
    st.layers.globalAveragePooling2d({}),
    st.layers.dense({ units: 2 }),
  ] });
  await model.save(`file://${dir}`);
  const loaded = await st.loadLayersModel(`file://${dir}/model.json`);
  assert.deepEqual(loaded.layers.map((l) => l.className),
    ['Rescaling', 'CenterCrop', 'Resizing', 'RandomWidth', 'GlobalAveragePooling2D', 'Dense']);
  const configs = (m: st.LayersModel) => m.layers.slice(0, 4).map((l) => { const { name: _n, ...c } = l.getConfig(); return c; });
  assert.deepEqual(configs(loaded), configs(model));
  const [x, tx] = pair([2, 9, 8, 3], 8, 'int32');
  const ours = model.predict(x) as st.Tensor;
  assertClose(Array.from((loaded.predict(x) as st.Tensor).dataSync()), Array.from(ours.dataSync()), 1e-6, 'reloaded model');
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const layerConfig = json.modelTopology.config.layers[2].config;
  assert.equal(layerConfig.crop_to_aspect_ratio, false, 'snake_case keys in the file');
  // tfjs-layers 4.22 cannot build a model with Resizing or RandomWidth in it (its Resizing gives
  // [height, width, inputShape[2]] as the output shape, its RandomWidth a -1 width), so it reads a
  // model of the other two; its CenterCrop also writes its output shape into the model's input
  // shape (predict then refuses the real input), so the loaded layers are applied one by one
  const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-preprocessing-'));
  const small = st.sequential({ layers: [
    st.layers.rescaling({ scale: 1 / 127.5, offset: -1, inputShape: [9, 8, 3] }),
    st.layers.centerCrop({ height: 5, width: 6 }),
    st.layers.globalAveragePooling2d({}),
    st.layers.dense({ units: 2 }),
  ] });
  await small.save(`file://${dir2}`);
  const tfModel = await tfLoad(dir2);
  assert.deepEqual(tfModel.layers.map((l) => l.getClassName()), ['Rescaling', 'CenterCrop', 'GlobalAveragePooling2D', 'Dense']);
  const theirs = tfModel.layers.reduce((y: tf.Tensor, l) => l.apply(y) as tf.Tensor, tx);
  same(small.predict(x) as st.Tensor, theirs, 'tfjs-layers on our file');
});

test('preprocessing layers: Rescaling with per-channel scale and offset lists (as Keras files have them)', () => {
  const layer = st.layers.rescaling({ scale: [1, 2, 3], offset: [0, 1, -1] });
  const y = layer.apply(st.tensor([[[[1, 1, 1], [2, 2, 2]]]])) as st.Tensor;
  assert.deepEqual(Array.from(y.dataSync()), [1, 3, 2, 2, 5, 5]);
});
