/** Batched matrix product of the reference backend. */
import type { TypedArray } from '../types.js';
import { broadcastStrides, sizeFromShape } from '../shape_util.js';

export function matMulKernel(
  a: TypedArray, aShape: readonly number[], transposeA: boolean,
  b: TypedArray, bShape: readonly number[], transposeB: boolean,
  outBatch: readonly number[], out: TypedArray,
): void {
  const ra = aShape.length;
  const rb = bShape.length;
  const m = transposeA ? aShape[ra - 1] : aShape[ra - 2];
  const k = transposeA ? aShape[ra - 2] : aShape[ra - 1];
  const n = transposeB ? bShape[rb - 2] : bShape[rb - 1];
  // element strides inside one matrix: A[i, p] = a[i*aRow + p*aCol]
  const aRow = transposeA ? 1 : k;
  const aCol = transposeA ? m : 1;
  const bRow = transposeB ? 1 : n; // B[p, j] = b[p*bRow + j*bCol]
  const bCol = transposeB ? k : 1;
  const batchA = aShape.slice(0, ra - 2);
  const batchB = bShape.slice(0, rb - 2);
  // batch offsets counted in whole matrices
  const aBatchStrides = broadcastStrides(batchA, outBatch);
  const bBatchStrides = broadcastStrides(batchB, outBatch);
  const batches = sizeFromShape(outBatch);
  const row = new Float64Array(n);
  for (let t = 0; t < batches; t++) {
    let rest = t;
    let aBatch = 0;
    let bBatch = 0;
    for (let d = outBatch.length - 1; d >= 0; d--) {
      const c = rest % outBatch[d];
      rest = (rest - c) / outBatch[d];
      aBatch += c * aBatchStrides[d];
      bBatch += c * bBatchStrides[d];
    }
    const aBase = aBatch * m * k;
    const bBase = bBatch * k * n;
    const oBase = t * m * n;
    if (transposeB && !transposeA) {
      // both operands read along p contiguously: one dot product per output
      for (let i = 0; i < m; i++) {
        const aOff = aBase + i * k;
        for (let j = 0; j < n; j++) {
          const bOff = bBase + j * k;
          let acc = 0;
          for (let p = 0; p < k; p++) acc += a[aOff + p] * b[bOff + p];
          out[oBase + i * n + j] = acc;
        }
      }
      continue;
    }
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = a[aBase + i * aRow + p * aCol];
        const bOff = bBase + p * bRow;
        if (bCol === 1) {
          for (let j = 0; j < n; j++) row[j] += av * b[bOff + j];
        } else {
          for (let j = 0; j < n; j++) row[j] += av * b[bOff + j * bCol];
        }
      }
      for (let j = 0; j < n; j++) out[oBase + i * n + j] = row[j];
    }
  }
}
