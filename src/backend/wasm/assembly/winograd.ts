// ---- winograd area (issue 18): tasks 140-141 ----
// A 3x3, stride-1, dilation-1 convolution through Winograd's minimal filtering F(2x2, 3x3),
// NHWC, f32. Each 2x2 block of outputs ("tile") reads a 4x4 window of the input; with
//   V = B^T d B (input transform, adds only), U = G g G^T (filter transform, once per call),
//   Y = A^T (U .* V) A (output transform, adds only)
// the element-wise product over the 16 positions of the 4x4 transformed domain, summed over
// the input channels, is 16 independent matrix products [tiles, C] x [C, K]: 16 multiplies per
// tile and channel pair instead of the direct convolution's 36 (2.25x fewer).
//
// Work goes in blocks of T tiles: the block's transformed input V [16][T][Cp] and the products
// M [16][T][Kp] lie in the thread's scratch after the GEMM's own packing area, small enough to
// stay in the core's L2 between the transform that writes them and the step that reads them.
// The 16 products go through the project's GEMM on a filter packed once per call
// (gemm.ts: packPanels, gemmPacked). The transforms run 4 channels at a time in SIMD (channels
// are innermost in NHWC). Cp is the input depth rounded up to 4, the transformed filter having
// zero rows past C; Kp the output depth rounded up to 4 (M's row stride).
//
// Matrices (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016):
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
//   G   = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
//   A^T = [1 1 1 0; 0 1 -1 -1]
import { packPanels, packedPanelsSize, gemmPacked, gemmBlock, GEMM_SCRATCH, NC_MAX } from './gemm';
import { IN_H, IN_W, IN_C, OUT_H, OUT_W, OUT_C, PAD_T, PAD_L, gi, off, spreadRow } from './conv_geometry';

export const TASK_WINOGRAD_FILTER = 140, TASK_WINOGRAD = 141;
export const TASK_WINOGRAD_BACK_FILTER = 142, TASK_WINOGRAD_BACK_FILTER_SUM = 143;

@inline function pad4(n: i32): i32 {
  return (n + 3) & ~3;
}

/** entry (a, i) of G (4 x 3) */
@inline function gm(a: i32, i: i32): f32 {
  if (a == 0) return i == 0 ? 1 : 0;
  if (a == 3) return i == 2 ? 1 : 0;
  if (a == 1) return 0.5;
  return i == 1 ? -0.5 : 0.5;
}

/**
 * Position xi = 4a + b of the transformed filter: U[xi][c][k] = (G g[., ., c, k] G^T)[a][b]
 * for c < C (zero rows up to Cp), written as [Cp, K] at `raw` then packed for the GEMM into
 * `packed` (packedPanelsSize(Cp, K) floats per position). Arguments: g filter raw packed.
 */
export function winogradFilter(args: usize, xi: i32): void {
  const g = <usize>load<i32>(args), w = <usize>load<i32>(args, 4);
  const c = gi(g, IN_C), k = gi(g, OUT_C), cp = pad4(c);
  const raw = <usize>load<i32>(args, 8) + off(xi * cp * k);
  const packed = <usize>load<i32>(args, 12) + off(xi * packedPanelsSize(cp, k));
  const a = xi >> 2, b = xi & 3;
  const ga0 = gm(a, 0), ga1 = gm(a, 1), ga2 = gm(a, 2);
  const gb0 = gm(b, 0), gb1 = gm(b, 1), gb2 = gm(b, 2);
  const tap = off(c * k); // between filter taps (fy, fx) and (fy, fx + 1)
  for (let ci = 0; ci < cp; ci++) {
    for (let ko = 0; ko < k; ko++) {
      let u: f32 = 0;
      if (ci < c) {
        const p = w + off(ci * k + ko);
        // rows first: t[fx] = sum over fy of G[a][fy] g[fy][fx]
        const t0 = ga0 * load<f32>(p) + ga1 * load<f32>(p + 3 * tap) + ga2 * load<f32>(p + 6 * tap);
        const t1 = ga0 * load<f32>(p + tap) + ga1 * load<f32>(p + 4 * tap) + ga2 * load<f32>(p + 7 * tap);
        const t2 = ga0 * load<f32>(p + 2 * tap) + ga1 * load<f32>(p + 5 * tap) + ga2 * load<f32>(p + 8 * tap);
        u = gb0 * t0 + gb1 * t1 + gb2 * t2;
      }
      store<f32>(raw + off(ci * k + ko), u);
    }
  }
  packPanels(raw, k, 1, cp, k, packed);
}

/**
 * The input transform of one tile, 4 channels at a time: d is the 4x4 window at `base` (rows
 * `rs` bytes apart, columns `cs`), V's 16 rows for this tile start at `v`, `vs` bytes apart.
 * Column j of B^T d B is computed from column combinations of the window's rows.
 */
@inline function inputTile(base: usize, rs: usize, cs: usize, cp: i32, v: usize, vs: usize): void {
  for (let ch = 0; ch < cp; ch += 4) {
    const p = base + off(ch), q = v + off(ch);
    for (let j = 0; j < 4; j++) {
      // w_r = (d B)[r][j] for each row r: column j of the row transform
      const ca = j == 0 ? 0 : 1;
      const cb = j == 3 ? 3 : 2;
      let w0: v128, w1: v128, w2: v128, w3: v128;
      const pa = p + <usize>ca * cs, pb = p + <usize>cb * cs;
      if (j == 0 || j == 3) {
        w0 = f32x4.sub(v128.load(pa), v128.load(pb));
        w1 = f32x4.sub(v128.load(pa + rs), v128.load(pb + rs));
        w2 = f32x4.sub(v128.load(pa + 2 * rs), v128.load(pb + 2 * rs));
        w3 = f32x4.sub(v128.load(pa + 3 * rs), v128.load(pb + 3 * rs));
      } else if (j == 1) {
        w0 = f32x4.add(v128.load(pa), v128.load(pb));
        w1 = f32x4.add(v128.load(pa + rs), v128.load(pb + rs));
        w2 = f32x4.add(v128.load(pa + 2 * rs), v128.load(pb + 2 * rs));
        w3 = f32x4.add(v128.load(pa + 3 * rs), v128.load(pb + 3 * rs));
      } else {
        w0 = f32x4.sub(v128.load(pb), v128.load(pa));
        w1 = f32x4.sub(v128.load(pb + rs), v128.load(pa + rs));
        w2 = f32x4.sub(v128.load(pb + 2 * rs), v128.load(pa + 2 * rs));
        w3 = f32x4.sub(v128.load(pb + 3 * rs), v128.load(pa + 3 * rs));
      }
      // then B^T along the rows: positions (0, j), (1, j), (2, j), (3, j)
      const o = q + <usize>j * vs;
      v128.store(o, f32x4.sub(w0, w2));
      v128.store(o + 4 * vs, f32x4.add(w1, w2));
      v128.store(o + 8 * vs, f32x4.sub(w2, w1));
      v128.store(o + 12 * vs, f32x4.sub(w1, w3));
    }
  }
}

/** the first n (1-4) lanes of v to dst */
@inline function storeLanes(dst: usize, v: v128, n: i32): void {
  if (n == 4) {
    v128.store(dst, v);
    return;
  }
  store<f32>(dst, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(dst, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(dst, f32x4.extract_lane(v, 2), 8);
}

/**
 * Tiles t0..t1 (tile = (image, ty, tx) in row-major order over ceil(outH/2) x ceil(outW/2))
 * of conv(x, filter) + bias, relu when act is 1. Arguments: g x u out bias act tiles T per,
 * u the packed transformed filter (winogradFilter). Chunk i takes tiles i * per ..; scratch
 * holds the GEMM's packing area, then V, M and a zero-bordered 4x4 window for edge tiles.
 */
export function winogradTiles(args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>load<i32>(args), x = <usize>load<i32>(args, 4), u = <usize>load<i32>(args, 8);
  const out = <usize>load<i32>(args, 12), bias = <usize>load<i32>(args, 16), act = load<i32>(args, 20);
  const tiles = load<i32>(args, 24), tb = load<i32>(args, 28), per = load<i32>(args, 32);
  const c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W), k = gi(g, OUT_C);
  const cp = pad4(c), kp = pad4(k);
  const tilesW = (outW + 1) >> 1, tilesH = (outH + 1) >> 1, plane = tilesW * tilesH;
  const uStep = off(packedPanelsSize(cp, k));
  const vArea = scratch + <usize>((GEMM_SCRATCH + 63) & ~63);
  const vs = spreadRow(tb * cp), ms = spreadRow(tb * kp);
  const mArea = vArea + 16 * vs;
  const edge = mArea + 16 * ms;
  const zero = f32x4.splat(0);
  const t0 = chunk * per, t1 = min(tiles, t0 + per);
  for (let b0 = t0; b0 < t1; b0 += tb) {
    const nt = min(tb, t1 - b0);
    // 1. input transform of the block's tiles into V
    inputBlock(g, x, b0, nt, vArea, vs, edge);
    // 2. the 16 products M[xi] = V[xi] U[xi], [nt, Cp] x [Cp, K]
    for (let xi = 0; xi < 16; xi++) {
      gemmPacked(vArea + <usize>xi * vs, cp, 1, u + <usize>xi * uStep, cp, k, mArea + <usize>xi * ms, kp,
        0, nt, 0, 0, scratch);
    }
    // 3. output transform: Y = A^T M A per tile, 4 output channels at a time
    let img = b0 / plane, rem = b0 - img * plane, ty = rem / tilesW, tx = rem - ty * tilesW;
    const orow = off(outW * k);
    for (let t = 0; t < nt; t++) {
      const oy = 2 * ty, ox = 2 * tx;
      const two = oy + 1 < outH, right = ox + 1 < outW;
      const dst = out + off(((img * outH + oy) * outW + ox) * k);
      const m = mArea + off(t * kp);
      for (let ko = 0; ko < k; ko += 4) {
        const n = min(4, k - ko);
        const q = m + off(ko);
        // z[i][0] = m[i][0] + m[i][1] + m[i][2], z[i][1] = m[i][1] - m[i][2] - m[i][3] for rows i
        let z00: v128, z01: v128, z10: v128, z11: v128, z20: v128, z21: v128, z30: v128, z31: v128;
        {
          const a = v128.load(q), b1 = v128.load(q + ms), b2 = v128.load(q + 2 * ms), b3 = v128.load(q + 3 * ms);
          const s = f32x4.add(b1, b2);
          z00 = f32x4.add(a, s); z01 = f32x4.sub(f32x4.sub(b1, b2), b3);
        }
        {
          const r = q + 4 * ms;
          const a = v128.load(r), b1 = v128.load(r + ms), b2 = v128.load(r + 2 * ms), b3 = v128.load(r + 3 * ms);
          z10 = f32x4.add(a, f32x4.add(b1, b2)); z11 = f32x4.sub(f32x4.sub(b1, b2), b3);
        }
        {
          const r = q + 8 * ms;
          const a = v128.load(r), b1 = v128.load(r + ms), b2 = v128.load(r + 2 * ms), b3 = v128.load(r + 3 * ms);
          z20 = f32x4.add(a, f32x4.add(b1, b2)); z21 = f32x4.sub(f32x4.sub(b1, b2), b3);
        }
        {
          const r = q + 12 * ms;
          const a = v128.load(r), b1 = v128.load(r + ms), b2 = v128.load(r + 2 * ms), b3 = v128.load(r + 3 * ms);
          z30 = f32x4.add(a, f32x4.add(b1, b2)); z31 = f32x4.sub(f32x4.sub(b1, b2), b3);
        }
        let y00 = f32x4.add(z00, f32x4.add(z10, z20)), y01 = f32x4.add(z01, f32x4.add(z11, z21));
        let y10 = f32x4.sub(f32x4.sub(z10, z20), z30), y11 = f32x4.sub(f32x4.sub(z11, z21), z31);
        if (bias != 0) {
          const bv = n == 4 ? v128.load(bias + off(ko)) : biasPart(bias + off(ko), n);
          y00 = f32x4.add(y00, bv); y01 = f32x4.add(y01, bv); y10 = f32x4.add(y10, bv); y11 = f32x4.add(y11, bv);
        }
        if (act == 1) {
          y00 = f32x4.max(y00, zero); y01 = f32x4.max(y01, zero); y10 = f32x4.max(y10, zero); y11 = f32x4.max(y11, zero);
        }
        const d = dst + off(ko);
        storeLanes(d, y00, n);
        if (right) storeLanes(d + off(k), y01, n);
        if (two) {
          storeLanes(d + orow, y10, n);
          if (right) storeLanes(d + orow + off(k), y11, n);
        }
      }
      if (++tx == tilesW) {
        tx = 0;
        if (++ty == tilesH) { ty = 0; img++; }
      }
    }
  }
}

/** the first n (1-3) floats at p, zeros after */
function biasPart(p: usize, n: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

export function winogradTask(task: i32, args: usize, chunk: i32, scratch: usize): void {
  if (task == TASK_WINOGRAD_FILTER) winogradFilter(args, chunk);
  else if (task == TASK_WINOGRAD) winogradTiles(args, chunk, scratch);
  else if (task == TASK_WINOGRAD_BACK_FILTER) winogradBackFilter(args, chunk, scratch);
  else if (task == TASK_WINOGRAD_BACK_FILTER_SUM) winogradBackFilterSum(args, chunk, scratch);
}

/** The input transform of tiles b0 .. b0 + nt into V (tile t's 16 rows at vArea + t * Cp floats, vs bytes apart). */
function inputBlock(g: usize, x: usize, b0: i32, nt: i32, vArea: usize, vs: usize, edge: usize): void {
  const inH = gi(g, IN_H), inW = gi(g, IN_W), c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W);
  const padT = gi(g, PAD_T), padL = gi(g, PAD_L);
  const cp = pad4(c);
  const tilesW = (outW + 1) >> 1, tilesH = (outH + 1) >> 1, plane = tilesW * tilesH;
  const rs = off(inW * c), cs = off(c);
  let img = b0 / plane, rem = b0 - img * plane, ty = rem / tilesW, tx = rem - ty * tilesW;
  for (let t = 0; t < nt; t++) {
    const iy = 2 * ty - padT, ix = 2 * tx - padL;
    const v = vArea + off(t * cp);
    if (c == cp && iy >= 0 && ix >= 0 && iy + 4 <= inH && ix + 4 <= inW) {
      inputTile(x + off(((img * inH + iy) * inW + ix) * c), rs, cs, cp, v, vs);
    } else {
      // an edge tile (or a depth not a multiple of 4): the window copied into a zeroed 4x4 x Cp block
      memory.fill(edge, 0, off(16 * cp));
      const x0 = max(0, ix), x1 = min(inW, ix + 4);
      for (let r = 0; r < 4; r++) {
        const y = iy + r;
        if (y < 0 || y >= inH || x1 <= x0) continue;
        const src = x + off(((img * inH + y) * inW + x0) * c), dst = edge + off((r * 4 + x0 - ix) * cp);
        // a row's pixels lie together in both when the depth needs no padding: one copy a row
        if (c == cp) memory.copy(dst, src, off((x1 - x0) * c));
        else for (let s = 0; s < x1 - x0; s++) memory.copy(dst + off(s * cp), src + off(s * c), off(c));
      }
      inputTile(edge, off(4 * cp), off(cp), cp, v, vs);
    }
    if (++tx == tilesW) {
      tx = 0;
      if (++ty == tilesH) { ty = 0; img++; }
    }
  }
}

// ---- the filter gradient through the same transforms ----
// The forward pass is Y = A^T (U .* V) A per tile with U = G g G^T, so by linearity the filter's
// gradient is dg = G^T (sum over tiles of V .* (A dY A^T)) G: per position xi of the 4x4
// domain a product V[xi]^T D[xi], [Cp, tiles] x [tiles, K], summed over all tiles, where
// D = A dY A^T transforms the tile's 2x2 block of dy (zeros for outputs past the edge, which the
// forward pass drops). Each chunk sums its tiles into a partial [16][Cp][K] of its own; a last
// task adds the partials in chunk order and applies G^T . G.

/** h(z0, z1) = (z0, z0 + z1, z0 - z1, -z1): the rows of A (4 x 2) applied to a pair */
@inline function dyTile(p00: v128, p01: v128, p10: v128, p11: v128, d: usize, ds: usize): void {
  // rows of A dY: (r0, r1) = dy row 0 and row 1 combined
  const e0a = p00, e0b = p01;
  const e1a = f32x4.add(p00, p10), e1b = f32x4.add(p01, p11);
  const e2a = f32x4.sub(p00, p10), e2b = f32x4.sub(p01, p11);
  const e3a = f32x4.neg(p10), e3b = f32x4.neg(p11);
  dyRow(e0a, e0b, d, ds);
  dyRow(e1a, e1b, d + 4 * ds, ds);
  dyRow(e2a, e2b, d + 8 * ds, ds);
  dyRow(e3a, e3b, d + 12 * ds, ds);
}

@inline function dyRow(a: v128, b: v128, d: usize, ds: usize): void {
  v128.store(d, a);
  v128.store(d + ds, f32x4.add(a, b));
  v128.store(d + 2 * ds, f32x4.sub(a, b));
  v128.store(d + 3 * ds, f32x4.neg(b));
}

/** 4 floats of dy at p, or zeros when the output is past the edge; n < 4: the first n lanes */
@inline function dyLoad(p: usize, inside: bool, n: i32): v128 {
  if (!inside) return f32x4.splat(0);
  if (n == 4) return v128.load(p);
  return biasPart(p, n);
}

/**
 * Tiles chunk * per .. of the filter gradient into the chunk's partial (partials + chunk *
 * partialBytes, 16 x Cp x K floats, zeroed here). Arguments: g x dy partials tiles T per partialBytes.
 */
export function winogradBackFilter(args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>load<i32>(args), x = <usize>load<i32>(args, 4), dy = <usize>load<i32>(args, 8);
  const tiles = load<i32>(args, 16), tb = load<i32>(args, 20), per = load<i32>(args, 24);
  const partial = <usize>load<i32>(args, 12) + <usize>chunk * <usize>load<i32>(args, 28);
  const c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W), k = gi(g, OUT_C);
  const cp = pad4(c), kp = pad4(k);
  const tilesW = (outW + 1) >> 1, tilesH = (outH + 1) >> 1, plane = tilesW * tilesH;
  const vArea = scratch + <usize>((GEMM_SCRATCH + 63) & ~63);
  const vs = spreadRow(tb * cp), ds = spreadRow(tb * kp);
  const dArea = vArea + 16 * vs;
  const edge = dArea + 16 * ds;
  const mStep = off(cp * k);
  memory.fill(partial, 0, off(16 * cp * k));
  const t0 = chunk * per, t1 = min(tiles, t0 + per);
  for (let b0 = t0; b0 < t1; b0 += tb) {
    const nt = min(tb, t1 - b0);
    inputBlock(g, x, b0, nt, vArea, vs, edge);
    let img = b0 / plane, rem = b0 - img * plane, ty = rem / tilesW, tx = rem - ty * tilesW;
    for (let t = 0; t < nt; t++) {
      const oy = 2 * ty, ox = 2 * tx;
      const two = oy + 1 < outH, right = ox + 1 < outW;
      const src = dy + off(((img * outH + oy) * outW + ox) * k);
      const row = off(outW * k), col = off(k);
      for (let ko = 0; ko < k; ko += 4) {
        const n = min(4, k - ko);
        const p = src + off(ko);
        dyTile(dyLoad(p, true, n), dyLoad(p + col, right, n), dyLoad(p + row, two, n),
          dyLoad(p + row + col, two && right, n), dArea + off(t * kp + ko), ds);
      }
      if (++tx == tilesW) {
        tx = 0;
        if (++ty == tilesH) { ty = 0; img++; }
      }
    }
    // M[xi] += V[xi]^T D[xi]: A read transposed from V (rows of Cp), B = D rows of Kp
    for (let xi = 0; xi < 16; xi++) {
      for (let j0 = 0; j0 < k; j0 += NC_MAX) {
        gemmBlock(vArea + <usize>xi * vs, 1, cp, dArea + <usize>xi * ds, kp, 1, partial + <usize>xi * mStep, k, nt,
          0, cp, j0, min(k, j0 + NC_MAX), 1, 0, 0, scratch);
      }
    }
  }
}

/** output channels per pass of winogradBackFilterSum: its buffer [16][SUM_KB] of float32 is 8 KiB */
const SUM_KB = 128;

/**
 * The partials added in chunk order and G^T M G into dW [3, 3, C, K], input channels c0..c1.
 * Arguments: g partials used partialBytes out cPer. Per input channel and run of up to SUM_KB
 * output channels, the partials' 16 rows are first added into a buffer in the scratch, each
 * row read in order (the positions lie Cp x K floats apart, often a multiple of 4 KiB), then
 * transformed four output channels at a time; the sums and products are those of one channel
 * at a time, in the same order.
 */
export function winogradBackFilterSum(args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>load<i32>(args), partials = <usize>load<i32>(args, 4), used = load<i32>(args, 8);
  const partialBytes = <usize>load<i32>(args, 12), out = <usize>load<i32>(args, 16), cPer = load<i32>(args, 20);
  const c = gi(g, IN_C), k = gi(g, OUT_C), cp = pad4(c);
  const mStep = off(cp * k), tap = off(c * k);
  const rowBytes: usize = SUM_KB * 4;
  const h = f32x4.splat(0.5);
  const c0 = chunk * cPer, c1 = min(c, c0 + cPer);
  for (let ci = c0; ci < c1; ci++) {
    for (let k0 = 0; k0 < k; k0 += SUM_KB) {
      const kn = min(SUM_KB, k - k0);
      // buf[xi][j] = sum over the partials u of M_u[xi][ci][k0 + j]
      for (let xi = 0; xi < 16; xi++) {
        const row = scratch + <usize>xi * rowBytes, src = partials + <usize>xi * mStep + off(ci * k + k0);
        memory.copy(row, src, off(kn));
        for (let u = 1; u < used; u++) {
          const p = src + <usize>u * partialBytes;
          let j = 0;
          for (; j + 4 <= kn; j += 4) v128.store(row + off(j), f32x4.add(v128.load(row + off(j)), v128.load(p + off(j))));
          for (; j < kn; j++) store<f32>(row + off(j), load<f32>(row + off(j)) + load<f32>(p + off(j)));
        }
      }
      // four output channels at a time (lanes past kn unused)
      for (let j = 0; j < kn; j += 4) {
        const q = scratch + off(j);
        const m00 = v128.load(q), m01 = v128.load(q + rowBytes), m02 = v128.load(q + 2 * rowBytes), m03 = v128.load(q + 3 * rowBytes);
        const m10 = v128.load(q + 4 * rowBytes), m11 = v128.load(q + 5 * rowBytes), m12 = v128.load(q + 6 * rowBytes), m13 = v128.load(q + 7 * rowBytes);
        const m20 = v128.load(q + 8 * rowBytes), m21 = v128.load(q + 9 * rowBytes), m22 = v128.load(q + 10 * rowBytes), m23 = v128.load(q + 11 * rowBytes);
        const m30 = v128.load(q + 12 * rowBytes), m31 = v128.load(q + 13 * rowBytes), m32 = v128.load(q + 14 * rowBytes), m33 = v128.load(q + 15 * rowBytes);
        // G^T along the rows (i): row 0 = m0 + (m1 + m2) / 2, row 1 = (m1 - m2) / 2, row 2 = (m1 + m2) / 2 + m3
        const s0 = f32x4.add(m10, m20), s1 = f32x4.add(m11, m21), s2 = f32x4.add(m12, m22), s3 = f32x4.add(m13, m23);
        const a0 = f32x4.add(m00, f32x4.mul(h, s0)), a1 = f32x4.add(m01, f32x4.mul(h, s1));
        const a2 = f32x4.add(m02, f32x4.mul(h, s2)), a3 = f32x4.add(m03, f32x4.mul(h, s3));
        const b0 = f32x4.mul(h, f32x4.sub(m10, m20)), b1 = f32x4.mul(h, f32x4.sub(m11, m21));
        const b2 = f32x4.mul(h, f32x4.sub(m12, m22)), b3 = f32x4.mul(h, f32x4.sub(m13, m23));
        const e0 = f32x4.add(f32x4.mul(h, s0), m30), e1 = f32x4.add(f32x4.mul(h, s1), m31);
        const e2 = f32x4.add(f32x4.mul(h, s2), m32), e3 = f32x4.add(f32x4.mul(h, s3), m33);
        // then G along the columns (j)
        const w = out + off(ci * k + k0 + j), n = min(4, kn - j);
        storeLanes(w, f32x4.add(a0, f32x4.mul(h, f32x4.add(a1, a2))), n);
        storeLanes(w + tap, f32x4.mul(h, f32x4.sub(a1, a2)), n);
        storeLanes(w + 2 * tap, f32x4.add(f32x4.mul(h, f32x4.add(a1, a2)), a3), n);
        storeLanes(w + 3 * tap, f32x4.add(b0, f32x4.mul(h, f32x4.add(b1, b2))), n);
        storeLanes(w + 4 * tap, f32x4.mul(h, f32x4.sub(b1, b2)), n);
        storeLanes(w + 5 * tap, f32x4.add(f32x4.mul(h, f32x4.add(b1, b2)), b3), n);
        storeLanes(w + 6 * tap, f32x4.add(e0, f32x4.mul(h, f32x4.add(e1, e2))), n);
        storeLanes(w + 7 * tap, f32x4.mul(h, f32x4.sub(e1, e2)), n);
        storeLanes(w + 8 * tap, f32x4.add(f32x4.mul(h, f32x4.add(e1, e2)), e3), n);
      }
    }
  }
}
