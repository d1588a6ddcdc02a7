/**
 * The WGSL tiled GEMM against the js reference matMul on odd shapes (edges of the 64x64 tile
 * and of the 16-deep K step), both transposes, broadcast batches, bias and every activation.
 * Runs on whatever adapter Dawn finds (SwiftShader on CI); skipped, with the reason printed,
 * where there is none.
 */
import test from 'node:test';
import { matMulKernel as refMatMul } from '../../src/backend/js/matmul.js';
import { matMulKernel, type GpuActivation } from '../../src/backend/webgpu/kernels/gemm.js';
import { kernelTests, randomValues, type KernelCase } from './webgpu_kernels_helpers.js';

const cases: KernelCase[] = [];

function reference(aShape: number[], bShape: number[], tA: boolean, tB: boolean, a: Float32Array, b: Float32Array): { out: Float32Array; batch: number[]; n: number } {
  const ra = aShape.length;
  const rb = bShape.length;
  const batchA = aShape.slice(0, ra - 2);
  const batchB = bShape.slice(0, rb - 2);
  const r = Math.max(batchA.length, batchB.length);
  const batch: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = batchA[batchA.length - r + i] ?? 1;
    const y = batchB[batchB.length - r + i] ?? 1;
    batch.push(Math.max(x, y));
  }
  const m = tA ? aShape[ra - 1] : aShape[ra - 2];
  const n = tB ? bShape[rb - 2] : bShape[rb - 1];
  const out = new Float32Array(batch.reduce((x, y) => x * y, 1) * m * n);
  refMatMul(a, aShape, tA, b, bShape, tB, batch, out);
  return { out, batch, n };
}

const size = (s: number[]) => s.reduce((x, y) => x * y, 1);

const shapes: [number[], number[], boolean, boolean][] = [
  [[1, 1], [1, 1], false, false],
  [[7, 5], [5, 3], false, false],
  [[65, 17], [17, 66], false, false], // one past the tile in M and N, one past K's step
  [[33, 70], [70, 129], false, false],
  [[17, 65], [17, 66], true, false],
  [[65, 17], [66, 17], false, true],
  [[17, 65], [66, 17], true, true],
  [[3, 9, 31], [3, 31, 5], false, false], // batched
  [[2, 1, 9, 12], [1, 4, 12, 7], false, false], // broadcast batch dims on both sides
  [[5, 13], [2, 3, 13, 6], false, false], // rank 2 against batched
  [[2, 3, 13, 6], [13, 11], true, false],
  [[1, 40, 1], [1, 1, 50], false, false], // K = 1 (outer product)
];

for (const [aShape, bShape, tA, tB] of shapes) {
  {
    const a = randomValues(size(aShape), size(aShape) * 7 + 1);
    const b = randomValues(size(bShape), size(bShape) * 3 + 2);
    const want = reference(aShape, bShape, tA, tB, a, b);
    const k = matMulKernel({ aShape, bShape, transposeA: tA, transposeB: tB });
    cases.push({ name: `matMul ${JSON.stringify(aShape)}${tA ? 'ᵀ' : ''} x ${JSON.stringify(bShape)}${tB ? 'ᵀ' : ''}`, kernel: k, inputs: [a, b], expected: want.out });
  }
}

const activations: [GpuActivation, (v: number) => number][] = [
  ['linear', (v) => v],
  ['relu', (v) => Math.max(v, 0)],
  ['relu6', (v) => Math.min(Math.max(v, 0), 6)],
  ['elu', (v) => (v > 0 ? v : Math.exp(v) - 1)],
  ['sigmoid', (v) => 1 / (1 + Math.exp(-v))],
  ['leakyrelu', (v) => (v > 0 ? v : 0.3 * v)],
];

// each (transposes, bias, activation) is its own pipeline, slow to compile on SwiftShader:
// every activation once, and the transposed loads with relu
for (const [activation, f] of activations) {
  for (const [tA, tB] of activation === 'relu' ? [[false, false], [true, true]] : [[false, false]]) {
    {
      const m = 23;
      const kk = 37;
      const n = 70;
      const aShape = tA ? [kk, m] : [m, kk];
      const bShape = tB ? [n, kk] : [kk, n];
      // values spread enough that relu6 clips and sigmoid saturates somewhere
      const a = randomValues(m * kk, 11).map((v) => v * 3);
      const b = randomValues(kk * n, 12);
      const bias = randomValues(n, 13);
      const want = reference(aShape, bShape, tA, tB, a, b).out.map((v, i) => f(v + bias[i % n]));
      const k = matMulKernel({ aShape, bShape, transposeA: tA, transposeB: tB, bias: true, activation, alpha: 0.3 });
      cases.push({ name: `fused matMul + bias + ${activation}${tA ? ' (transposed operands)' : ''}`, kernel: k, inputs: [a, b, bias], expected: want });
    }
  }
}

await kernelTests(cases);

test('matMul kernels of the same flags share one pipeline key; sizes live in the uniforms', () => {
  const k1 = matMulKernel({ aShape: [3, 4], bShape: [4, 5], transposeA: false, transposeB: false });
  const k2 = matMulKernel({ aShape: [2, 30, 40], bShape: [40, 50], transposeA: false, transposeB: false });
  const k3 = matMulKernel({ aShape: [4, 3], bShape: [4, 5], transposeA: true, transposeB: false });
  if (k1.key !== k2.key || k1.code !== k2.code) throw new Error('same flags should give the same pipeline');
  if (k1.key === k3.key) throw new Error('a transpose must change the key');
  if (k2.workgroups.join() !== '1,1,2') throw new Error(`workgroups ${k2.workgroups}`);
});

test('matMul rejects mismatched inner sizes and batch dims, saying which', () => {
  const expectThrow = (f: () => unknown, re: RegExp) => {
    try { f(); } catch (e) { if (re.test((e as Error).message)) return; throw e; }
    throw new Error(`expected an error matching ${re}`);
  };
  expectThrow(() => matMulKernel({ aShape: [3, 4], bShape: [5, 6], transposeA: false, transposeB: false }), /inner sizes differ/);
  expectThrow(() => matMulKernel({ aShape: [2, 3, 4], bShape: [3, 4, 6], transposeA: false, transposeB: false }), /do not broadcast/);
});
