/**
 * WGSL for reductions over any axes, arg-max/min along one axis, and the row-wise softmax
 * family. One workgroup per output element (or row): its threads stride over the reduced
 * elements, then combine in workgroup memory, so a whole-tensor sum and a per-row max use the
 * same kernel. Shapes are baked into the source: one pipeline per (op, shape, axes).
 */
import type { ArgReduceOp, DType, ReduceOp } from '../types.js';
import { computeStrides, sizeFromShape } from '../shape_util.js';
import { MATH_HELPERS, load, storageType, store, type Compute } from './elementwise.js';

export const REDUCE_THREADS = 64;

/** Workgroups for `n` outputs, one each, spread over x and y. */
export function rowGrid(n: number): [number, number, number] {
  const x = Math.min(Math.max(n, 1), 65535);
  return [x, Math.ceil(Math.max(n, 1) / x), 1];
}

const ROW_FRAME = (body: string): string => `
@compute @workgroup_size(${REDUCE_THREADS})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  let row = wid.x + wid.y * nwg.x;
  let t = lid.x;
${body}
}`;

/** WGSL of the offset, in a tensor with `strides`, of digit number `v` over the axes `dims` of `shape`. */
function digits(v: string, shape: readonly number[], strides: readonly number[], dims: readonly number[]): string {
  const terms: string[] = [];
  let inner = 1;
  for (let k = dims.length - 1; k >= 0; k--) {
    const d = dims[k];
    if (shape[d] !== 1) terms.push(`((${v} / ${inner}u) % ${shape[d]}u) * ${strides[d]}u`);
    inner *= shape[d];
  }
  return terms.join(' + ') || '0u';
}

/** A tree combine over workgroup memory `s` (and `si` when `indexed`) with `step` merging [t] and [t + h]. */
function tree(step: string): string {
  return `  workgroupBarrier();
  for (var h = ${REDUCE_THREADS / 2}u; h > 0u; h = h >> 1u) {
    if (t < h) { ${step} }
    workgroupBarrier();
  }`;
}

export interface ReduceSource { code: string; outputs: number; }

/** The reduction of x (`shape`, `dtype`) over `axes` into `outDtype`; null when there is nothing to reduce. */
export function reduceSource(op: ReduceOp, shape: readonly number[], dtype: DType, axes: readonly number[],
                             outDtype: DType): ReduceSource | null {
  const kept = shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const reduced = sizeFromShape(axes.map((d) => shape[d]));
  if (reduced === 0) return null;
  const outputs = sizeFromShape(kept.map((d) => shape[d]));
  const strides = computeStrides(shape);
  const logical = op === 'any' || op === 'all';
  const compute: Compute = logical || (dtype !== 'float32' && outDtype !== 'float32') ? 'i32' : 'f32';
  let v = load('X[base + off]', dtype, compute);
  if (logical) v = `select(0, 1, ${v} != 0)`;
  const combine: Record<ReduceOp, (acc: string, x: string) => string> = {
    sum: (a, x) => `${a} + ${x}`, prod: (a, x) => `${a} * ${x}`,
    max: (a, x) => compute === 'f32' ? `select(${a}, ${x}, ${x} > ${a} || isnan_(${x}))` : `max(${a}, ${x})`,
    min: (a, x) => compute === 'f32' ? `select(${a}, ${x}, ${x} < ${a} || isnan_(${x}))` : `min(${a}, ${x})`,
    any: (a, x) => `max(${a}, ${x})`, all: (a, x) => `min(${a}, ${x})`,
  };
  const f = combine[op];
  const code = `${MATH_HELPERS}
@group(0) @binding(0) var<storage, read> X: array<${storageType(dtype)}>;
@group(0) @binding(1) var<storage, read_write> Y: array<${storageType(outDtype)}>;
var<workgroup> s: array<${compute}, ${REDUCE_THREADS}>;
var<workgroup> has: array<bool, ${REDUCE_THREADS}>;
${ROW_FRAME(`  if (row >= ${outputs}u) { return; }
  let base = ${digits('row', shape, strides, kept)};
  var acc: ${compute};
  var got = false;
  for (var r = t; r < ${reduced}u; r = r + ${REDUCE_THREADS}u) {
    let off = ${digits('r', shape, strides, axes)};
    let x = ${v};
    if (got) { acc = ${f('acc', 'x')}; } else { acc = x; got = true; }
  }
  s[t] = acc;
  has[t] = got;
${tree(`if (has[t + h]) { let x = s[t + h]; let a = s[t]; s[t] = ${f('a', 'x')}; }`)}
  if (t == 0u) { Y[row] = ${store('s[0]', compute, outDtype)}; }`)}`;
  return { code, outputs };
}

/** Index of the first max (min) along `axis`, NaN counting as the extreme, into int32. */
export function argReduceSource(op: ArgReduceOp, shape: readonly number[], dtype: DType, axis: number): ReduceSource {
  const kept = shape.map((_, d) => d).filter((d) => d !== axis);
  const outputs = sizeFromShape(kept.map((d) => shape[d]));
  const strides = computeStrides(shape);
  const compute: Compute = dtype === 'float32' ? 'f32' : 'i32';
  const cmp = op === 'argMax' ? '>' : '<';
  const better = (v: string, best: string): string => compute === 'f32'
    ? `(${v} ${cmp} ${best} || (isnan_(${v}) && !isnan_(${best})))` : `(${v} ${cmp} ${best})`;
  const code = `${MATH_HELPERS}
@group(0) @binding(0) var<storage, read> X: array<${storageType(dtype)}>;
@group(0) @binding(1) var<storage, read_write> Y: array<i32>;
var<workgroup> s: array<${compute}, ${REDUCE_THREADS}>;
var<workgroup> si: array<u32, ${REDUCE_THREADS}>;
${ROW_FRAME(`  if (row >= ${outputs}u) { return; }
  let base = ${digits('row', shape, strides, kept)};
  var best: ${compute};
  var at = 0xffffffffu;
  for (var r = t; r < ${shape[axis]}u; r = r + ${REDUCE_THREADS}u) {
    let x = ${load(`X[base + r * ${strides[axis]}u]`, dtype, compute)};
    if (at == 0xffffffffu || ${better('x', 'best')}) { best = x; at = r; }
  }
  s[t] = best;
  si[t] = at;
${tree(`let j = si[t + h];
    if (j != 0xffffffffu) {
      let x = s[t + h]; let b = s[t];
      if (si[t] == 0xffffffffu || ${better('x', 'b')} || (!${better('b', 'x')} && j < si[t])) { s[t] = x; si[t] = j; }
    }`)}
  if (t == 0u) { Y[row] = i32(si[0]); }`)}`;
  return { code, outputs };
}

/** Max and sum of exp over a row of k logits, shared by the softmax kernels: leaves `mx` and `total`. */
function rowStats(k: number): string {
  return `  let base = row * ${k}u;
  var m = Z[base];
  for (var j = t; j < ${k}u; j = j + ${REDUCE_THREADS}u) { m = max(m, Z[base + j]); }
  s[t] = m;
${tree('s[t] = max(s[t], s[t + h]);')}
  let mx = s[0];
  workgroupBarrier();
  var e = 0.0;
  for (var j = t; j < ${k}u; j = j + ${REDUCE_THREADS}u) { e = e + exp(Z[base + j] - mx); }
  s[t] = e;
${tree('s[t] = s[t] + s[t + h];')}
  let total = s[0];
  workgroupBarrier();`;
}

/** Softmax of each row of Z [rows, k] into P. */
export function softmaxSource(rows: number, k: number): string {
  return `@group(0) @binding(0) var<storage, read> Z: array<f32>;
@group(0) @binding(1) var<storage, read_write> P: array<f32>;
var<workgroup> s: array<f32, ${REDUCE_THREADS}>;
${ROW_FRAME(`  if (row >= ${rows}u) { return; }
${rowStats(k)}
  for (var j = t; j < ${k}u; j = j + ${REDUCE_THREADS}u) { P[base + j] = exp(Z[base + j] - mx) / total; }`)}`;
}

/** The target of row `row`, column j: a float label row, or 1 at an int32 class index. */
function target(sparse: boolean, k: number): string {
  return sparse ? `select(0.0, 1.0, i32(j) == T[row])` : `T[row * ${k}u + j]`;
}

/**
 * Softmax P and cross-entropy L of each row: L = logSumExp(z) sum(t) - sum(t z), labels T float
 * [rows, k] or int32 [rows] (`sparse`).
 */
export function softmaxCrossEntropySource(rows: number, k: number, sparse: boolean): string {
  return `@group(0) @binding(0) var<storage, read> Z: array<f32>;
@group(0) @binding(1) var<storage, read> T: array<${sparse ? 'i32' : 'f32'}>;
@group(0) @binding(2) var<storage, read_write> P: array<f32>;
@group(0) @binding(3) var<storage, read_write> L: array<f32>;
var<workgroup> s: array<f32, ${REDUCE_THREADS}>;
var<workgroup> s2: array<f32, ${REDUCE_THREADS}>;
${ROW_FRAME(`  if (row >= ${rows}u) { return; }
${rowStats(k)}
  var st = 0.0;
  var stz = 0.0;
  for (var j = t; j < ${k}u; j = j + ${REDUCE_THREADS}u) {
    let z = Z[base + j];
    P[base + j] = exp(z - mx) / total;
    let tj = ${target(sparse, k)};
    st = st + tj;
    stz = stz + tj * z;
  }
  s[t] = st;
  s2[t] = stz;
${tree('s[t] = s[t] + s[t + h]; s2[t] = s2[t] + s2[t + h];')}
  if (t == 0u) { L[row] = (mx + log(total)) * s[0] - s2[0]; }`)}`;
}

/** d loss / d logits = (P sum(t) - t) dL[row]. */
export function softmaxCrossEntropyGradSource(rows: number, k: number, sparse: boolean): string {
  return `@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read> T: array<${sparse ? 'i32' : 'f32'}>;
@group(0) @binding(2) var<storage, read> D: array<f32>;
@group(0) @binding(3) var<storage, read_write> G: array<f32>;
var<workgroup> s: array<f32, ${REDUCE_THREADS}>;
${ROW_FRAME(`  if (row >= ${rows}u) { return; }
  let base = row * ${k}u;
  var st = 0.0;
  for (var j = t; j < ${k}u; j = j + ${REDUCE_THREADS}u) { st = st + ${target(sparse, k)}; }
  s[t] = st;
${tree('s[t] = s[t] + s[t + h];')}
  let sum = s[0];
  let d = D[row];
  for (var j = t; j < ${k}u; j = j + ${REDUCE_THREADS}u) { G[base + j] = (P[base + j] * sum - ${target(sparse, k)}) * d; }`)}`;
}
