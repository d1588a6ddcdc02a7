/**
 * SHA-256 of weight shards, in Node through node:crypto (fast, native) and in the browser with a
 * small implementation of FIPS 180-4, so that the model-file code runs in both. The round
 * constants are computed from their definition (fractional parts of the cube roots of the first
 * 64 primes; the initial state from square roots of the first 8) rather than written out.
 */
type Hasher = (data: Uint8Array) => string;

const isNode = typeof process !== 'undefined' && !!process.versions?.node;
const nodeHasher: Hasher | null = isNode
  ? await import('node:crypto').then((c) => (data: Uint8Array) => c.createHash('sha256').update(data).digest('hex'))
  : null;

function primes(count: number): number[] {
  const out: number[] = [];
  for (let n = 2; out.length < count; n++) if (out.every((p) => n % p !== 0)) out.push(n);
  return out;
}

const fraction32 = (x: number): number => Math.floor((x - Math.floor(x)) * 2 ** 32) >>> 0;
const P = primes(64);
const K = Uint32Array.from(P, (p) => fraction32(Math.cbrt(p)));
const H0 = Uint32Array.from(P.slice(0, 8), (p) => fraction32(Math.sqrt(p)));

function portableSha256(data: Uint8Array): string {
  const bitLength = data.length * 8;
  const padded = new Uint8Array(Math.ceil((data.length + 9) / 64) * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const h = Uint32Array.from(H0);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
  for (let block = 0; block < padded.length; block += 64) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(block + 4 * t);
    for (let t = 16; t < 64; t++) {
      const s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      const s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let t = 0; t < 64; t++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => (h[i] = (h[i] + v) >>> 0));
  }
  return Array.from(h, (v) => v.toString(16).padStart(8, '0')).join('');
}

/** Hex SHA-256 of `data`. */
export function sha256(data: Uint8Array): string {
  return nodeHasher ? nodeHasher(data) : portableSha256(data);
}

/** The browser's way, exposed for the test that checks both give the same digest. */
export { portableSha256 };
