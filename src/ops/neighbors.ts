/**
 * L2 nearest neighbours: for each query row, the `k` closest rows of a reference set, as the
 * seeds' "test image and its nearest neighbours in feature space" asks. Not differentiable
 * (the answer is indices). Distances come from |q|^2 - 2 q.f + |f|^2 with q.f one matMul per
 * block of queries, so the memory in use is a block's row of distances, never queries x references.
 */
import { noGrad } from '../autograd/tape.js';
import { makeTensor } from '../tensor/engine.js';
import { Tensor } from '../tensor/tensor.js';
import { matMul } from './matmul.js';
import { reshape } from './transform.js';
import { slice } from './slicing.js';
import { convert, type TensorInput } from './op.js';

export interface NearestNeighborsOptions {
  /** queries per matMul; a block holds blockSize x references float32 distances (default 256) */
  blockSize?: number;
}

export interface NearestNeighbors {
  /** [queries, k] int32 row indices into the references, nearest first (ties: lower index first) */
  indices: Tensor;
  /** [queries, k] float32 Euclidean distances, matching `indices` */
  distances: Tensor;
}

/** Each row flattened: [n, ...] -> [n, d], float32. */
function asRows(t: Tensor, what: string): Tensor {
  if (t.rank < 2) throw new Error(`nearestNeighbors: ${what} must be [n, ...features], got [${t.shape}]`);
  const d = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const rows = t.rank === 2 ? t : reshape(t, [t.shape[0], d]);
  return rows.dtype === 'float32' ? rows : rows.cast('float32');
}

/** Squared length of each row, summed in float64. */
function rowNorms(data: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = i * d; j < (i + 1) * d; j++) s += data[j] * data[j];
    out[i] = s;
  }
  return out;
}

/** Euclidean distance between row `q` of `a` and row `j` of `b`, summed in float64. */
function exactDistance(a: ArrayLike<number>, q: number, b: ArrayLike<number>, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += (a[q * d + t] - b[j * d + t]) ** 2;
  return Math.sqrt(s);
}

/**
 * `st.nearestNeighbors(references, queries, k)`: for each query, the indices of the `k` reference
 * rows closest in Euclidean distance, and those distances. Rows of any rank are flattened.
 *
 * @example
 * ```ts
 * const refs = st.tensor2d([[0, 0], [1, 1], [5, 5]]);
 * const { indices, distances } = st.nearestNeighbors(refs, st.tensor2d([[0.9, 1.2]]), 2);
 * indices.print(); // [[1, 0]]
 * ```
 */
export function nearestNeighbors(references: TensorInput, queries: TensorInput, k = 1, options: NearestNeighborsOptions = {}): NearestNeighbors {
  const refs = asRows(convert(references, 'nearestNeighbors', 'references'), 'references');
  const qs = asRows(convert(queries, 'nearestNeighbors', 'queries'), 'queries');
  const [n, d] = refs.shape;
  const [m, dq] = qs.shape;
  if (dq !== d) {
    throw new Error(`nearestNeighbors: queries have ${dq} features per row, references ${d} ` +
      `(queries [${qs.shape}], references [${refs.shape}])`);
  }
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new Error(`nearestNeighbors: k must be an integer in [1, ${n}] (the number of references), got ${k}`);
  }
  const block = options.blockSize ?? 256;
  if (!Number.isInteger(block) || block < 1) throw new Error(`nearestNeighbors: blockSize must be a positive integer, got ${block}`);
  const refData = refs.dataSync();
  const qData = qs.dataSync();
  const refNorms = rowNorms(refData, n, d);
  const queryNorms = rowNorms(qData, m, d);
  const indices = new Int32Array(m * k);
  const distances = new Float32Array(m * k);
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  noGrad(() => {
    for (let start = 0; start < m; start += block) {
      const rows = Math.min(block, m - start);
      const product = matMul(slice(qs, [start, 0], [rows, d]), refs, false, true);
      const dots = product.dataSync();
      product.dispose();
      for (let r = 0; r < rows; r++) {
        const q = start + r;
        let filled = 0;
        for (let j = 0; j < n; j++) {
          // rounding can take a near-duplicate's squared distance a little below zero
          const dist = Math.max(0, queryNorms[q] + refNorms[j] - 2 * dots[r * n + j]);
          if (filled === k && dist >= bestD[k - 1]) continue;
          // insertion into the sorted best-k list; strict < keeps the lower index first on ties
          let at = filled === k ? k - 1 : filled++;
          while (at > 0 && dist < bestD[at - 1]) {
            bestD[at] = bestD[at - 1];
            bestI[at] = bestI[at - 1];
            at--;
          }
          bestD[at] = dist;
          bestI[at] = j;
        }
        // the expansion loses digits to cancellation (a row's distance to itself comes out near
        // 1e-3, not 0): the k found are measured again directly, in float64, and re-sorted
        const found = Array.from(bestI, (j) => ({ j, dist: exactDistance(qData, q, refData, j, d) }))
          .sort((a, b) => a.dist - b.dist || a.j - b.j);
        found.forEach((f, t) => {
          indices[q * k + t] = f.j;
          distances[q * k + t] = f.dist;
        });
      }
    }
  });
  return { indices: makeTensor(indices, [m, k], 'int32'), distances: makeTensor(distances, [m, k], 'float32') };
}

/** The issue's and the seeds' short name for `nearestNeighbors`. */
export const neighbors = nearestNeighbors;
