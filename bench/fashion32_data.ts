/**
 * Fashion-MNIST as a CIFAR-sized input for the "same learning" comparison (bench/fashion32_parity.ts):
 * each 28x28 grey image gets 2 pixels of zeros on every side (32x32) and its grey value copied to
 * three channels, NHWC, values as they come (the idx reader already scales them to [0, 1]).
 * Batches are built on demand from the 28x28 data, so the 60,000 padded images (737 MB as
 * float32) never sit in memory at once.
 */

export const SIDE = 32;
export const CHANNELS = 3;
/** zeros added on each side of a 28x28 image */
export const PAD = 2;

/**
 * Writes images `order[from]`, ..., `order[from + n - 1]` of `xs` (grey, `n` x `src` x `src`)
 * padded to 32x32x3 into `out` (at least n * 32 * 32 * 3 long) and returns the filled view.
 */
export function padBatch(xs: Float32Array, src: number, order: ArrayLike<number>, from: number, n: number,
  out: Float32Array): Float32Array {
  if (src + 2 * PAD !== SIDE) throw new Error(`padBatch: expected ${SIDE - 2 * PAD}x${SIDE - 2 * PAD} images, got ${src}x${src}`);
  const size = SIDE * SIDE * CHANNELS;
  if (out.length < n * size) throw new Error(`padBatch: out holds ${out.length} values, ${n} images need ${n * size}`);
  const view = out.subarray(0, n * size);
  view.fill(0);
  for (let b = 0; b < n; b++) {
    const image = order[from + b];
    const base = image * src * src;
    if (image < 0 || base + src * src > xs.length) throw new Error(`padBatch: image ${image} is outside the ${xs.length / (src * src)} images given`);
    for (let y = 0; y < src; y++) {
      let o = b * size + ((y + PAD) * SIDE + PAD) * CHANNELS;
      for (let x = 0; x < src; x++) {
        const v = xs[base + y * src + x];
        view[o] = v;
        view[o + 1] = v;
        view[o + 2] = v;
        o += CHANNELS;
      }
    }
  }
  return view;
}

/** A seeded Fisher-Yates shuffle of 0..n-1 (mulberry32), so a run can be repeated. */
export function shuffledOrder(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
