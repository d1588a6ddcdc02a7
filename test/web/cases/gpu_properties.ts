/**
 * Property checks of a backend's kernels against the reference `js` backend on random shapes
 * (odd sizes, batch 1, every stride / padding / dilation the op accepts), forward and gradients:
 * conv2d, depthwise conv2d, max and average pooling, matMul with every transpose (plain and
 * batched), reductions and arg-reductions over several axes, softmax and its cross-entropy.
 * `registerCases()` records the cases with node:test; each computes on the backend in use when
 * it starts (the one under test), then again on js, and compares. The suite worker (browser) and
 * a Node test call it after switching to webgpu. Shapes come from a seeded generator, so a
 * failure names a shape that reproduces.
 *
 * Cases are few on purpose: on SwiftShader each new shape compiles new pipelines (slowly), so
 * every case packs its variants into one shape family.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../../src/index.js';

/** |gpu - js| <= TOL * max(1, |js|): float32 sums in other orders */
const TOL = 2e-4;

function generator(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const int = (rand: () => number, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

function values(n: number, rand: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => rand() * 2 - 1);
}

type Out = Record<string, st.Tensor>;

/** `f` on the backend in use and then on js (inputs made afresh on each); their values by name. */
async function onBoth(f: () => Out): Promise<{ under: string; got: Record<string, Float32Array | Int32Array>; want: Record<string, Float32Array | Int32Array> }> {
  const under = st.getBackend();
  const read = (): Record<string, Float32Array | Int32Array> => {
    const out = st.tidy(f);
    const r: Record<string, Float32Array | Int32Array> = {};
    for (const [k, t] of Object.entries(out)) {
      r[k] = (t.dtype === 'int32' ? Int32Array : Float32Array).from(t.dataSync() as ArrayLike<number>);
      t.dispose();
    }
    return r;
  };
  const got = read();
  await st.setBackend('js');
  try {
    return { under, got, want: read() };
  } finally {
    await st.setBackend(under);
  }
}

async function compare(what: string, f: () => Out): Promise<void> {
  const { under, got, want } = await onBoth(f);
  for (const k of Object.keys(want)) {
    const a = got[k], b = want[k];
    assert.equal(a.length, b.length, `${what}, ${k}: ${under} gave ${a.length} values, js ${b.length}`);
    for (let i = 0; i < b.length; i++) {
      if (!(Math.abs(a[i] - b[i]) <= TOL * Math.max(1, Math.abs(b[i])))) {
        assert.fail(`${what}, ${k}[${i}]: ${under} ${a[i]}, js ${b[i]} (tolerance ${TOL} relative)`);
      }
    }
  }
}

/** The output, and the gradients of sum(output * r) for a fixed random r, of `op` on `inputs`. */
function withGrads(op: (...xs: st.Tensor[]) => st.Tensor, inputs: st.Tensor[], rand: () => number, names: string[]): Out {
  const y = op(...inputs);
  const r = st.tensor(values(y.size, rand), y.shape);
  const g = st.grads((...xs: st.Tensor[]) => st.sum(st.mul(op(...xs), r)))(inputs);
  const out: Out = { y };
  g.forEach((d, i) => (out[`d${names[i]}`] = d));
  return out;
}

type Pad = 'same' | 'valid' | [number, number][];
const EXPLICIT: [number, number][] = [[0, 0], [1, 2], [2, 0], [0, 0]];

export function registerCases(): void {
  // conv2d: every stride / dilation pairing the op accepts (stride > 1 with dilation > 1 is not),
  // each with 'same', 'valid' and explicit padding; batch 1 and 2, odd sizes
  const convCombos: [number, number][] = [[1, 1], [2, 1], [1, 2]];
  for (const [stride, dilation] of convCombos) {
    for (const pad of ['same', 'valid', EXPLICIT] as Pad[]) {
      const label = typeof pad === 'string' ? pad : 'explicit';
      test(`conv2d vs js: stride ${stride}, dilation ${dilation}, ${label} padding, forward and both gradients`, async () => {
        const rand = generator(100 * stride + 10 * dilation + label.length);
        const shape = [int(rand, 1, 2), int(rand, 7, 9), int(rand, 6, 8), int(rand, 1, 3)];
        const filter = [int(rand, 1, 3), int(rand, 2, 3), shape[3], int(rand, 2, 5)];
        const xv = values(shape.reduce((a, b) => a * b), rand), wv = values(filter.reduce((a, b) => a * b), rand);
        const seed = rand() * 1e9;
        await compare(`conv2d x [${shape}] filter [${filter}] stride ${stride} dilation ${dilation} pad ${JSON.stringify(pad)}`, () =>
          withGrads((x, w) => st.conv2d(x, w, stride, pad, 'NHWC', dilation),
            [st.tensor(xv, shape), st.tensor(wv, filter)], generator(seed), ['x', 'filter']));
      });
    }
  }

  test('depthwise conv2d vs js: stride 1 and 2, dilation 2, same / valid / explicit, channel multiplier 1 and 2, with gradients', async () => {
    const rand = generator(7);
    const combos: [number, number, Pad, number][] = [[1, 1, 'same', 2], [2, 1, 'valid', 1], [1, 2, 'same', 1], [2, 1, EXPLICIT, 2]];
    for (const [stride, dilation, pad, multiplier] of combos) {
      const shape = [int(rand, 1, 2), int(rand, 5, 9), int(rand, 5, 8), int(rand, 1, 3)];
      const filter = [3, int(rand, 2, 3), shape[3], multiplier];
      const xv = values(shape.reduce((a, b) => a * b), rand), wv = values(filter.reduce((a, b) => a * b), rand);
      const seed = rand() * 1e9;
      await compare(`depthwiseConv2d x [${shape}] filter [${filter}] stride ${stride} dilation ${dilation} pad ${JSON.stringify(pad)}`, () =>
        withGrads((x, w) => st.depthwiseConv2d(x, w, stride, pad, 'NHWC', dilation),
          [st.tensor(xv, shape), st.tensor(wv, filter)], generator(seed), ['x', 'filter']));
    }
  });

  test('max and average pooling vs js: 2x2 stride 2 valid, 3x3 stride 1 same, 3x2 stride 2 same, with gradients', async () => {
    const rand = generator(11);
    const combos: [[number, number], number, 'same' | 'valid'][] = [[[2, 2], 2, 'valid'], [[3, 3], 1, 'same'], [[3, 2], 2, 'same']];
    for (const [size, stride, pad] of combos) {
      const shape = [int(rand, 1, 2), int(rand, 5, 9), int(rand, 5, 8), int(rand, 1, 4)];
      const xv = values(shape.reduce((a, b) => a * b), rand);
      const seed = rand() * 1e9;
      const what = `pool ${size} stride ${stride} ${pad} on [${shape}]`;
      await compare(`maxPool ${what}`, () =>
        withGrads((x) => st.maxPool(x, size, stride, pad), [st.tensor(xv, shape)], generator(seed), ['x']));
      await compare(`avgPool ${what}`, () =>
        withGrads((x) => st.avgPool(x, size, stride, pad), [st.tensor(xv, shape)], generator(seed), ['x']));
    }
  });

  // plain and batched share the GEMM kernel; each transpose pairing is a pipeline of its own
  // (SwiftShader compiles each in seconds), so the four pairings alternate plain and batched
  test('matMul vs js: every transpose, plain and batched, odd sizes, with gradients', async () => {
    const rand = generator(13);
    for (const [ta, tb, batch] of [[false, false, 0], [true, false, 3], [false, true, 1], [true, true, 0]] as const) {
      const m = int(rand, 1, 9), k = int(rand, 1, 17), n = int(rand, 1, 11);
      const lead = batch ? [batch] : [];
      const aShape = [...lead, ...(ta ? [k, m] : [m, k])], bShape = [...lead, ...(tb ? [n, k] : [k, n])];
      const av = values(aShape.reduce((x, y) => x * y), rand), bv = values(bShape.reduce((x, y) => x * y), rand);
      const seed = rand() * 1e9;
      await compare(`matMul [${aShape}]${ta ? 'ᵀ' : ''} x [${bShape}]${tb ? 'ᵀ' : ''}`, () =>
        withGrads((a, b) => st.matMul(a, b, ta, tb), [st.tensor(av, aShape), st.tensor(bv, bShape)], generator(seed), ['a', 'b']));
    }
  });

  test('reductions vs js: sum, mean, max, min, logSumExp, argMax, argMin over axes of an odd rank-3 tensor, with gradients', async () => {
    const rand = generator(17);
    const shape = [int(rand, 1, 3), int(rand, 5, 9), int(rand, 3, 7)];
    const xv = values(shape.reduce((a, b) => a * b), rand);
    // the innermost axis, outer axes together (kept), and all: each a pipeline family of its own
    for (const axis of [2, [0, 1], undefined] as (number | number[] | undefined)[]) {
      const seed = rand() * 1e9;
      const keep = Array.isArray(axis);
      for (const [name, op] of [['sum', st.sum], ['mean', st.mean], ['max', st.max], ['logSumExp', st.logSumExp]] as const) {
        await compare(`${name} over ${JSON.stringify(axis)} of [${shape}]`, () =>
          withGrads((x) => (op as (x: st.Tensor, a?: number | number[], k?: boolean) => st.Tensor)(x, axis, keep),
            [st.tensor(xv, shape)], generator(seed), ['x']));
      }
      await compare(`min over ${JSON.stringify(axis)} of [${shape}]`, () => ({ y: st.min(st.tensor(xv, shape), axis, keep) }));
    }
    await compare(`argMax / argMin over 1 and 2 of [${shape}]`, () => ({
      argMax: st.argMax(st.tensor(xv, shape), 1), argMin: st.argMin(st.tensor(xv, shape), 2),
    }));
  });

  test('softmax and softmax cross-entropy vs js on odd shapes, with gradients', async () => {
    const rand = generator(19);
    const rows = int(rand, 1, 7), classes = int(rand, 3, 13);
    const logits = values(rows * classes, rand).map((v) => v * 4);
    const labels = new Float32Array(rows * classes);
    for (let r = 0; r < rows; r++) labels[r * classes + int(rand, 0, classes - 1)] = 1;
    const seed = rand() * 1e9;
    await compare(`softmax [${rows}, ${classes}]`, () =>
      withGrads((x) => st.softmax(x), [st.tensor(logits, [rows, classes])], generator(seed), ['logits']));
    await compare(`softmaxCrossEntropy [${rows}, ${classes}]`, () =>
      withGrads((x) => st.losses.softmaxCrossEntropy(st.tensor(labels, [rows, classes]), x),
        [st.tensor(logits, [rows, classes])], generator(seed), ['logits']));
  });
}
