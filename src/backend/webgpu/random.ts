/**
 * Dropout masks on the GPU from the same draws as the js backend: the xoshiro128** generator of
 * tensor/random.ts, draw i of the mask being the generator's i-th next output from `state`.
 *
 * The generator is sequential, but its state update is linear over GF(2): 128 state bits times
 * a fixed 128x128 bit matrix T. So draw number k*C starts from T^(kC) state, and a thread can
 * jump there by multiplying with the precomputed powers T^(2^b) for the set bits of kC (C a power
 * of two). Each GPU thread jumps to the start of its chunk of C draws and makes them in order;
 * the CPU jumps the caller's state by n the same way (no n-step loop in JavaScript, no mask
 * upload). The powers are built once per process (32 matrices of 2 KiB); a call uploads those its
 * threads need.
 */
import type { DataId } from '../types.js';
import type { GpuData } from './buffers.js';
import { elementFrame, grid } from './elementwise.js';
import type { WebGpuBackend } from './backend.js';

/** draws per GPU thread: 2^LOG_CHUNK */
const LOG_CHUNK = 8;
const WORDS = 128 * 4;

/** One step of xoshiro128**'s state (the output is not needed here), in place. */
export function stepState(s: Uint32Array): void {
  const t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = (s[3] << 11) | (s[3] >>> 21);
}

let powers: Uint32Array | null = null;

/** T^(2^b) for b = 0..31: matrix b's column i (4 words) is the image of state bit i. */
function jumpPowers(): Uint32Array {
  if (powers) return powers;
  const m = new Uint32Array(32 * WORDS);
  const e = new Uint32Array(4);
  for (let i = 0; i < 128; i++) {
    e.fill(0);
    e[i >> 5] = 1 << (i & 31);
    stepState(e);
    m.set(e, i * 4);
  }
  for (let b = 1; b < 32; b++) {
    const prev = m.subarray((b - 1) * WORDS, b * WORDS);
    for (let i = 0; i < 128; i++) m.set(applyMatrix(prev, prev.subarray(i * 4, i * 4 + 4)), b * WORDS + i * 4);
  }
  powers = m;
  return m;
}

/** The matrix `m` (128 columns of 4 words) times the state `s`. */
function applyMatrix(m: Uint32Array, s: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(4);
  for (let i = 0; i < 128; i++) {
    if ((s[i >> 5] >>> (i & 31)) & 1) {
      out[0] ^= m[i * 4]; out[1] ^= m[i * 4 + 1]; out[2] ^= m[i * 4 + 2]; out[3] ^= m[i * 4 + 3];
    }
  }
  return out;
}

/** `state` advanced by `n` steps (n < 2^32), as n calls of Random.nextUint32 would leave it. */
export function jumpState(state: ArrayLike<number>, n: number): Uint32Array {
  const m = jumpPowers();
  let s: Uint32Array = Uint32Array.from({ length: 4 }, (_, k) => state[k] >>> 0);
  for (let b = 0; b < 32; b++) {
    if (Math.floor(n / 2 ** b) % 2 === 1) s = applyMatrix(m.subarray(b * WORDS, (b + 1) * WORDS), s);
  }
  return s;
}

/**
 * Thread g jumps by g * 2^LOG_CHUNK with the uploaded powers J (matrix b is T^(2^(b + LOG_CHUNK))),
 * then writes scale where its draw is <= keepMax, else 0.
 */
const MASK = elementFrame(`@group(0) @binding(0) var<storage, read> J: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> Y: array<f32>;
struct U { n: u32, groups: u32, bits: u32, keepMax: u32, s0: u32, s1: u32, s2: u32, s3: u32, scale: f32 }
@group(0) @binding(2) var<uniform> u: U;`, `  var s = vec4<u32>(u.s0, u.s1, u.s2, u.s3);
  for (var b = 0u; b < u.bits; b = b + 1u) {
    if (((i >> b) & 1u) == 1u) {
      var o = vec4<u32>(0u, 0u, 0u, 0u);
      for (var k = 0u; k < 128u; k = k + 1u) {
        if (((s[k >> 5u] >> (k & 31u)) & 1u) == 1u) { o = o ^ J[b * 128u + k]; }
      }
      s = o;
    }
  }
  var s0 = s.x;
  var s1 = s.y;
  var s2 = s.z;
  var s3 = s.w;
  let first = i << ${LOG_CHUNK}u;
  let last = min(first + ${1 << LOG_CHUNK}u, u.n);
  for (var k = first; k < last; k = k + 1u) {
    let m = s1 * 5u;
    let draw = ((m << 7u) | (m >> 25u)) * 9u;
    Y[k] = select(0.0, u.scale, draw <= u.keepMax);
    let t = s1 << 9u;
    s2 = s2 ^ s0;
    s3 = s3 ^ s1;
    s1 = s1 ^ s2;
    s0 = s0 ^ s3;
    s2 = s2 ^ t;
    s3 = (s3 << 11u) | (s3 >> 21u);
  }`, 'u.groups');

export const randomKernels = {
  /**
   * n float32 values: scale where the generator's next draw is below `threshold`, else 0; `state`
   * (4 words) advanced by n in place. Null (the op draws in JavaScript) for n of 2^32 or more.
   */
  dropoutMask(this: WebGpuBackend, n: number, state: Int32Array, threshold: number, scale: number): DataId | null {
    if (!(n >= 0 && n < 2 ** 32)) return null;
    const out = this.allocFloat32(n);
    if (n > 0) {
      const groups = Math.ceil(n / 2 ** LOG_CHUNK);
      const bits = groups > 1 ? (groups - 1).toString(2).length : 0;
      // draw < threshold <=> draw <= ceil(threshold) - 1, for the integer draws (threshold > 0)
      const keepMax = Math.min(2 ** 32 - 1, Math.max(0, Math.ceil(threshold) - 1));
      const m = jumpPowers();
      const jumps = this.write(new Int32Array(m.buffer, LOG_CHUNK * WORDS * 4, Math.max(1, bits) * WORDS).slice(), 'int32') as GpuData;
      const u = new ArrayBuffer(48);
      new Uint32Array(u, 0, 8).set([n, groups, bits, keepMax, ...Array.from(state, (v) => v >>> 0)]);
      new Float32Array(u, 32, 1)[0] = scale;
      this.run(MASK, [jumps, out as GpuData], grid(groups), u);
      this.decRef(jumps);
    }
    state.set(Int32Array.from(jumpState(state, n), (v) => v | 0));
    return out;
  },
};
