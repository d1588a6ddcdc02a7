/**
 * The wasm backend's 3-D convolution and pooling kernels (assembly/conv3d.ts,
 * assembly/pool3d.ts, wired in src/backend/wasm/volume_ops.ts) against the reference backend:
 * forward values and both convolution gradients, the four pooling kernels, over shapes with
 * batch 1 and > 1, one and several channels (off the GEMM's 8-wide panel and the 4-lane SIMD
 * width), strides 1 to 3, dilations, 'same' padding that is asymmetric or negative (a window
 * smaller than its stride), 'valid' and numeric padding, and pooling windows wholly in the
 * padding (dimRoundingMode 'ceil'). Pooling must give the reference's bits, ties and NaNs
 * included; the convolutions sum in another order, so they are compared to a tolerance. The
 * results must not depend on the thread count.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as st from '../../src/index.js';

type Pad = 'same' | 'valid' | number;
type Triple = number | [number, number, number];
interface ConvCase { x: number[]; f: number[]; stride: Triple; pad: Pad; dilation: Triple }

const convCases: ConvCase[] = [
  { x: [1, 5, 6, 7, 1], f: [3, 3, 3, 1, 1], stride: 1, pad: 'same', dilation: 1 },
  { x: [2, 6, 5, 7, 3], f: [3, 2, 3, 3, 10], stride: 1, pad: 'same', dilation: 1 },
  { x: [3, 7, 6, 5, 4], f: [2, 3, 2, 4, 5], stride: 2, pad: 'same', dilation: 1 },
  { x: [2, 9, 8, 10, 2], f: [3, 3, 3, 2, 9], stride: [1, 2, 3], pad: 'valid', dilation: 1 },
  { x: [1, 9, 10, 9, 5], f: [3, 2, 3, 5, 7], stride: 1, pad: 'valid', dilation: [2, 3, 1] },
  { x: [2, 8, 7, 9, 3], f: [2, 3, 3, 3, 4], stride: 1, pad: 'same', dilation: 2 },
  { x: [2, 6, 6, 6, 6], f: [3, 3, 3, 6, 8], stride: 3, pad: 1, dilation: 1 },
  { x: [2, 7, 7, 7, 3], f: [1, 1, 1, 3, 17], stride: 2, pad: 'same', dilation: 1 },
  // 'same' with a 1-wide window and stride 2 on an even size: negative padding (the vol2col path)
  { x: [2, 6, 6, 8, 3], f: [1, 1, 1, 3, 9], stride: 2, pad: 'same', dilation: 1 },
  // numeric padding past the window's reach: the stride-1 input gradient has negative padding
  { x: [1, 4, 4, 4, 20], f: [2, 2, 2, 20, 3], stride: 1, pad: 2, dilation: 1 },
  // K = 27 * 40 > the GEMM's K block of 256, and more output channels than one panel row
  { x: [2, 5, 5, 5, 40], f: [3, 3, 3, 40, 24], stride: 1, pad: 'same', dilation: 1 },
];

/** The values of the tensors `body` makes, which are disposed after. */
function values<T extends Float32Array | Float64Array>(body: () => st.Tensor[]): T[] {
  const ts = st.tidy(body);
  const out = ts.map((t) => t.dataSync() as T);
  st.dispose(ts);
  return out;
}

function describe(c: ConvCase): string {
  return `x [${c.x}] f [${c.f}] stride ${JSON.stringify(c.stride)} pad ${c.pad} dilation ${JSON.stringify(c.dilation)}`;
}

/** y, dx and dW of sum(conv3d(x, f) * w) for a random weighting w. */
function convRun(backend: string, c: ConvCase, seed: number): Float32Array[] {
  st.setBackend(backend);
  return values(() => {
    const x = st.randomUniform(c.x, -1, 1, 'float32', seed);
    const f = st.randomUniform(c.f, -1, 1, 'float32', seed + 1);
    const y = st.conv3d(x, f, c.stride, c.pad, 'NDHWC', c.dilation);
    const w = st.randomUniform(y.shape as number[], -1, 1, 'float32', seed + 2);
    const [dx, df] = st.grads((a: st.Tensor, b: st.Tensor) =>
      st.sum(st.mul(st.conv3d(a, b, c.stride, c.pad, 'NDHWC', c.dilation), w)))([x, f]);
    return [y, dx, df];
  });
}

function assertNear(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  let scale = 1e-3;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  for (let j = 0; j < want.length; j++) {
    if (!(Math.abs(got[j] - want[j]) <= 2e-5 * scale)) {
      assert.fail(`${what}: element ${j}: js ${want[j]}, wasm ${got[j]}`);
    }
  }
}

function assertSameBits(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let j = 0; j < want.length; j++) {
    // any NaN matches any NaN (the payload is not part of the contract)
    if (Number.isNaN(got[j]) && Number.isNaN(want[j])) continue;
    if (g[j] !== w[j]) assert.fail(`${what}: element ${j}: js ${want[j]}, wasm ${got[j]}`);
  }
}

test('conv3d and both of its gradients on wasm match the reference backend', () => {
  convCases.forEach((c, i) => {
    const want = convRun('js', c, 10 * i);
    const got = convRun('wasm', c, 10 * i);
    ['y', 'dx', 'dW'].forEach((name, k) => assertNear(got[k], want[k], `${name} for ${describe(c)}`));
  });
});

test('conv3dTranspose (the input gradient with strides > 1) on wasm matches the reference', () => {
  const cases: { x: number[]; f: number[]; out: number[]; stride: Triple; pad: 'same' | 'valid' }[] = [
    { x: [2, 3, 4, 3, 5], f: [3, 3, 3, 4, 5], out: [2, 6, 8, 6, 4], stride: 2, pad: 'same' },
    { x: [1, 2, 3, 2, 3], f: [2, 3, 2, 1, 3], out: [1, 5, 7, 6, 1], stride: [2, 2, 3], pad: 'valid' },
  ];
  cases.forEach((c, i) => {
    const run = (backend: string): Float32Array => {
      st.setBackend(backend);
      return values<Float32Array>(() => [st.conv3dTranspose(st.randomUniform(c.x, -1, 1, 'float32', i),
        st.randomUniform(c.f, -1, 1, 'float32', i + 50), c.out as [number, number, number, number, number],
        c.stride, c.pad)])[0];
    };
    assertNear(run('wasm'), run('js'), `conv3dTranspose x [${c.x}] f [${c.f}] out [${c.out}]`);
  });
});

interface PoolCase { x: number[]; size: Triple; stride: Triple; pad: Pad; rounding?: 'ceil' | 'floor' | 'round' }

const poolCases: PoolCase[] = [
  { x: [1, 4, 4, 4, 1], size: 2, stride: 2, pad: 'valid' },
  { x: [2, 5, 6, 7, 3], size: 3, stride: 1, pad: 'same' },
  { x: [3, 7, 6, 5, 6], size: [2, 3, 2], stride: [2, 1, 2], pad: 'same' },
  { x: [2, 6, 7, 5, 9], size: [3, 2, 3], stride: [3, 2, 1], pad: 'valid' },
  // a 1-wide window with stride 2 under 'same': negative padding (the window starts later)
  { x: [2, 5, 5, 6, 4], size: 1, stride: 2, pad: 'same' },
  // with ceil rounding the last window of each axis lies wholly in the padding
  { x: [2, 5, 5, 5, 5], size: 2, stride: 3, pad: 1, rounding: 'ceil' },
];

/** Both pools and their gradients; integer-valued inputs, so that max-pool windows hold ties. */
function poolRun(backend: string, c: PoolCase, seed: number, withNaN: boolean): Float32Array[] {
  st.setBackend(backend);
  return values(() => {
    let x = st.floor(st.randomUniform(c.x, 0, 3, 'float32', seed));
    if (withNaN) {
      // a few NaN cells: a NaN wins its window and stays
      const mask = st.less(st.randomUniform(c.x, 0, 1, 'float32', seed + 5), 0.05);
      x = st.where(mask, st.fill(c.x, NaN), x);
    }
    const results: st.Tensor[] = [];
    for (const op of [st.maxPool3d, st.avgPool3d]) {
      const y = op(x, c.size, c.stride, c.pad, c.rounding);
      const w = st.randomUniform(y.shape as number[], -1, 1, 'float32', seed + 2);
      const dx = st.grad((a: st.Tensor) => st.sum(st.mul(op(a, c.size, c.stride, c.pad, c.rounding), w)))(x);
      results.push(y, dx);
    }
    return results;
  });
}

test('maxPool3d, avgPool3d and their gradients on wasm give the reference bits (ties, NaNs, empty windows)', () => {
  poolCases.forEach((c, i) => {
    for (const withNaN of [false, true]) {
      const want = poolRun('js', c, 10 * i, withNaN);
      const got = poolRun('wasm', c, 10 * i, withNaN);
      ['maxPool3d', 'maxPool3d dx', 'avgPool3d', 'avgPool3d dx'].forEach((name, k) =>
        assertSameBits(got[k], want[k], `${name} for x [${c.x}] size ${JSON.stringify(c.size)} stride ` +
          `${JSON.stringify(c.stride)} pad ${c.pad} ${c.rounding ?? ''}${withNaN ? ' with NaNs' : ''}`));
    }
  });
});

test('the 3-D kernels give the same bits on one thread and on two', () => {
  const conv: ConvCase = { x: [4, 8, 8, 8, 8], f: [3, 3, 3, 8, 16], stride: 1, pad: 'same', dilation: 1 };
  const strided: ConvCase = { x: [4, 8, 9, 8, 3], f: [3, 3, 3, 3, 8], stride: 2, pad: 'same', dilation: 1 };
  const pool: PoolCase = { x: [4, 8, 8, 8, 8], size: 3, stride: 1, pad: 'same' };
  const runAll = (): Float32Array[] => [...convRun('wasm', conv, 1), ...convRun('wasm', strided, 2), ...poolRun('wasm', pool, 3, false)];
  try {
    st.setNumThreads(1);
    const one = runAll();
    st.setNumThreads(2);
    const two = runAll();
    one.forEach((v, k) => assertSameBits(two[k], v, `result ${k}`));
  } finally {
    st.setNumThreads(2);
  }
});

test('float64 3-D convolution and pooling still run on wasm (through the reference kernels)', () => {
  const run = (backend: string): Float64Array[] => {
    st.setBackend(backend);
    return values<Float64Array>(() => {
      const x = st.randomUniform([2, 3, 4, 3, 2], -1, 1, 'float64', 4);
      const f = st.randomUniform([2, 2, 2, 2, 3], -1, 1, 'float64', 5);
      return [st.conv3d(x, f, 1, 'same'), st.maxPool3d(x, 2, 1, 'same'), st.avgPool3d(x, 2, 1, 'valid')]
        .map((t) => { assert.equal(t.dtype, 'float64'); return t; });
    });
  };
  const want = run('js'), got = run('wasm');
  want.forEach((v, k) => assert.deepEqual(Array.from(got[k]), Array.from(v)));
});

test('the single-threaded kernel module (no shared memory) runs the 3-D kernels too', () => {
  // a child process plays a page that is not cross-origin isolated (see wasm_no_shared_memory.test.ts)
  const library = new URL('../../src/index.js', import.meta.url).href;
  const program = `
    globalThis.crossOriginIsolated = false;
    const st = await import(${JSON.stringify(library)});
    await st.ready();
    const run = (backend) => {
      st.setBackend(backend);
      const x = st.randomUniform([2, 5, 6, 5, 3], -1, 1, 'float32', 1);
      const f = st.randomUniform([3, 2, 3, 3, 4], -1, 1, 'float32', 2);
      const loss = (a, b) => st.add(st.sum(st.conv3d(a, b, [1, 2, 1], 'same')),
        st.add(st.sum(st.mul(st.maxPool3d(a, 2, 1, 'same'), 2)), st.sum(st.mul(st.avgPool3d(a, 2, 1, 'same'), 3))));
      return [loss(x, f), ...st.grads(loss)([x, f])].map((t) => Array.from(t.dataSync()));
    };
    const wasm = run('wasm'), js = run('js');
    let worst = 0;
    js.forEach((v, k) => v.forEach((e, i) => (worst = Math.max(worst, Math.abs(e - wasm[k][i])))));
    console.log(JSON.stringify({ threads: (st.setBackend('wasm'), st.getNumThreads()), worst }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  const { threads, worst } = JSON.parse(run.stdout.trim().split('\n').pop()!);
  assert.equal(threads, 1);
  assert.ok(worst < 1e-3, `the single-threaded 3-D kernels differ from the reference by ${worst}`);
});

test('empty sums: no input channels, no output channels, an empty batch', () => {
  const run = (backend: string): Float32Array[] => {
    st.setBackend(backend);
    return values(() => {
      const out: st.Tensor[] = [];
      for (const [xs, fs] of [[[2, 3, 3, 3, 0], [2, 2, 2, 0, 4]], [[2, 3, 3, 3, 2], [2, 2, 2, 2, 0]], [[0, 3, 3, 3, 2], [2, 2, 2, 2, 3]]]) {
        const x = st.randomUniform(xs, -1, 1, 'float32', 1), f = st.randomUniform(fs, -1, 1, 'float32', 2);
        out.push(st.conv3d(x, f, 1, 'same'), ...st.grads((a: st.Tensor, b: st.Tensor) => st.sum(st.conv3d(a, b, 1, 'same')))([x, f]));
        out.push(st.maxPool3d(x, 2, 1, 'same'), st.avgPool3d(x, 2, 1, 'same'));
      }
      return out;
    });
  };
  const want = run('js'), got = run('wasm');
  want.forEach((v, k) => assertSameBits(got[k], v, `result ${k}`));
});
