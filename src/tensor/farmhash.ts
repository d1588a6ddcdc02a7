/**
 * Farmhash's Fingerprint64 (farmhashna's 64-bit hash, seed 81), the hash TensorFlow's
 * StringToHashBucketFast uses, so that a string lands in the same bucket here as in TensorFlow
 * and TensorFlow.js. Written on BigInt: every step is unsigned 64-bit arithmetic, each result
 * masked back to 64 bits.
 */

const MASK = (1n << 64n) - 1n;
// the three multipliers of the farmhash family
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;

const add = (a: bigint, b: bigint): bigint => (a + b) & MASK;
const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;

function rotate(v: bigint, shift: bigint): bigint {
  return shift === 0n ? v : ((v >> shift) | (v << (64n - shift))) & MASK;
}

function shiftMix(v: bigint): bigint {
  return v ^ (v >> 47n);
}

/** Reads little-endian words of the hashed bytes. */
class Reader {
  private readonly view: DataView;
  constructor(bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u64(at: number): bigint {
    return this.view.getBigUint64(at, true);
  }
  u32(at: number): bigint {
    return BigInt(this.view.getUint32(at, true));
  }
}

/** Mixes two words into one (farmhash's HashLen16 with a multiplier). */
function mix16(u: bigint, v: bigint, m: bigint): bigint {
  let a = mul(u ^ v, m);
  a = shiftMix(a);
  let b = mul(v ^ a, m);
  b = shiftMix(b);
  return mul(b, m);
}

function upTo16(bytes: Uint8Array, r: Reader, len: number): bigint {
  const n = BigInt(len);
  if (len >= 8) {
    const m = add(K2, n * 2n);
    const a = add(r.u64(0), K2);
    const b = r.u64(len - 8);
    const c = add(mul(rotate(b, 37n), m), a);
    const d = mul(add(rotate(a, 25n), b), m);
    return mix16(c, d, m);
  }
  if (len >= 4) {
    const m = add(K2, n * 2n);
    return mix16(add(n, r.u32(0) << 3n), r.u32(len - 4), m);
  }
  if (len > 0) {
    const y = BigInt(bytes[0] + (bytes[len >> 1] << 8));
    const z = BigInt(len + (bytes[len - 1] << 2));
    return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2);
  }
  return K2;
}

function upTo32(r: Reader, len: number): bigint {
  const m = add(K2, BigInt(len) * 2n);
  const a = mul(r.u64(0), K1);
  const b = r.u64(8);
  const c = mul(r.u64(len - 8), m);
  const d = mul(r.u64(len - 16), K2);
  return mix16(add(add(rotate(add(a, b), 43n), rotate(c, 30n)), d), add(add(a, rotate(add(b, K2), 18n)), c), m);
}

function upTo64(r: Reader, len: number): bigint {
  const m = add(K2, BigInt(len) * 2n);
  const a = mul(r.u64(0), K2);
  const b = r.u64(8);
  const c = mul(r.u64(len - 8), m);
  const d = mul(r.u64(len - 16), K2);
  const y = add(add(rotate(add(a, b), 43n), rotate(c, 30n)), d);
  const z = mix16(y, add(add(a, rotate(add(b, K2), 18n)), c), m);
  const e = mul(r.u64(16), m);
  const f = r.u64(24);
  const g = mul(add(y, r.u64(len - 32)), m);
  const h = mul(add(z, r.u64(len - 24)), m);
  return mix16(add(add(rotate(add(e, f), 43n), rotate(g, 30n)), h), add(add(e, rotate(add(f, a), 18n)), g), m);
}

/** Two words from 32 bytes at `at` and two seeds (farmhash's WeakHashLen32WithSeeds). */
function weak32(r: Reader, at: number, seedA: bigint, seedB: bigint): [bigint, bigint] {
  const w = r.u64(at);
  const x = r.u64(at + 8);
  const y = r.u64(at + 16);
  const z = r.u64(at + 24);
  let a = add(seedA, w);
  let b = rotate(add(add(seedB, a), z), 21n);
  const c = a;
  a = add(add(a, x), y);
  b = add(b, rotate(a, 44n));
  return [add(a, z), add(b, c)];
}

/** The 64-bit Fingerprint64 of the first `len` bytes, as an unsigned BigInt. */
export function fingerprint64(bytes: Uint8Array, len = bytes.length): bigint {
  if (!Number.isInteger(len) || len < 0 || len > bytes.length) {
    throw new Error(`fingerPrint64: len must be an integer in [0, ${bytes.length}], got ${len}`);
  }
  const r = new Reader(bytes);
  if (len <= 16) return upTo16(bytes, r, len);
  if (len <= 32) return upTo32(r, len);
  if (len <= 64) return upTo64(r, len);

  // longer inputs: 64-byte blocks through a state of five words, then the last 64 bytes
  const seed = 81n;
  let x = seed;
  let y = add(mul(seed, K1), 113n);
  let z = mul(shiftMix(add(mul(y, K2), 113n)), K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  x = add(mul(x, K2), r.u64(0));
  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = end + ((len - 1) & 63) - 63;
  const step = (at: number, m: bigint, times: bigint) => {
    x = mul(rotate(add(add(add(x, y), v[0]), r.u64(at + 8)), 37n), m);
    y = mul(rotate(add(add(y, v[1]), r.u64(at + 48)), 42n), m);
    x ^= mul(w[1], times);
    y = add(y, add(mul(v[0], times), r.u64(at + 40)));
    z = mul(rotate(add(z, w[0]), 33n), m);
    v = weak32(r, at, mul(v[1], m), add(x, w[0]));
    w = weak32(r, at + 32, add(z, w[1]), add(y, r.u64(at + 16)));
    [x, z] = [z, x];
  };
  for (let at = 0; at !== end; at += 64) step(at, K1, 1n);
  const m = add(K1, (z & 0xffn) << 1n);
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  step(last64, m, 9n);
  return mix16(add(add(mix16(v[0], w[0], m), mul(shiftMix(y), K0)), z), add(mix16(v[1], w[1], m), x), m);
}
