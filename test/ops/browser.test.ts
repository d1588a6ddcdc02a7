/**
 * st.browser in Node: fromPixels on ImageData-like objects and canvas-like objects, toPixels and
 * draw onto a stand-in canvas, against TensorFlow.js' tf.browser on the same objects.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { assertThrowsMessage, testValues } from '../helpers.js';

function rgba(width: number, height: number, seed: number): Uint8Array {
  return Uint8Array.from(testValues(width * height * 4, seed), (v) => Math.floor((v + 1) * 128));
}

/** A canvas stand-in: a 2d context that keeps what was put and hands back its pixels. */
class FakeCanvas {
  width: number;
  height: number;
  put: { data: Uint8ClampedArray; width: number; height: number } | null = null;
  contextArgs: unknown[] = [];
  constructor(width: number, height: number, private pixels: Uint8Array = new Uint8Array(width * height * 4)) {
    this.width = width;
    this.height = height;
  }
  getContext(...args: unknown[]) {
    this.contextArgs = args;
    return {
      getImageData: (x: number, y: number, w: number, h: number) => {
        assert.deepEqual([x, y, w, h], [0, 0, this.width, this.height]);
        return { data: new Uint8ClampedArray(this.pixels), width: w, height: h };
      },
      putImageData: (image: { data: Uint8ClampedArray; width: number; height: number }, x: number, y: number) => {
        assert.deepEqual([x, y], [0, 0]);
        this.put = image;
      },
    };
  }
}

function same(ours: st.Tensor, theirs: tf.Tensor, what: string): void {
  assert.deepEqual([...ours.shape], [...theirs.shape], `${what}: shape`);
  assert.equal(ours.dtype, theirs.dtype, `${what}: dtype`);
  assert.deepEqual(Array.from(ours.dataSync()), Array.from(theirs.dataSync()), `${what}: values`);
}

test('browser: TensorFlow.js on its cpu backend', async () => {
  await tf.setBackend('cpu');
});

test('fromPixels: {data, width, height} with 1 to 4 channels, as TensorFlow.js', () => {
  const pixels = { data: rgba(5, 3, 1), width: 5, height: 3 };
  for (const channels of [1, 2, 3, 4]) {
    same(st.browser.fromPixels(pixels, channels), tf.browser.fromPixels(pixels, channels), `${channels} channels`);
  }
  same(st.browser.fromPixels(pixels), tf.browser.fromPixels(pixels), 'default 3 channels');
  // ImageData holds a Uint8ClampedArray, which tfjs' plain-object check misses in Node
  const clamped = { data: new Uint8ClampedArray(pixels.data), width: 5, height: 3 };
  same(st.browser.fromPixels(clamped, 4), tf.browser.fromPixels(pixels, 4), 'Uint8ClampedArray data');
});

test('fromPixels and fromPixelsAsync: a canvas-like object is read through its 2d context, as TensorFlow.js', async () => {
  const canvas = new FakeCanvas(4, 6, rgba(4, 6, 2));
  same(st.browser.fromPixels(canvas as unknown as HTMLCanvasElement),
    tf.browser.fromPixels(canvas as unknown as HTMLCanvasElement), 'canvas');
  same(await st.browser.fromPixelsAsync(canvas as unknown as HTMLCanvasElement, 4),
    await tf.browser.fromPixelsAsync(canvas as unknown as HTMLCanvasElement, 4), 'canvas, async');
});

test('fromPixels: clear errors', () => {
  const pixels = { data: rgba(2, 2, 3), width: 2, height: 2 };
  assertThrowsMessage(() => st.browser.fromPixels(pixels, 5), /fromPixels: numChannels must be 1, 2, 3 or 4, got 5/);
  assertThrowsMessage(() => st.browser.fromPixels(null as never), /fromPixels: pixels is null/);
  assertThrowsMessage(() => st.browser.fromPixels({ width: 2 } as never), /pixels must be ImageData, .* got Object/);
  assertThrowsMessage(() => st.browser.fromPixels({ data: new Uint8Array(10), width: 2, height: 2 }),
    /2 x 2 RGBA pixels need 16 bytes, the data has 10/);
});

test('toPixels: RGBA bytes of float32, int32, grey, RGB and RGBA images, as TensorFlow.js', async () => {
  const cases: [number[], 'float32' | 'int32'][] = [[[3, 4, 3], 'float32'], [[2, 5], 'int32'], [[3, 2, 4], 'int32'], [[2, 3, 1], 'float32']];
  for (const [shape, dtype] of cases) {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = Array.from(testValues(n, 4), (v) => (dtype === 'int32' ? Math.floor((v + 1) * 128) : (v + 1) / 2));
    const ours = await st.browser.toPixels(st.tensor(values, shape, dtype));
    const theirs = await tf.browser.toPixels(tf.tensor(values, shape, dtype) as unknown as tf.Tensor3D);
    assert.ok(ours instanceof Uint8ClampedArray);
    assert.deepEqual(Array.from(ours), Array.from(theirs), `[${shape}] ${dtype}`);
  }
  // a nested array is taken as int32 pixel values
  assert.deepEqual(Array.from(await st.browser.toPixels([[[10, 20, 30]]])), [10, 20, 30, 255]);
  const canvas = new FakeCanvas(1, 1);
  const bytes = await st.browser.toPixels(st.tensor([[0, 1]], [1, 2]), canvas as unknown as HTMLCanvasElement);
  assert.deepEqual([canvas.width, canvas.height], [2, 1]);
  assert.deepEqual(Array.from(canvas.put!.data), Array.from(bytes));
  assert.deepEqual(Array.from(bytes), [0, 0, 0, 255, 255, 255, 255, 255]);
  await assert.rejects(st.browser.toPixels(st.tensor([[1.5]], [1, 1])), /toPixels: float32 values must be in \[0, 1\], got 1.5/);
  await assert.rejects(st.browser.toPixels(st.tensor([[[1, 2]]], [1, 1, 2], 'int32')), /expected 1, 3 or 4 channels, got shape \[1,1,2\]/);
  await assert.rejects(st.browser.toPixels(st.tensor([[300]], [1, 1], 'int32')), /int32 values must be in \[0, 255\], got 300/);
});

test('draw: onto a canvas through its 2d context, with imageOptions.alpha, as TensorFlow.js', () => {
  // tfjs' cpu draw builds an ImageData, which Node lacks: a stand-in for the comparison
  const g = globalThis as Record<string, unknown>;
  g.ImageData = class { constructor(public data: Uint8ClampedArray, public width: number, public height: number) {} };
  try {
    const values = Array.from(testValues(2 * 3 * 3, 5), (v) => (v + 1) / 2);
    for (const options of [undefined, { imageOptions: { alpha: 0.5 } }]) {
      const ours = new FakeCanvas(1, 1);
      const theirs = new FakeCanvas(1, 1);
      st.browser.draw(st.tensor(values, [2, 3, 3]), ours as unknown as HTMLCanvasElement, options);
      tf.browser.draw(tf.tensor(values, [2, 3, 3]) as tf.Tensor3D, theirs as unknown as HTMLCanvasElement, options);
      assert.deepEqual([ours.width, ours.height], [3, 2]);
      assert.deepEqual(Array.from(ours.put!.data), Array.from(theirs.put!.data), `draw ${JSON.stringify(options)}`);
    }
  } finally {
    delete g.ImageData;
  }
  const canvas = new FakeCanvas(1, 1);
  assertThrowsMessage(() => st.browser.draw(st.tensor([[0.5]], [1, 1]), canvas as unknown as HTMLCanvasElement,
    { contextOptions: { contextType: 'webgl' } }), /contextType 'webgl' is not supported/);
  assertThrowsMessage(() => st.browser.draw(st.tensor([[0.5]], [1, 1]), canvas as unknown as HTMLCanvasElement,
    { imageOptions: { alpha: 2 } }), /imageOptions.alpha must be in \[0, 1\], got 2/);
  assertThrowsMessage(() => st.browser.draw(st.tensor([[0.5]], [1, 1]), {} as never), /expected a canvas/);
});
