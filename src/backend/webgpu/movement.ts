/**
 * WGSL for the movement ops. transpose, strided slices, reverse, tile and pad are one kernel:
 * each output axis maps its coordinate to an input coordinate (c * step + start, c mod n, or
 * c - before with a bounds check) that is multiplied by the stride of the input axis it reads.
 * concat writes each input into its band of the output; gather reads whole inner blocks.
 */
import type { DType } from '../types.js';
import { computeStrides, sizeFromShape } from '../shape_util.js';
import { elementFrame, storageType } from './elementwise.js';

export type AxisMap =
  | { kind: 'linear'; stride: number; start: number; step: number }
  | { kind: 'wrap'; stride: number; n: number }
  | { kind: 'pad'; stride: number; before: number; n: number };

/** Output element i of `outShape` read from X through `maps` (one per output axis); `fill` outside. */
export function indexMapSource(dtype: DType, outShape: readonly number[], maps: readonly AxisMap[], fill: number): string {
  const st = storageType(dtype)!;
  const lines: string[] = ['  var r = i;', '  var off = 0;', '  var inside = true;'];
  for (let d = outShape.length - 1; d >= 0; d--) {
    const m = maps[d];
    lines.push(`  { let c = i32(r % ${outShape[d]}u); r = r / ${outShape[d]}u;`);
    if (m.kind === 'linear') lines.push(`    off = off + (${m.start} + c * ${m.step}) * ${m.stride}; }`);
    else if (m.kind === 'wrap') lines.push(`    off = off + (c % ${m.n}) * ${m.stride}; }`);
    else lines.push(`    let k = c - ${m.before}; inside = inside && k >= 0 && k < ${m.n}; off = off + k * ${m.stride}; }`);
  }
  lines.push(`  if (inside) { Y[i] = X[u32(off)]; } else { Y[i] = ${literal(fill, st)}; }`);
  return elementFrame(`@group(0) @binding(0) var<storage, read> X: array<${st}>;
@group(0) @binding(1) var<storage, read_write> Y: array<${st}>;`, lines.join('\n'), `${sizeFromShape(outShape)}u`);
}

/** A number as a WGSL literal of storage type `st`; null when WGSL cannot spell it (NaN, infinities). */
export function literal(v: number, st: 'f32' | 'i32' | 'u32'): string {
  if (st === 'u32') return v ? '1u' : '0u';
  if (st === 'i32') return `${Math.trunc(v) | 0}`;
  const s = String(Math.fround(v));
  return /[.e]/.test(s) ? `f32(${s})` : `${s}.0`;
}

/** Axis maps for a transpose of `shape` by `perm`. */
export function transposeMaps(shape: readonly number[], perm: readonly number[]): AxisMap[] {
  const strides = computeStrides(shape);
  return perm.map((p) => ({ kind: 'linear', stride: strides[p], start: 0, step: 1 }));
}

/** Input `inShape` (elements of a band `axisSize` wide) written at `axisOffset` along the axis of the output. */
export function concatPartSource(dtype: DType, n: number, band: number, outBand: number, offset: number): string {
  const st = storageType(dtype)!;
  return elementFrame(`@group(0) @binding(0) var<storage, read> X: array<${st}>;
@group(0) @binding(1) var<storage, read_write> Y: array<${st}>;`,
  `  Y[(i / ${band}u) * ${outBand}u + ${offset}u + i % ${band}u] = X[i];`, `${n}u`);
}

/** out[o, j, k] = x[o, idx[j], k] with `inner` elements per block; indices out of range give 0. */
export function gatherSource(dtype: DType, outer: number, dim: number, m: number, inner: number): string {
  const st = storageType(dtype)!;
  return elementFrame(`@group(0) @binding(0) var<storage, read> X: array<${st}>;
@group(0) @binding(1) var<storage, read> I: array<i32>;
@group(0) @binding(2) var<storage, read_write> Y: array<${st}>;`,
  `  let k = i % ${inner}u;
  let j = (i / ${inner}u) % ${m}u;
  let o = i / ${inner * m}u;
  let at = I[j];
  if (at < 0 || at >= ${dim}) { Y[i] = ${st}(0); return; }
  Y[i] = X[(o * ${dim}u + u32(at)) * ${inner}u + k];`, `${outer * m * inner}u`);
}
