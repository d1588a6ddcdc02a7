/**
 * Batch normalisation on the GPU, x viewed as [rows, c] (every axis but the last is reduced):
 * the training statistics (mean, then the biased variance around that float32 mean, as the
 * composed ops compute them), the normalisation y = (x - mean) scale / sqrt(var + eps) + offset,
 * and the training-mode gradients dx, dScale, dOffset. Nothing is read back.
 *
 * The per-channel sums run in two steps. `partialSums`: a workgroup holds CT neighbouring
 * channels (CT a power of two up to 64, so neighbouring threads read neighbouring words) times
 * 256 / CT row lanes; each thread strides over the rows of its chunk, then the lanes are combined
 * in workgroup memory; one partial per (chunk, channel). Chunks spread a tall x (a conv layer's
 * batch x height x width rows) over many workgroups. `finish` then adds a channel's partials.
 * Sizes (and the tile) travel in the uniforms: one pipeline per kind and flags, whatever the shape.
 */
import type { DataId, TensorInfo } from '../types.js';
import { sizeFromShape } from '../shape_util.js';
import type { GpuData } from './buffers.js';
import { elementFrame, grid } from './elementwise.js';
import type { WebGpuBackend } from './backend.js';

const THREADS = 256;
/** rows each thread adds at least, before the rows are split into more chunks */
const ROWS_PER_THREAD = 16;
const MAX_CHUNKS = 256;

/** What a partial sum adds per element: x; (x - mean)²; dy and dy (x - mean) (two sums). */
type SumKind = 'x' | 'sq' | 'grad';

const UNIFORMS = `struct U { rows: u32, c: u32, per: u32, chunks: u32, ct: u32, lanes: u32 }`;

/** The tile (ct channels by lanes rows, ct * lanes = THREADS) is a uniform: one pipeline per kind. */
function partialSource(kind: SumKind): string {
  const two = kind === 'grad';
  const inputs = kind === 'x' ? ['X'] : kind === 'sq' ? ['X', 'M'] : ['D', 'X', 'M'];
  const decl = inputs.map((name, k) => `@group(0) @binding(${k}) var<storage, read> ${name}: array<f32>;`).join('\n');
  const add = kind === 'x' ? 'a = a + X[r * u.c + j];'
    : kind === 'sq' ? 'let d = X[r * u.c + j] - m; a = a + d * d;'
      : 'let dy = D[r * u.c + j]; a = a + dy; b = b + dy * (X[r * u.c + j] - m);';
  return `${decl}
@group(0) @binding(${inputs.length}) var<storage, read_write> P: array<f32>;
${UNIFORMS}
@group(0) @binding(${inputs.length + 1}) var<uniform> u: U;
var<workgroup> sa: array<f32, ${THREADS}>;
${two ? `var<workgroup> sb: array<f32, ${THREADS}>;` : ''}
@compute @workgroup_size(${THREADS})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let t = lid.x;
  let lane = t / u.ct;
  let j = wid.x * u.ct + t % u.ct;
  let chunk = wid.y;
  let r0 = chunk * u.per;
  let r1 = min(r0 + u.per, u.rows);
  var a = 0.0;
  var b = 0.0;
  if (j < u.c) {
    ${kind === 'x' ? '' : 'let m = M[j];'}
    for (var r = r0 + lane; r < r1; r = r + u.lanes) { ${add} }
  }
  sa[t] = a;
  ${two ? 'sb[t] = b;' : ''}
  workgroupBarrier();
  for (var h = u.lanes / 2u; h > 0u; h = h >> 1u) {
    if (lane < h) {
      sa[t] = sa[t] + sa[t + h * u.ct];
      ${two ? 'sb[t] = sb[t] + sb[t + h * u.ct];' : ''}
    }
    workgroupBarrier();
  }
  if (lane == 0u && j < u.c) {
    P[chunk * u.c + j] = sa[t];
    ${two ? 'P[(u.chunks + chunk) * u.c + j] = sb[t];' : ''}
  }
}`;
}

/** out[j] = (sum over chunks of P[k, j]) * u.scale: the statistics (scale 1/rows). */
const FINISH_STAT = elementFrame(`@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read_write> Y: array<f32>;
struct U { c: u32, chunks: u32, scale: f32 }
@group(0) @binding(2) var<uniform> u: U;`, `  var s = 0.0;
  for (var k = 0u; k < u.chunks; k = k + 1u) { s = s + P[k * u.c + i]; }
  Y[i] = s * u.scale;`, 'u.c');

/**
 * The gradient's per-channel sums finished: dOffset = sum dy, dScale = sum(dy (x - mean)) / sqrt(var + eps).
 */
const FINISH_GRAD = elementFrame(`@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read> V: array<f32>;
@group(0) @binding(2) var<storage, read_write> DO: array<f32>;
@group(0) @binding(3) var<storage, read_write> DS: array<f32>;
struct U { c: u32, chunks: u32, eps: f32 }
@group(0) @binding(4) var<uniform> u: U;`, `  var a = 0.0;
  var b = 0.0;
  for (var k = 0u; k < u.chunks; k = k + 1u) {
    a = a + P[k * u.c + i];
    b = b + P[(u.chunks + k) * u.c + i];
  }
  DO[i] = a;
  DS[i] = b / sqrt(V[i] + u.eps);`, 'u.c');

/** y = (x - mean) * (scale / sqrt(var + eps)) + offset, scale and offset optional. */
function applySource(scale: boolean, offset: boolean): string {
  const names = ['X', 'M', 'V', ...(scale ? ['S'] : []), ...(offset ? ['O'] : [])];
  return elementFrame(`${names.map((n, k) => `@group(0) @binding(${k}) var<storage, read> ${n}: array<f32>;`).join('\n')}
@group(0) @binding(${names.length}) var<storage, read_write> Y: array<f32>;
struct U { n: u32, c: u32, eps: f32 }
@group(0) @binding(${names.length + 1}) var<uniform> u: U;`, `  let j = i % u.c;
  let k = ${scale ? 'S[j]' : '1.0'} / sqrt(V[j] + u.eps);
  Y[i] = (X[i] - M[j]) * k${offset ? ' + O[j]' : ''};`, 'u.n');
}

/**
 * dx = scale s (dy - dOffset / n - (x - mean) s dScale / n), s = 1 / sqrt(var + eps), from the
 * finished sums (dScale already holds s sum(dy (x - mean))).
 */
function gradDxSource(scale: boolean): string {
  const names = ['D', 'X', 'M', 'V', 'DO', 'DS', ...(scale ? ['S'] : [])];
  return elementFrame(`${names.map((n, k) => `@group(0) @binding(${k}) var<storage, read> ${n}: array<f32>;`).join('\n')}
@group(0) @binding(${names.length}) var<storage, read_write> Y: array<f32>;
struct U { n: u32, c: u32, eps: f32, inv: f32 }
@group(0) @binding(${names.length + 1}) var<uniform> u: U;`, `  let j = i % u.c;
  let s = 1.0 / sqrt(V[j] + u.eps);
  let centred = D[i] - DO[j] * u.inv - (X[i] - M[j]) * (s * DS[j] * u.inv);
  Y[i] = centred * (${scale ? 'S[j] * s' : 's'});`, 'u.n');
}

/** Channels per workgroup: the next power of two of c, at most 64. */
function channelTile(c: number): number {
  let ct = 1;
  while (ct < c && ct < 64) ct *= 2;
  return ct;
}

function words(ints: readonly number[], floats: readonly number[] = []): ArrayBuffer {
  const buf = new ArrayBuffer(Math.max(16, (ints.length + floats.length) * 4));
  new Uint32Array(buf, 0, ints.length).set(ints);
  new Float32Array(buf, ints.length * 4, floats.length).set(floats);
  return buf;
}

/** The per-channel partial sums of `kind` over x's rows: [chunks (x2 for 'grad'), c] and the chunk count. */
function partialSums(be: WebGpuBackend, kind: SumKind, inputs: readonly GpuData[], rows: number, c: number):
  { partials: GpuData; chunks: number } {
  const ct = channelTile(c);
  const lanes = THREADS / ct;
  const chunks = Math.min(MAX_CHUNKS, Math.max(1, Math.ceil(rows / (lanes * ROWS_PER_THREAD))));
  const per = Math.ceil(rows / chunks);
  const partials = be.allocFloat32(chunks * c * (kind === 'grad' ? 2 : 1));
  be.run(partialSource(kind), [...inputs, partials], [Math.ceil(c / ct), chunks, 1], words([rows, c, per, chunks, ct, lanes]));
  return { partials, chunks };
}

/** One statistic per channel: the partial sums of `kind` added and divided by the rows. */
function statistic(be: WebGpuBackend, kind: 'x' | 'sq', inputs: readonly GpuData[], rows: number, c: number): GpuData {
  const { partials, chunks } = partialSums(be, kind, inputs, rows, c);
  const out = be.allocFloat32(c);
  be.run(FINISH_STAT, [partials, out], grid(c), words([c, chunks], [1 / rows]));
  be.decRef(partials);
  return out;
}

const f32 = (ts: readonly (TensorInfo | null | undefined)[]): boolean => ts.every((t) => !t || t.dtype === 'float32');

export const batchNormKernels = {
  /**
   * Training (`stats` null: the batch's mean and biased variance, returned too) or inference
   * (the given statistics). Null, and the op composes, for another dtype or an empty x.
   */
  batchNorm(this: WebGpuBackend, x: TensorInfo, stats: { mean: TensorInfo; variance: TensorInfo } | null,
            scale: TensorInfo | null, offset: TensorInfo | null, epsilon: number):
    { y: DataId; mean: DataId | null; variance: DataId | null } | null {
    if (x.shape.length < 1 || !f32([x, stats?.mean, stats?.variance, scale, offset])) return null;
    const n = sizeFromShape(x.shape);
    const c = x.shape[x.shape.length - 1];
    if (n === 0) return null;
    const rows = n / c;
    const xd = x.dataId as GpuData;
    let mean: GpuData | null = null, variance: GpuData | null = null;
    if (!stats) {
      mean = statistic(this, 'x', [xd], rows, c);
      variance = statistic(this, 'sq', [xd, mean], rows, c);
    }
    const m = mean ?? stats!.mean.dataId as GpuData;
    const v = variance ?? stats!.variance.dataId as GpuData;
    const y = this.allocFloat32(n);
    this.run(applySource(scale !== null, offset !== null),
      [xd, m, v, ...(scale ? [scale.dataId as GpuData] : []), ...(offset ? [offset.dataId as GpuData] : []), y],
      grid(n), words([n, c], [epsilon]));
    return { y, mean, variance };
  },

  /**
   * The training-mode gradients (the statistics depend on x). With xc = x - mean,
   * s = 1 / sqrt(var + eps) and n rows: dOffset = sum dy, dScale = s sum(dy xc),
   * dx = scale s (dy - dOffset / n - xc s dScale / n).
   */
  batchNormGrad(this: WebGpuBackend, dy: TensorInfo, x: TensorInfo, mean: TensorInfo, variance: TensorInfo,
                scale: TensorInfo | null, epsilon: number): { dx: DataId; dScale: DataId; dOffset: DataId } | null {
    if (x.shape.length < 1 || !f32([dy, x, mean, variance, scale])) return null;
    const n = sizeFromShape(x.shape);
    const c = x.shape[x.shape.length - 1];
    if (n === 0) return null;
    const rows = n / c;
    const [dd, xd, md, vd] = [dy, x, mean, variance].map((t) => t.dataId as GpuData);
    const { partials, chunks } = partialSums(this, 'grad', [dd, xd, md], rows, c);
    const dOffset = this.allocFloat32(c);
    const dScale = this.allocFloat32(c);
    this.run(FINISH_GRAD, [partials, vd, dOffset, dScale], grid(c), words([c, chunks], [epsilon]));
    this.decRef(partials);
    const dx = this.allocFloat32(n);
    this.run(gradDxSource(scale !== null), [dd, xd, md, vd, dOffset, dScale, ...(scale ? [scale.dataId as GpuData] : []), dx],
      grid(n), words([n, c], [epsilon, 1 / rows]));
    return { dx, dScale, dOffset };
  },
};
