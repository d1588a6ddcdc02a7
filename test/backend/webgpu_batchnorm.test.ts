/**
 * The webgpu backend's batch normalisation, dropout masks and scatterAdd against the js backend,
 * through the ops (the path a model takes), same inputs:
 * - batchNormTraining's y, mean and variance and its gradients w.r.t. x, scale and offset, and
 *   inference batchNorm, on shapes with batch 1, odd sizes, more than 64 channels (two channel
 *   tiles) and enough rows to be summed in several chunks; with and without scale and offset.
 *   Sums run in other orders on the GPU: tolerance 1e-4 of max(1, |ref|).
 * - dropout masks: the same draws, bit for bit, for sizes around the 256-draw chunk of a GPU
 *   thread, seeded and from the global stream (whose state must advance exactly as on js), and
 *   the CPU jump-ahead of the generator against stepping it.
 * - scatterAdd (the embedding gradient), float32 and int32, repeated and out-of-range indices.
 * Then that their buffers are all released, that the GPU kernels ran (calls counted) and that
 * nothing fell back. Skipped, with the reason printed, where Dawn finds no GPU adapter.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { Random } from '../../src/tensor/random.js';
import type { WebGpuBackend } from '../../src/backend/webgpu/backend.js';
import { jumpState, stepState } from '../../src/backend/webgpu/random.js';
import { rng } from './wasm_compare.js';
import { startWebGpu } from './webgpu_env.js';

const reason = await startWebGpu();
const gpu = st.findBackend('webgpu') as WebGpuBackend;
if (reason) console.log(`webgpu batchNorm/dropout tests skipped: ${reason}`);
const gtest = (name: string, fn: () => void | Promise<void>): void => {
  test(`webgpu batchnorm: ${name}`, async (t) => {
    if (reason) return t.skip(reason);
    await fn();
  });
};

const TOL = 1e-4;
let seed = 11;
const calls: Record<string, number> = {};
function count(name: 'batchNorm' | 'batchNormGrad' | 'dropoutMask' | 'scatterAdd'): void {
  const proto = Object.getPrototypeOf(gpu) as Record<string, (...a: unknown[]) => unknown>;
  const fn = proto[name];
  (gpu as unknown as Record<string, unknown>)[name] = function (this: unknown, ...a: unknown[]) {
    calls[name] = (calls[name] ?? 0) + 1;
    return fn.apply(this, a);
  };
}
if (!reason) for (const k of ['batchNorm', 'batchNormGrad', 'dropoutMask', 'scatterAdd'] as const) count(k);

function values(n: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed++);
  return Float32Array.from({ length: n }, () => lo + (r(1 << 20) / (1 << 20)) * (hi - lo));
}

/** `f` on js and on webgpu with the same inputs; the outputs' values, js first. */
async function both(f: () => st.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const out: Float32Array[][] = [];
  for (const name of ['js', 'webgpu']) {
    await st.setBackend(name);
    const ts = f();
    out.push(await Promise.all(ts.map(async (t) => Float32Array.from(await t.data() as Float32Array))));
    ts.forEach((t) => t.dispose());
  }
  return [out[0], out[1]];
}

function close(what: string, ref: Float32Array, got: Float32Array): void {
  assert.equal(got.length, ref.length, `${what}: length`);
  for (let i = 0; i < ref.length; i++) {
    if (!(Math.abs(got[i] - ref[i]) <= TOL * Math.max(1, Math.abs(ref[i])))) {
      assert.fail(`${what}: element ${i} of ${ref.length}: js ${ref[i]}, webgpu ${got[i]}`);
    }
  }
}

// channel tiles of 4, 8, 16, 64 (two tiles for 67) and 1; [2, 33, 17, 3] and [5000, 1] span several row chunks
const SHAPES = [[1, 3], [5, 7], [2, 3, 5, 9], [3, 67], [2, 33, 17, 3], [5000, 1]];
/** the shapes also run without scale and offset, and with scale only (each variant compiles its own kernels) */
const ALL_VARIANTS = new Set(['5,7', '2,33,17,3']);

gtest('batchNormTraining: y, mean, variance and the gradients w.r.t. x, scale and offset', async () => {
  for (const shape of SHAPES) {
    const c = shape[shape.length - 1];
    const n = shape.reduce((a, b) => a * b, 1);
    // an offset from zero, so that a variance from E[x²] - E[x]² would lose digits
    const xv = values(n, 2, 4), sv = values(c, 0.5, 1.5), ov = values(c), dyv = values(n);
    const variants = ALL_VARIANTS.has(String(shape)) ? [[true, true], [false, false], [true, false]] : [[true, true]];
    for (const [withScale, withOffset] of variants) {
      const [ref, got] = await both(() => {
        const x = st.tensor(xv, shape), s = withScale ? st.tensor1d(sv) : null, o = withOffset ? st.tensor1d(ov) : null;
        const r = st.batchNormTraining(x, s, o, 1e-3);
        const args = [x, ...(s ? [s] : []), ...(o ? [o] : [])];
        const g = st.grads((...a: st.Tensor[]) =>
          st.batchNormTraining(a[0], withScale ? a[1] : null, withOffset ? a[withScale ? 2 : 1] : null, 1e-3).y)(
          args, st.tensor(dyv, shape));
        return [r.y, r.mean, r.variance, ...g];
      });
      const names = ['y', 'mean', 'variance', 'dx', ...(withScale ? ['dScale'] : []), ...(withOffset ? ['dOffset'] : [])];
      names.forEach((name, k) => close(`[${shape}] scale=${withScale} offset=${withOffset} ${name}`, ref[k], got[k]));
    }
  }
});

gtest('batchNorm inference with given statistics (no gradient recorded)', async () => {
  for (const shape of SHAPES) {
    const c = shape[shape.length - 1];
    const n = shape.reduce((a, b) => a * b, 1);
    const xv = values(n), mv = values(c), vv = values(c, 0.1, 2), sv = values(c), ov = values(c);
    for (const full of [true, false]) {
      const [ref, got] = await both(() => [st.batchNorm(st.tensor(xv, shape), st.tensor1d(mv), st.tensor1d(vv),
        full ? st.tensor1d(ov) : null, full ? st.tensor1d(sv) : null, 1e-3)]);
      close(`inference [${shape}] full=${full}`, ref[0], got[0]);
    }
  }
});

gtest('dropout: the same masks as js, seeded and from the global stream', async () => {
  for (const n of [1, 255, 256, 257, 1000, 70001]) {
    for (const rate of n === 1000 ? [0.1, 0.5, 0.9] : [0.5]) {
      const x = values(n, 1, 2);
      const [ref, got] = await both(() => {
        st.setSeed(n + Math.round(rate * 100));
        const t = st.tensor1d(x);
        // a seeded mask, then two from the global stream: the state must move on exactly
        return [st.dropout(t, rate, 5), st.dropout(t, rate), st.dropout(t, rate), st.randomUniform([3], 0, 1)];
      });
      ref.forEach((r, k) => assert.deepEqual(got[k], r, `n=${n} rate=${rate}: output ${k} differs from js`));
    }
  }
});

test('webgpu random: the generator jumped ahead by n equals n steps', () => {
  for (const n of [0, 1, 2, 255, 256, 1000, 65537, 1 << 20]) {
    const r = new Random(n + 3);
    const start = r.getState().slice(0, 4);
    const s = Uint32Array.from(start, (v) => v >>> 0);
    for (let k = 0; k < n; k++) stepState(s);
    for (let k = 0; k < Math.min(n, 5); k++) r.nextUint32();
    assert.deepEqual([...jumpState(start, n)], [...s], `jump by ${n}`);
  }
});

gtest('scatterAdd (gather\'s gradient): float32 and int32, repeated and out-of-range indices', async () => {
  const cases: [number[], number[], number][] = [[[7, 3], [0, 2, 2, 6, 0], 0], [[2, 5, 4], [4, 4, 4, 1], 1], [[9], [8, 8], 0],
    [[3, 11, 1], [10, 0, 10, 10, 5, 10, 3], 1]];
  for (const [shape, idx, axis] of cases) {
    for (const dtype of ['float32', 'int32'] as const) {
      const xn = shape.reduce((a, b) => a * b, 1);
      const dyShape = [...shape.slice(0, axis), idx.length, ...shape.slice(axis + 1)];
      const dyn = dyShape.reduce((a, b) => a * b, 1);
      const dyv = dtype === 'int32' ? Int32Array.from(values(dyn), (v) => Math.round(v * 50)) : values(dyn);
      const [ref, got] = await both(() => {
        const x = st.tensor(values(xn).fill(0), shape);
        if (dtype === 'float32') {
          return [st.grad((t: st.Tensor) => st.gather(t, st.tensor1d(idx, 'int32'), axis))(x, st.tensor(dyv, dyShape))];
        }
        return [st.cast(scatterInt(dyv as Int32Array, dyShape, idx, axis, shape), 'float32')];
      });
      close(`scatterAdd ${dtype} [${shape}] axis ${axis} at [${idx}]`, ref[0], got[0]);
    }
  }
});

/** scatterAdd of int32 updates through the backend interface (the ops send only float gradients). */
function scatterInt(dy: Int32Array, dyShape: number[], idx: number[], axis: number, shape: number[]): st.Tensor {
  const u = st.tensor(dy, dyShape, 'int32');
  const i = st.tensor1d(idx, 'int32');
  const be = st.findBackend(st.getBackend());
  const id = be.scatterAdd({ dataId: u.dataId, shape: u.shape, dtype: 'int32' }, { dataId: i.dataId, shape: i.shape, dtype: 'int32' },
    axis, shape);
  const out = st.tensor(Int32Array.from(be.read(id) as Int32Array), shape, 'int32');
  be.decRef(id);
  return out;
}

gtest('batch norm, its gradients, dropout and scatterAdd leave no GPU buffer behind', async () => {
  // the kernels themselves (through the Backend interface for the gradients: st.grads inside
  // tidy keeps a buffer or two on every backend, js included, which is not these kernels' doing)
  await st.setBackend('webgpu');
  const x = st.tensor(values(60, 2, 4), [4, 5, 3]);
  const s = st.tensor1d(values(3, 0.5, 1.5));
  const idx = st.tensor1d([0, 2, 2], 'int32');
  const u = st.tensor(values(36), [4, 3, 3]);
  const info = (t: st.Tensor) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
  const before = gpu.memory().numBuffers;
  st.tidy(() => {
    st.batchNormTraining(x, s, s);
    st.batchNorm(x, s, s, s, s);
    st.dropout(x, 0.5, 1);
  });
  const g = gpu.batchNormGrad(info(x), info(x), info(s), info(s), info(s), 1e-3)!;
  [g.dx, g.dScale, g.dOffset].forEach((id) => gpu.decRef(id));
  gpu.decRef(gpu.scatterAdd(info(u), info(idx), 1, [4, 5, 3]));
  assert.equal(gpu.memory().numBuffers, before, 'live GPU buffers after the kernels\' outputs were released');
  [x, s, idx, u].forEach((t) => t.dispose());
});

gtest('the GPU kernels ran, and nothing fell back', () => {
  for (const k of ['batchNorm', 'batchNormGrad', 'dropoutMask', 'scatterAdd']) assert.ok((calls[k] ?? 0) > 0, `${k} never ran on webgpu`);
  assert.deepEqual(gpu.fallbacks(), []);
});
