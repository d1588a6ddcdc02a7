/**
 * scatterAdd on the GPU (gather's gradient: an embedding's weight gradient): updates
 * [outer, m, inner] summed into zeros of [outer, n, inner] at the int32 indices [m] along the
 * middle axis. One thread per update element adds it into its destination atomically: an int32
 * with atomicAdd, a float32 with a compare-exchange loop on its bits (WGSL has no float atomics).
 * Several updates of one row therefore add in no fixed order: float32 sums may differ from the
 * reference's by rounding. Indices outside [0, n) add nothing.
 */
import type { DataId, TensorInfo } from '../types.js';
import { sizeFromShape } from '../shape_util.js';
import type { GpuData } from './buffers.js';
import { elementFrame, grid } from './elementwise.js';
import type { WebGpuBackend } from './backend.js';

const ZERO = elementFrame(`@group(0) @binding(0) var<storage, read_write> Y: array<atomic<u32>>;
struct U { n: u32 }
@group(0) @binding(1) var<uniform> u: U;`, '  atomicStore(&Y[i], 0u);', 'u.n');

function scatterSource(float: boolean): string {
  const add = float ? `  var old = atomicLoad(&Y[dst]);
  loop {
    let r = atomicCompareExchangeWeak(&Y[dst], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }` : '  atomicAdd(&Y[dst], v);';
  return elementFrame(`@group(0) @binding(0) var<storage, read> V: array<${float ? 'f32' : 'i32'}>;
@group(0) @binding(1) var<storage, read> I: array<i32>;
@group(0) @binding(2) var<storage, read_write> Y: array<atomic<${float ? 'u32' : 'i32'}>>;
struct U { total: u32, m: u32, n: u32, inner: u32 }
@group(0) @binding(3) var<uniform> u: U;`, `  let k = i % u.inner;
  let oj = i / u.inner;
  let j = oj % u.m;
  let o = oj / u.m;
  let at = I[j];
  if (at < 0 || u32(at) >= u.n) { return; }
  let dst = (o * u.n + u32(at)) * u.inner + k;
  let v = V[i];
${add}`, 'u.total');
}

export const scatterKernels = {
  scatterAdd(this: WebGpuBackend, updates: TensorInfo, indices: TensorInfo, axis: number, shape: readonly number[]): DataId {
    if ((updates.dtype !== 'float32' && updates.dtype !== 'int32') || indices.dtype !== 'int32') {
      return this.reference('scatterAdd', `scatterAdd (${updates.dtype}, ${indices.dtype} indices)`, updates, indices, axis, shape);
    }
    const size = sizeFromShape(shape);
    const out = this.allocFor(updates.dtype, size);
    if (size === 0) return out;
    this.run(ZERO, [out], grid(size), new Uint32Array([size, 0, 0, 0]).buffer);
    const total = sizeFromShape(updates.shape);
    const m = sizeFromShape(indices.shape);
    if (total > 0 && m > 0) {
      const inner = sizeFromShape(shape.slice(axis + 1));
      this.run(scatterSource(updates.dtype === 'float32'), [updates.dataId as GpuData, indices.dataId as GpuData, out],
        grid(total), new Uint32Array([total, m, shape[axis], inner]).buffer);
    }
    return out;
  },
};
