/**
 * WGSL generators for the heavy kernels of the webgpu backend: the tiled GEMM here, and the
 * shared pieces (kernel description, activation epilogue, dispatch helpers) that conv2d.ts,
 * depthwise.ts and pool.ts reuse.
 *
 * Every generator is pure: it takes the problem's sizes and flags and returns a `WgslKernel`
 * (source, entry point, dispatch size, uniform bytes, binding order). It needs no device, so a
 * pipeline cache can key on `key` and compile `code` once. Sizes travel in the uniform buffer,
 * not in the source: one pipeline serves every shape of a kernel family with the same flags.
 *
 * Binding convention (group 0, in this order): the inputs as read-only storage buffers, then
 * the output as a read_write storage buffer, then the uniform buffer. `bindings` lists them by
 * name; every listed binding is used by the shader, so `layout: 'auto'` keeps them all.
 * All tensors are float32, row-major, without offsets (a view with an offset must be copied or
 * bound with a buffer offset by the caller).
 */

export interface KernelBinding {
  name: string;
  /** read-only storage, read_write storage (the output) or the uniform block */
  kind: 'read' | 'read_write' | 'uniform';
}

export interface WgslKernel {
  /** family name, for reports */
  name: string;
  /** identifies the compiled pipeline: equal keys mean equal `code` */
  key: string;
  code: string;
  entryPoint: string;
  workgroupSize: readonly [number, number, number];
  /** dispatchWorkgroups(x, y, z); each at most 65535 */
  workgroups: [number, number, number];
  /** bytes to write into the uniform buffer (binding `params`), a multiple of 16 */
  uniforms: ArrayBuffer;
  /** group 0 bindings in binding order */
  bindings: readonly KernelBinding[];
  /** float32 elements of the output buffer the kernel writes (all of them) */
  outputSize: number;
}

/** Epilogues the fused kernels apply after the bias (TensorFlow.js' fused set less prelu). */
export type GpuActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu';

/** WGSL `fn act(v: f32, alpha: f32) -> f32`; alpha is leakyrelu's slope, ignored by the others. */
export function activationWgsl(activation: GpuActivation): string {
  const body: Record<GpuActivation, string> = {
    linear: 'return v;',
    relu: 'return max(v, 0.0);',
    relu6: 'return clamp(v, 0.0, 6.0);',
    // exp of a large positive v is never taken: select evaluates both, so clamp its argument
    elu: 'return select(exp(min(v, 0.0)) - 1.0, v, v > 0.0);',
    sigmoid: 'return 1.0 / (1.0 + exp(-v));',
    leakyrelu: 'return select(v * alpha, v, v > 0.0);',
  };
  if (!(activation in body)) {
    throw new Error(`webgpu kernels: activation must be one of ${Object.keys(body).join(', ')}, got ${JSON.stringify(activation)}`);
  }
  return `fn act(v: f32, alpha: f32) -> f32 { ${body[activation]} }`;
}

/** The largest workgroup count WebGPU guarantees per dimension. */
export const MAX_WORKGROUPS_PER_DIM = 65535;

/**
 * Workgroups for `count` independent work items, `perGroup` items each: x up to 65535, the rest
 * in y. The shader recovers the flat group index with `flatGroup()` (from DISPATCH_WGSL).
 */
export function dispatch1d(count: number, perGroup: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(count / perGroup));
  if (groups <= MAX_WORKGROUPS_PER_DIM) return [groups, 1, 1];
  const y = Math.ceil(groups / MAX_WORKGROUPS_PER_DIM);
  if (y > MAX_WORKGROUPS_PER_DIM) throw new Error(`webgpu kernels: ${count} work items is more than one dispatch can hold`);
  return [Math.ceil(groups / y), y, 1];
}

/** WGSL helper for kernels dispatched by dispatch1d (extra groups of the last row do nothing). */
export const DISPATCH_WGSL = `
fn flatGroup(wid: vec3<u32>, nwg: vec3<u32>) -> i32 { return i32(wid.y * nwg.x + wid.x); }`;

/** Packs i32 and f32 fields into a uniform block: 4 bytes each, padded to 16 bytes. */
export function packUniforms(fields: readonly (readonly [number, 'i32' | 'f32'])[]): ArrayBuffer {
  const bytes = Math.ceil((fields.length * 4) / 16) * 16;
  const view = new DataView(new ArrayBuffer(bytes));
  fields.forEach(([v, t], i) => {
    if (t === 'i32') {
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
        throw new Error(`webgpu kernels: uniform field ${i} must be a 32-bit integer, got ${v}`);
      }
      view.setInt32(i * 4, v, true);
    } else {
      view.setFloat32(i * 4, v, true);
    }
  });
  return view.buffer;
}

// ---------------------------------------------------------------------------------------------
// The tiled GEMM core, shared by matMul and the three implicit-GEMM convolutions.
//
// C[M, N] = A[M, K] B[K, N] per batch. A workgroup of 16x16 invocations computes a 64x64 tile
// of C, each invocation a 4x4 block (rows ty*4.., columns tx*4..), so every value read from
// workgroup memory feeds four multiply-adds. K advances 16 at a time: the workgroup first
// copies a 64x16 slice of A and a 16x64 slice of B into workgroup memory (8 KiB, far below the
// 16 KiB WebGPU guarantees), then every invocation runs its 4x4 outer products from there.
// Workgroup memory holds vec4s along M (for A) and along N (for B) so one load gives an
// invocation its 4 rows or 4 columns.
//
// A variant supplies three WGSL functions, all bounds-checked (zero outside):
//   loadA(batch, row, k) -> f32, loadB(batch, k, col) -> f32, store(batch, row, col, v)
// and says along which index each operand is contiguous in memory, so that neighbouring
// invocations of the tile copy read neighbouring addresses (coalesced global reads).
// ---------------------------------------------------------------------------------------------

export const GEMM_TILE_M = 64;
export const GEMM_TILE_N = 64;
export const GEMM_TILE_K = 16;

export interface GemmCoreSpec {
  /** struct Params, bindings and the loadA / loadB / store functions */
  prelude: string;
  /** A's consecutive addresses run along k (else along the row index) */
  aAlongK: boolean;
  /** B's consecutive addresses run along the column index (else along k) */
  bAlongN: boolean;
  /** optional WGSL statements run once per workgroup before the K loop (batch offsets...) */
  setup?: string;
  /**
   * WGSL defining `kBegin` and `kEnd`, the part of K this workgroup sums (default all of it;
   * split-K variants give each wid.z a chunk, a multiple of 16 so no tile crosses two chunks)
   */
  kRange?: string;
}

export function gemmCoreWgsl(spec: GemmCoreSpec): string {
  // tile copy: 256 invocations, 1024 values per operand, 4 each. `t` is the invocation index.
  const aCopy = spec.aAlongK
    ? 'let kk = t % 16; let r = t / 16 + 16 * i;' // 16 neighbours read 16 consecutive k
    : 'let r = t % 64; let kk = t / 64 + 4 * i;'; // 64 neighbours read 64 consecutive rows
  const bCopy = spec.bAlongN
    ? 'let c = t % 64; let kk = t / 64 + 4 * i;'
    : 'let kk = t % 16; let c = t / 16 + 16 * i;';
  return `${spec.prelude}

// tiles of A (k-major, 4 rows per vec4) and B (k-major, 4 columns per vec4)
var<workgroup> tileA: array<vec4<f32>, 256>; // [16 k][16 row groups]
var<workgroup> tileB: array<vec4<f32>, 256>; // [16 k][16 column groups]

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) lidx: u32) {
  let batch = i32(wid.z);
  let row0 = i32(wid.y) * 64;
  let col0 = i32(wid.x) * 64;
  let tx = i32(lid.x);
  let ty = i32(lid.y);
  let t = i32(lidx);
${spec.setup ?? ''}
  var acc: array<vec4<f32>, 4>; // acc[i][j]: row ty*4+i, column tx*4+j (zero-initialised)
  ${spec.kRange ?? 'let kBegin = 0;\n  let kEnd = P.K;'}
  for (var k0 = kBegin; k0 < kEnd; k0 = k0 + 16) {
    for (var i = 0; i < 4; i = i + 1) {
      ${aCopy}
      tileA[kk * 16 + r / 4][r % 4] = loadA(batch, row0 + r, k0 + kk);
    }
    for (var i = 0; i < 4; i = i + 1) {
      ${bCopy}
      tileB[kk * 16 + c / 4][c % 4] = loadB(batch, k0 + kk, col0 + c);
    }
    workgroupBarrier();
    for (var kk = 0; kk < 16; kk = kk + 1) {
      let a = tileA[kk * 16 + ty];
      let b = tileB[kk * 16 + tx];
      acc[0] = fma(vec4<f32>(a.x), b, acc[0]);
      acc[1] = fma(vec4<f32>(a.y), b, acc[1]);
      acc[2] = fma(vec4<f32>(a.z), b, acc[2]);
      acc[3] = fma(vec4<f32>(a.w), b, acc[3]);
    }
    // nobody may overwrite the tiles before everyone has read them
    workgroupBarrier();
  }
  for (var i = 0; i < 4; i = i + 1) {
    let row = row0 + ty * 4 + i;
    for (var j = 0; j < 4; j = j + 1) {
      store(batch, row, col0 + tx * 4 + j, acc[i][j]);
    }
  }
}
`;
}

/**
 * How many chunks of K to sum separately (split-K) so that an M x N result with few tiles and a
 * long K still gives the GPU about 64 workgroups: 1 when the tiles alone do, never chunks
 * shorter than 256.
 */
export function suggestSplitK(m: number, n: number, k: number): number {
  const tiles = Math.ceil(m / GEMM_TILE_M) * Math.ceil(n / GEMM_TILE_N);
  if (tiles >= 64) return 1;
  return Math.max(1, Math.min(Math.ceil(64 / tiles), Math.floor(k / 256), 64));
}

/** Workgroups of the GEMM core for an M x N result and `batches` of them. */
export function gemmWorkgroups(m: number, n: number, batches: number): [number, number, number] {
  const w: [number, number, number] = [Math.max(1, Math.ceil(n / GEMM_TILE_N)), Math.max(1, Math.ceil(m / GEMM_TILE_M)), Math.max(1, batches)];
  if (w.some((d) => d > MAX_WORKGROUPS_PER_DIM)) {
    throw new Error(`webgpu gemm: ${m}x${n} x ${batches} batches needs ${w.join('x')} workgroups, more than ${MAX_WORKGROUPS_PER_DIM} in one dimension`);
  }
  return w;
}

// ---------------------------------------------------------------------------------------------
// matMul: batched, broadcasting batch dims, transposes folded into the loads, optional bias
// (length N, added to every row) and activation.
// ---------------------------------------------------------------------------------------------

export interface MatMulParams {
  /** a: [...batchA, m, k] ([..., k, m] when transposeA) */
  aShape: readonly number[];
  /** b: [...batchB, k, n] ([..., n, k] when transposeB) */
  bShape: readonly number[];
  transposeA: boolean;
  transposeB: boolean;
  /** broadcast batch shape of the result; defaults to the broadcast of the operands' batch dims */
  outBatch?: readonly number[];
  /** add bias[n] (binding `bias`) before the activation */
  bias?: boolean;
  activation?: GpuActivation;
  /** leakyrelu's slope (default 0.2, as TensorFlow.js) */
  alpha?: number;
}

/** Up to this many batch dimensions after merging neighbours that broadcast alike. */
const MAX_BATCH_DIMS = 4;

/**
 * Batch dims of the result with each operand's element stride per dim (0 where it broadcasts),
 * neighbours merged where both operands step alike, left-padded with 1s to MAX_BATCH_DIMS.
 */
function batchLayout(batchA: readonly number[], batchB: readonly number[], outBatch: readonly number[],
                     aMatrix: number, bMatrix: number): { dims: number[]; aStr: number[]; bStr: number[] } {
  const r = outBatch.length;
  const pad = (s: readonly number[]) => [...Array(r - s.length).fill(1), ...s];
  const pa = pad(batchA);
  const pb = pad(batchB);
  for (let d = 0; d < r; d++) {
    for (const [s, name] of [[pa, 'a'], [pb, 'b']] as const) {
      if (s[d] !== 1 && s[d] !== outBatch[d]) {
        throw new Error(`webgpu matMul: batch dim ${d} of ${name} is ${s[d]}, expected 1 or ${outBatch[d]} (outBatch ${JSON.stringify(outBatch)})`);
      }
    }
  }
  // element strides of each operand's batch dims (row-major over its own batch shape)
  const strides = (s: number[], matrix: number) => {
    const out = new Array(r).fill(0);
    let acc = matrix;
    for (let d = r - 1; d >= 0; d--) {
      out[d] = s[d] === 1 ? 0 : acc;
      acc *= s[d];
    }
    return out;
  };
  const sa = strides(pa, aMatrix);
  const sb = strides(pb, bMatrix);
  const dims: number[] = [];
  const aStr: number[] = [];
  const bStr: number[] = [];
  for (let d = 0; d < r; d++) {
    if (outBatch[d] === 1) continue;
    const last = dims.length - 1;
    // merge dim d into the previous one when stepping the previous by one equals stepping d
    // through all of its extent, for both operands
    if (last >= 0 && aStr[last] === sa[d] * outBatch[d] && bStr[last] === sb[d] * outBatch[d]) {
      dims[last] *= outBatch[d];
      aStr[last] = sa[d];
      bStr[last] = sb[d];
    } else {
      dims.push(outBatch[d]);
      aStr.push(sa[d]);
      bStr.push(sb[d]);
    }
  }
  if (dims.length > MAX_BATCH_DIMS) {
    throw new Error(`webgpu matMul: the batch broadcast ${JSON.stringify(batchA)} x ${JSON.stringify(batchB)} needs ${dims.length} batch dims, at most ${MAX_BATCH_DIMS} are supported`);
  }
  while (dims.length < MAX_BATCH_DIMS) {
    dims.unshift(1);
    aStr.unshift(0);
    bStr.unshift(0);
  }
  return { dims, aStr, bStr };
}

function broadcastBatch(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`webgpu matMul: batch dims ${JSON.stringify(a)} and ${JSON.stringify(b)} do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/**
 * Bindings: a, b, [bias], out, params. Output [...outBatch, m, n].
 */
export function matMulKernel(p: MatMulParams): WgslKernel {
  const { aShape, bShape, transposeA, transposeB } = p;
  if (aShape.length < 2 || bShape.length < 2) {
    throw new Error(`webgpu matMul: operands must have rank >= 2, got ${JSON.stringify(aShape)} and ${JSON.stringify(bShape)}`);
  }
  const ra = aShape.length;
  const rb = bShape.length;
  const m = transposeA ? aShape[ra - 1] : aShape[ra - 2];
  const k = transposeA ? aShape[ra - 2] : aShape[ra - 1];
  const kb = transposeB ? bShape[rb - 1] : bShape[rb - 2];
  const n = transposeB ? bShape[rb - 2] : bShape[rb - 1];
  if (k !== kb) {
    throw new Error(`webgpu matMul: inner sizes differ: a ${JSON.stringify(aShape)}${transposeA ? 'ᵀ' : ''} has ${k}, b ${JSON.stringify(bShape)}${transposeB ? 'ᵀ' : ''} has ${kb}`);
  }
  const batchA = aShape.slice(0, ra - 2);
  const batchB = bShape.slice(0, rb - 2);
  const outBatch = p.outBatch ?? broadcastBatch(batchA, batchB);
  const { dims, aStr, bStr } = batchLayout(batchA, batchB, outBatch, m * k, k * n);
  const batches = outBatch.reduce((x, y) => x * y, 1);
  const activation = p.activation ?? 'linear';
  const bias = p.bias ?? false;
  // element strides inside one matrix: A[i, p] = a[i*aRow + p*aCol], B[p, j] = b[p*bRow + j*bCol]
  const aRow = transposeA ? 1 : k;
  const aCol = transposeA ? m : 1;
  const bRow = transposeB ? 1 : n;
  const bCol = transposeB ? k : 1;
  const prelude = `
struct Params {
  M: i32, N: i32, K: i32, alpha: f32,
  batchDims: vec4<i32>,   // the result's batch dims, merged and left-padded with 1s
  aBatch: vec4<i32>,      // a's element stride per batch dim (0: broadcast)
  bBatch: vec4<i32>,
  aRow: i32, aCol: i32, bRow: i32, bCol: i32,
}
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
${bias ? '@group(0) @binding(2) var<storage, read> bias: array<f32>;' : ''}
@group(0) @binding(${bias ? 3 : 2}) var<storage, read_write> out: array<f32>;
@group(0) @binding(${bias ? 4 : 3}) var<uniform> P: Params;

// offsets of this workgroup's matrices, set once in main (module scope so the loaders see them)
var<private> aBase: i32;
var<private> bBase: i32;

${activationWgsl(activation)}

fn loadA(batch: i32, row: i32, k: i32) -> f32 {
  if (row >= P.M || k >= P.K) { return 0.0; }
  return a[aBase + row * P.aRow + k * P.aCol];
}
fn loadB(batch: i32, k: i32, col: i32) -> f32 {
  if (k >= P.K || col >= P.N) { return 0.0; }
  return b[bBase + k * P.bRow + col * P.bCol];
}
fn store(batch: i32, row: i32, col: i32, v: f32) {
  if (row >= P.M || col >= P.N) { return; }
  out[(batch * P.M + row) * P.N + col] = act(v${bias ? ' + bias[col]' : ''}, P.alpha);
}`;
  // split the batch index into the (up to 4) batch dims, innermost last
  const setup = `
  var rest = batch;
  aBase = 0;
  bBase = 0;
  for (var d = 3; d >= 0; d = d - 1) {
    let c = rest % P.batchDims[d];
    rest = rest / P.batchDims[d];
    aBase = aBase + c * P.aBatch[d];
    bBase = bBase + c * P.bBatch[d];
  }`;
  const code = gemmCoreWgsl({ prelude, aAlongK: !transposeA, bAlongN: !transposeB, setup });
  const uniforms = packUniforms([
    [m, 'i32'], [n, 'i32'], [k, 'i32'], [p.alpha ?? 0.2, 'f32'],
    ...dims.map((d) => [d, 'i32'] as const),
    ...aStr.map((d) => [d, 'i32'] as const),
    ...bStr.map((d) => [d, 'i32'] as const),
    [aRow, 'i32'], [aCol, 'i32'], [bRow, 'i32'], [bCol, 'i32'],
  ]);
  const bindings: KernelBinding[] = [
    { name: 'a', kind: 'read' }, { name: 'b', kind: 'read' },
    ...(bias ? [{ name: 'bias', kind: 'read' } as const] : []),
    { name: 'out', kind: 'read_write' }, { name: 'params', kind: 'uniform' },
  ];
  return {
    name: 'matMul',
    key: `matMul:tA=${+transposeA}:tB=${+transposeB}:bias=${+bias}:act=${activation}`,
    code, entryPoint: 'main', workgroupSize: [16, 16, 1],
    workgroups: gemmWorkgroups(m, n, batches),
    uniforms, bindings, outputSize: batches * m * n,
  };
}
