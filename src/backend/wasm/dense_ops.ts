/**
 * mlp speed area (issue 18): the wasm side of Backend.denseActGrad (assembly/dense_grad.ts,
 * task 135). The backward of a dense layer (fused.matMul with a bias) needs dz, the gradient
 * before its activation, and the bias gradient, dz summed over the rows; op by op that is the
 * relu mask and then a reduction (two passes, two ops), here one pass.
 */
import type { DataId, TensorInfo } from '../types.js';
import { KernelGroup, roundUp } from './kernel_group.js';
import { PARALLEL_MIN_ELEMENTS } from './elementwise_ops.js';

const TASK_DENSE_GRAD = 135;

export class DenseOps extends KernelGroup {
  denseActGrad(dy: TensorInfo, y: TensorInfo, relu: boolean): { dz: DataId | null; db: DataId } | null {
    if (dy.dtype !== 'float32' || y.dtype !== 'float32' || dy.shape.length !== 2) return null;
    if (y.shape.length !== 2 || y.shape[0] !== dy.shape[0] || y.shape[1] !== dy.shape[1]) return null;
    const [rows, n] = dy.shape;
    const dz = relu ? this.b.allocate('float32', rows * n) : null;
    const db = this.b.allocate('float32', n);
    if (n === 0) return { dz, db };
    // chunks are column blocks over all rows: each column's sum runs in row order for any split;
    // a streaming pass, so the pool only from the element-wise kernels' size
    const parallel = this.b.threads > 1 && rows * n >= PARALLEL_MIN_ELEMENTS && n >= 8;
    const per = parallel ? Math.max(4, roundUp(Math.ceil(n / this.target), 4)) : n;
    const args = this.b.args([this.ptr(dy), this.ptr(y), dz ? dz.ptr : 0, db.ptr, rows, n, per, relu ? 1 : 0]);
    this.b.run(TASK_DENSE_GRAD, args, Math.ceil(n / per), parallel, rows * n);
    return { dz, db };
  }
}
