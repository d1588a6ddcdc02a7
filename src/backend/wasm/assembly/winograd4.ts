// ---- winograd4 area (issue 18): tasks 144-145 ----
// A 3x3, stride-1, dilation-1 convolution through Winograd's F(4x4, 3x3), NHWC, f32: each 4x4
// block of outputs ("tile") reads a 6x6 window of the input, and the 36 positions of the 6x6
// transformed domain are 36 matrix products [tiles, C] x [C, K] summed over the input channels:
// 36 multiplies per tile and channel pair for 16 outputs, 2.25 per output against F(2x2)'s 4
// and the direct convolution's 9. The structure is winograd.ts's: blocks of T tiles whose
// transformed input V [36][T][Cp] and products M [36][T][Kp] stay in the core's L2 between the
// transforms and the GEMM (gemm.ts: packPanels, gemmPacked, on a filter transformed and packed
// once per call); edge tiles copy their window into a zeroed 6x6 block; bias and relu are
// applied as the outputs are written.
//
// Interpolation points 0, 1/2, -1/2, 3/2, -3/2 and infinity. The usual 0, +-1, +-2 (Lavin and
// Gray 2016) reach entries of 5 in B and 8 in A; simulating the float32 kernel over every
// 5-point set from {0, +-1/4, +-1/2, +-1, +-3/2, +-2, +-3} (C = 32, uniform inputs), this set had
// the smallest mean error, 1.6x below Lavin's points (and 1.8x in the largest); the kernel
// measured about half of Lavin's error (docs/performance.md). B and A have only dyadic entries
// (exact in float32); G's thirds and ninths round once, in the filter transform (float64).
//   B^T = [9/16 0 -5/2 0 1 0; 0 -9/8 -9/4 1/2 1 0; 0 9/8 -9/4 -1/2 1 0;
//          0 -3/8 -1/4 3/2 1 0; 0 3/8 -1/4 -3/2 1 0; 0 9/16 0 -5/2 0 1]
//   G   = [16/9 0 0; -1 -1/2 -1/4; -1 1/2 -1/4; 1/9 1/6 1/4; 1/9 -1/6 1/4; 0 0 1]
//   A^T = [1 1 1 1 1 0; 0 1/2 -1/2 3/2 -3/2 0; 0 1/4 1/4 9/4 9/4 0; 0 1/8 -1/8 27/8 -27/8 1]
// Both transforms are applied as two passes of the 1-D transform (rows, then columns) through a
// small buffer, 4 channels at a time in SIMD.
import { packPanels, packedPanelsSize, gemmPacked, gemmBlock, GEMM_SCRATCH, NC_MAX } from './gemm';
import { IN_H, IN_W, IN_C, OUT_H, OUT_W, OUT_C, PAD_T, PAD_L, gi, off, spreadRow } from './conv_geometry';

export const TASK_WINOGRAD4_FILTER = 144, TASK_WINOGRAD4 = 145;
export const TASK_WINOGRAD4_BACK_FILTER = 146, TASK_WINOGRAD4_BACK_FILTER_SUM = 147;

@inline function pad4(n: i32): i32 {
  return (n + 3) & ~3;
}

/** entry (a, i) of G (6 x 3), in float64 */
function gm(a: i32, i: i32): f64 {
  if (a == 0) return i == 0 ? 16.0 / 9.0 : 0;
  if (a == 5) return i == 2 ? 1 : 0;
  // rows 1 and 2: (-1, -+1/2, -1/4); rows 3 and 4: (1/9, +-1/6, 1/4)
  if (a <= 2) return i == 0 ? -1 : i == 2 ? -0.25 : a == 1 ? -0.5 : 0.5;
  return i == 0 ? 1.0 / 9.0 : i == 2 ? 0.25 : a == 3 ? 1.0 / 6.0 : -1.0 / 6.0;
}

/**
 * Position xi = 6a + b of the transformed filter: U[xi][c][k] = (G g[., ., c, k] G^T)[a][b]
 * for c < C (zero rows up to Cp), written as [Cp, K] at `raw` then packed for the GEMM into
 * `packed` (packedPanelsSize(Cp, K) floats per position). Arguments: g filter raw packed.
 */
export function winograd4Filter(args: usize, xi: i32): void {
  const g = <usize>load<i32>(args), w = <usize>load<i32>(args, 4);
  const c = gi(g, IN_C), k = gi(g, OUT_C), cp = pad4(c);
  const raw = <usize>load<i32>(args, 8) + off(xi * cp * k);
  const packed = <usize>load<i32>(args, 12) + off(xi * packedPanelsSize(cp, k));
  const a = xi / 6, b = xi - 6 * a;
  // the sums run in float64 and round once: the filter's transform adds no float32 error of its own
  const ga0 = gm(a, 0), ga1 = gm(a, 1), ga2 = gm(a, 2);
  const gb0 = gm(b, 0), gb1 = gm(b, 1), gb2 = gm(b, 2);
  const tap = off(c * k); // between filter taps (fy, fx) and (fy, fx + 1)
  for (let ci = 0; ci < cp; ci++) {
    for (let ko = 0; ko < k; ko++) {
      let u: f64 = 0;
      if (ci < c) {
        const p = w + off(ci * k + ko);
        const t0 = ga0 * <f64>load<f32>(p) + ga1 * <f64>load<f32>(p + 3 * tap) + ga2 * <f64>load<f32>(p + 6 * tap);
        const t1 = ga0 * <f64>load<f32>(p + tap) + ga1 * <f64>load<f32>(p + 4 * tap) + ga2 * <f64>load<f32>(p + 7 * tap);
        const t2 = ga0 * <f64>load<f32>(p + 2 * tap) + ga1 * <f64>load<f32>(p + 5 * tap) + ga2 * <f64>load<f32>(p + 8 * tap);
        u = gb0 * t0 + gb1 * t1 + gb2 * t2;
      }
      store<f32>(raw + off(ci * k + ko), <f32>u);
    }
  }
  packPanels(raw, k, 1, cp, k, packed);
}

/** the 1-D input transform B^T d of 6 vectors at s (ss bytes apart) into 6 at d (ds apart) */
@inline function inTr(s: usize, ss: usize, d: usize, ds: usize): void {
  const d0 = v128.load(s), d1 = v128.load(s + ss), d2 = v128.load(s + 2 * ss);
  const d3 = v128.load(s + 3 * ss), d4 = v128.load(s + 4 * ss), d5 = v128.load(s + 5 * ss);
  const n916 = f32x4.splat(0.5625), n52 = f32x4.splat(2.5);
  // rows 1 and 2 (points +-1/2) and 3 and 4 (+-3/2) as sums and differences of an even and an odd part
  const a = f32x4.sub(d4, f32x4.mul(f32x4.splat(2.25), d2));
  const b = f32x4.sub(f32x4.mul(f32x4.splat(0.5), d3), f32x4.mul(f32x4.splat(1.125), d1));
  const c = f32x4.sub(d4, f32x4.mul(f32x4.splat(0.25), d2));
  const e = f32x4.sub(f32x4.mul(f32x4.splat(1.5), d3), f32x4.mul(f32x4.splat(0.375), d1));
  v128.store(d, f32x4.add(f32x4.sub(f32x4.mul(n916, d0), f32x4.mul(n52, d2)), d4));
  v128.store(d + ds, f32x4.add(a, b));
  v128.store(d + 2 * ds, f32x4.sub(a, b));
  v128.store(d + 3 * ds, f32x4.add(c, e));
  v128.store(d + 4 * ds, f32x4.sub(c, e));
  v128.store(d + 5 * ds, f32x4.add(f32x4.sub(f32x4.mul(n916, d1), f32x4.mul(n52, d3)), d5));
}

/** the 1-D output transform A^T m of 6 vectors at s (ss bytes apart) into 4 at d (ds apart) */
@inline function outTr(s: usize, ss: usize, d: usize, ds: usize): void {
  const m0 = v128.load(s), m1 = v128.load(s + ss), m2 = v128.load(s + 2 * ss);
  const m3 = v128.load(s + 3 * ss), m4 = v128.load(s + 4 * ss), m5 = v128.load(s + 5 * ss);
  const s12 = f32x4.add(m1, m2), d12 = f32x4.sub(m1, m2), s34 = f32x4.add(m3, m4), d34 = f32x4.sub(m3, m4);
  v128.store(d, f32x4.add(f32x4.add(m0, s12), s34));
  v128.store(d + ds, f32x4.add(f32x4.mul(f32x4.splat(0.5), d12), f32x4.mul(f32x4.splat(1.5), d34)));
  v128.store(d + 2 * ds, f32x4.add(f32x4.mul(f32x4.splat(0.25), s12), f32x4.mul(f32x4.splat(2.25), s34)));
  v128.store(d + 3 * ds, f32x4.add(f32x4.add(f32x4.mul(f32x4.splat(0.125), d12), f32x4.mul(f32x4.splat(3.375), d34)), m5));
}

/**
 * The input transform of one tile: the 6x6 window at `base` (rows rs bytes apart, columns cs)
 * into V's 36 rows for this tile (at v, vs bytes apart), 4 channels at a time through `tmp`
 * (36 vectors).
 */
@inline function inputTile(base: usize, rs: usize, cs: usize, cp: i32, v: usize, vs: usize, tmp: usize): void {
  for (let ch = 0; ch < cp; ch += 4) {
    const p = base + off(ch), q = v + off(ch);
    // along each row: tmp[r][j] = (d B)[r][j]
    for (let r = 0; r < 6; r++) inTr(p + <usize>r * rs, cs, tmp + <usize>(r * 96), 16);
    // then along each column: V[i][j] = (B^T tmp)[i][j]
    for (let j = 0; j < 6; j++) inTr(tmp + <usize>(j * 16), 96, q + <usize>j * vs, 6 * vs);
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

/** the first n (1-3) floats at p, zeros after */
function biasPart(p: usize, n: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** The input transform of tiles b0 .. b0 + nt into V (tile t's 36 rows at vArea + t * Cp floats, vs bytes apart). */
function inputBlock4(g: usize, x: usize, b0: i32, nt: i32, vArea: usize, vs: usize, edge: usize, tmp: usize): void {
  const inH = gi(g, IN_H), inW = gi(g, IN_W), c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W);
  const padT = gi(g, PAD_T), padL = gi(g, PAD_L);
  const cp = pad4(c);
  const tilesW = (outW + 3) >> 2, tilesH = (outH + 3) >> 2, plane = tilesW * tilesH;
  const rs = off(inW * c), cs = off(c);
  let img = b0 / plane, rem = b0 - img * plane, ty = rem / tilesW, tx = rem - ty * tilesW;
  for (let t = 0; t < nt; t++) {
    const iy = 4 * ty - padT, ix = 4 * tx - padL;
    const v = vArea + off(t * cp);
    if (c == cp && iy >= 0 && ix >= 0 && iy + 6 <= inH && ix + 6 <= inW) {
      inputTile(x + off(((img * inH + iy) * inW + ix) * c), rs, cs, cp, v, vs, tmp);
    } else {
      // an edge tile (or a depth not a multiple of 4): the window copied into a zeroed 6x6 x Cp block
      memory.fill(edge, 0, off(36 * cp));
      const y0 = max(0, iy), y1 = min(inH, iy + 6), x0 = max(0, ix), x1 = min(inW, ix + 6);
      for (let y = y0; y < y1; y++) {
        const src = x + off(((img * inH + y) * inW + x0) * c), dst = edge + off(((y - iy) * 6 + x0 - ix) * cp);
        // a row's pixels lie together in both when the depth needs no padding: one copy a row
        if (c == cp) memory.copy(dst, src, off((x1 - x0) * c));
        else for (let xx = 0; xx < x1 - x0; xx++) memory.copy(dst + off(xx * cp), src + off(xx * c), off(c));
      }
      inputTile(edge, off(6 * cp), off(cp), cp, v, vs, tmp);
    }
    if (++tx == tilesW) {
      tx = 0;
      if (++ty == tilesH) { ty = 0; img++; }
    }
  }
}

/**
 * Tiles t0..t1 (tile = (image, ty, tx) in row-major order over ceil(outH/4) x ceil(outW/4))
 * of conv(x, filter) + bias, relu when act is 1. Arguments: g x u out bias act tiles T per,
 * u the packed transformed filter (winograd4Filter). Chunk i takes tiles i * per ..; scratch
 * holds the GEMM's packing area, then V, M, a zero-bordered 6x6 window for edge tiles and the
 * transforms' buffer.
 */
export function winograd4Tiles(args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>load<i32>(args), x = <usize>load<i32>(args, 4), u = <usize>load<i32>(args, 8);
  const out = <usize>load<i32>(args, 12), bias = <usize>load<i32>(args, 16), act = load<i32>(args, 20);
  const tiles = load<i32>(args, 24), tb = load<i32>(args, 28), per = load<i32>(args, 32);
  const c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W), k = gi(g, OUT_C);
  const cp = pad4(c), kp = pad4(k);
  const tilesW = (outW + 3) >> 2, tilesH = (outH + 3) >> 2, plane = tilesW * tilesH;
  const uStep = off(packedPanelsSize(cp, k));
  const vArea = scratch + <usize>((GEMM_SCRATCH + 63) & ~63);
  const vs = spreadRow(tb * cp), ms = spreadRow(tb * kp);
  const mArea = vArea + 36 * vs;
  const edge = mArea + 36 * ms;
  const tmp = edge + off(36 * cp); // 36 vectors: the transforms' middle step
  const yv = tmp + 576; // 16 vectors: one tile's outputs, 4 channels
  const zero = f32x4.splat(0);
  const orow = off(outW * k), ocol = off(k);
  const t0 = chunk * per, t1 = min(tiles, t0 + per);
  for (let b0 = t0; b0 < t1; b0 += tb) {
    const nt = min(tb, t1 - b0);
    // 1. input transform of the block's tiles into V
    inputBlock4(g, x, b0, nt, vArea, vs, edge, tmp);
    // 2. the 36 products M[xi] = V[xi] U[xi], [nt, Cp] x [Cp, K]
    for (let xi = 0; xi < 36; xi++) {
      gemmPacked(vArea + <usize>xi * vs, cp, 1, u + <usize>xi * uStep, cp, k, mArea + <usize>xi * ms, kp,
        0, nt, 0, 0, scratch);
    }
    // 3. output transform: Y = A^T M A per tile, 4 output channels at a time
    let img = b0 / plane, rem = b0 - img * plane, ty = rem / tilesW, tx = rem - ty * tilesW;
    for (let t = 0; t < nt; t++) {
      const oy = 4 * ty, ox = 4 * tx;
      const rows = min(4, outH - oy), cols = min(4, outW - ox);
      const dst = out + off(((img * outH + oy) * outW + ox) * k);
      const m = mArea + off(t * kp);
      for (let ko = 0; ko < k; ko += 4) {
        const n = min(4, k - ko);
        const q = m + off(ko);
        // along each of M's 6 rows: tmp[i][j] = (M A)[i][j], j < 4
        for (let i = 0; i < 6; i++) outTr(q + <usize>(6 * i) * ms, ms, tmp + <usize>(i * 64), 16);
        // then along the columns: y[r][j] = (A^T tmp)[r][j]
        for (let j = 0; j < 4; j++) outTr(tmp + <usize>(j * 16), 64, yv + <usize>(j * 16), 64);
        const bv = bias == 0 ? zero : n == 4 ? v128.load(bias + off(ko)) : biasPart(bias + off(ko), n);
        const d = dst + off(ko);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < cols; j++) {
            let y = v128.load(yv + <usize>((r * 4 + j) * 16));
            if (bias != 0) y = f32x4.add(y, bv);
            if (act == 1) y = f32x4.max(y, zero);
            storeLanes(d + <usize>r * orow + <usize>j * ocol, y, n);
          }
        }
      }
      if (++tx == tilesW) {
        tx = 0;
        if (++ty == tilesH) { ty = 0; img++; }
      }
    }
  }
}

/** the winograd4 area's tasks (144-149 routed here by index.ts) */
export function winograd4Task(task: i32, args: usize, chunk: i32, scratch: usize): void {
  if (task == TASK_WINOGRAD4_FILTER) winograd4Filter(args, chunk);
  else if (task == TASK_WINOGRAD4) winograd4Tiles(args, chunk, scratch);
  else if (task == TASK_WINOGRAD4_BACK_FILTER) winograd4BackFilter(args, chunk, scratch);
  else if (task == TASK_WINOGRAD4_BACK_FILTER_SUM) winograd4BackFilterSum(args, chunk, scratch);
}

// ---- the filter gradient through the same transforms ----
// As in winograd.ts: Y = A^T (U .* V) A per tile with U = G g G^T, so the filter's gradient is
// dg = G^T (sum over tiles of V .* (A dY A^T)) G: per position xi of the 6x6 domain a product
// V[xi]^T D[xi] ([Cp, tiles] x [tiles, K]) summed over the tiles, D = A dY A^T of the tile's 4x4
// block of dy (zeros for outputs past the edge). Each chunk sums its tiles into a partial
// [36][Cp][K] of its own; a last task adds the partials in chunk order and applies G^T . G.

/** the 1-D transform A z of 4 vectors at s (ss bytes apart) into 6 at d (ds apart), A = (A^T)^T (6 x 4) */
@inline function dyTr(s: usize, ss: usize, d: usize, ds: usize): void {
  const z0 = v128.load(s), z1 = v128.load(s + ss), z2 = v128.load(s + 2 * ss), z3 = v128.load(s + 3 * ss);
  const e1 = f32x4.add(z0, f32x4.mul(f32x4.splat(0.25), z2));
  const o1 = f32x4.add(f32x4.mul(f32x4.splat(0.5), z1), f32x4.mul(f32x4.splat(0.125), z3));
  const e3 = f32x4.add(z0, f32x4.mul(f32x4.splat(2.25), z2));
  const o3 = f32x4.add(f32x4.mul(f32x4.splat(1.5), z1), f32x4.mul(f32x4.splat(3.375), z3));
  v128.store(d, z0);
  v128.store(d + ds, f32x4.add(e1, o1));
  v128.store(d + 2 * ds, f32x4.sub(e1, o1));
  v128.store(d + 3 * ds, f32x4.add(e3, o3));
  v128.store(d + 4 * ds, f32x4.sub(e3, o3));
  v128.store(d + 5 * ds, z3);
}

/**
 * Tiles chunk * per .. of the filter gradient into the chunk's partial (partials + chunk *
 * partialBytes, 36 x Cp x K floats, zeroed here). Arguments: g x dy partials tiles T per partialBytes.
 */
export function winograd4BackFilter(args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>load<i32>(args), x = <usize>load<i32>(args, 4), dy = <usize>load<i32>(args, 8);
  const tiles = load<i32>(args, 16), tb = load<i32>(args, 20), per = load<i32>(args, 24);
  const partial = <usize>load<i32>(args, 12) + <usize>chunk * <usize>load<i32>(args, 28);
  const c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W), k = gi(g, OUT_C);
  const cp = pad4(c), kp = pad4(k);
  const tilesW = (outW + 3) >> 2, tilesH = (outH + 3) >> 2, plane = tilesW * tilesH;
  const vArea = scratch + <usize>((GEMM_SCRATCH + 63) & ~63);
  const vs = spreadRow(tb * cp), ds = spreadRow(tb * kp);
  const dArea = vArea + 36 * vs;
  const edge = dArea + 36 * ds;
  const tmp = edge + off(36 * cp); // 36 vectors
  const blk = tmp + 576; // 16 vectors: the tile's 4x4 block of dy, 4 channels, zeros past the edge
  const mStep = off(cp * k);
  const row = off(outW * k), col = off(k);
  memory.fill(partial, 0, off(36 * cp * k));
  const t0 = chunk * per, t1 = min(tiles, t0 + per);
  for (let b0 = t0; b0 < t1; b0 += tb) {
    const nt = min(tb, t1 - b0);
    inputBlock4(g, x, b0, nt, vArea, vs, edge, tmp);
    let img = b0 / plane, rem = b0 - img * plane, ty = rem / tilesW, tx = rem - ty * tilesW;
    for (let t = 0; t < nt; t++) {
      const oy = 4 * ty, ox = 4 * tx;
      const rows = min(4, outH - oy), cols = min(4, outW - ox);
      const src = dy + off(((img * outH + oy) * outW + ox) * k);
      for (let ko = 0; ko < k; ko += 4) {
        const n = min(4, k - ko);
        if (rows < 4 || cols < 4 || n < 4) memory.fill(blk, 0, 256);
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < cols; j++) {
            const p = src + <usize>r * row + <usize>j * col + off(ko);
            v128.store(blk + <usize>((r * 4 + j) * 16), n == 4 ? v128.load(p) : biasPart(p, n));
          }
        }
        // along each dy row: tmp[r][j] = (dY A^T)[r][j]; then along the columns: D = A tmp
        for (let r = 0; r < 4; r++) dyTr(blk + <usize>(r * 64), 16, tmp + <usize>(r * 96), 16);
        const d = dArea + off(t * kp + ko);
        for (let j = 0; j < 6; j++) dyTr(tmp + <usize>(j * 16), 96, d + <usize>j * ds, 6 * ds);
      }
      if (++tx == tilesW) {
        tx = 0;
        if (++ty == tilesH) { ty = 0; img++; }
      }
    }
    // M[xi] += V[xi]^T D[xi]: A read transposed from V (rows of Cp), B = D rows of Kp
    for (let xi = 0; xi < 36; xi++) {
      for (let j0 = 0; j0 < k; j0 += NC_MAX) {
        gemmBlock(vArea + <usize>xi * vs, 1, cp, dArea + <usize>xi * ds, kp, 1, partial + <usize>xi * mStep, k, nt,
          0, cp, j0, min(k, j0 + NC_MAX), 1, 0, 0, scratch);
      }
    }
  }
}

/** output channels per pass of winograd4BackFilterSum: its buffer [36][SUM_KB] of float64 is 18 KiB */
const SUM_KB = 64;

/**
 * The partials added in chunk order (float64) and G^T M G into dW [3, 3, C, K], input channels
 * c0..c1. Arguments: g partials used partialBytes out cPer. Per input channel and run of up to
 * SUM_KB output channels, the partials' 36 rows are first added into a float64 buffer in the
 * scratch, reading each row in order (the 36 positions lie Cp x K floats apart, often a multiple
 * of 4 KiB, so reading them one output channel at a time missed L1 on every load), then
 * transformed two output channels at a time; the sums and products are those of one channel
 * at a time, in the same order.
 */
export function winograd4BackFilterSum(args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>load<i32>(args), partials = <usize>load<i32>(args, 4), used = load<i32>(args, 8);
  const partialBytes = <usize>load<i32>(args, 12), out = <usize>load<i32>(args, 16), cPer = load<i32>(args, 20);
  const c = gi(g, IN_C), k = gi(g, OUT_C), cp = pad4(c);
  const mStep = off(cp * k), tap = off(c * k);
  const rowBytes: usize = SUM_KB * 8;
  const c0 = chunk * cPer, c1 = min(c, c0 + cPer);
  for (let ci = c0; ci < c1; ci++) {
    for (let k0 = 0; k0 < k; k0 += SUM_KB) {
      const kn = min(SUM_KB, k - k0);
      // buf[xi][j] = sum over the partials u of M_u[xi][ci][k0 + j]
      for (let xi = 0; xi < 36; xi++) {
        const row = scratch + <usize>xi * rowBytes, src = partials + <usize>xi * mStep + off(ci * k + k0);
        for (let j = 0; j < kn; j++) store<f64>(row + (<usize>j << 3), <f64>load<f32>(src + off(j)));
        for (let u = 1; u < used; u++) {
          const p = src + <usize>u * partialBytes;
          let j = 0;
          for (; j + 2 <= kn; j += 2) {
            const at = row + (<usize>j << 3);
            v128.store(at, f64x2.add(v128.load(at), f64x2.promote_low_f32x4(v128.load64_zero(p + off(j)))));
          }
          if (j < kn) store<f64>(row + (<usize>j << 3), load<f64>(row + (<usize>j << 3)) + <f64>load<f32>(p + off(j)));
        }
      }
      // G^T M G for output channels k0 + j and k0 + j + 1 (the second lane unused past kn)
      for (let j = 0; j < kn; j += 2) {
        // t[a][fx] = sum over b of M[a][b] G[b][fx], then w[fy][fx] = sum over a of G[a][fy] t[a][fx]
        let w00 = f64x2.splat(0), w01 = f64x2.splat(0), w02 = f64x2.splat(0), w10 = f64x2.splat(0), w11 = f64x2.splat(0);
        let w12 = f64x2.splat(0), w20 = f64x2.splat(0), w21 = f64x2.splat(0), w22 = f64x2.splat(0);
        for (let a = 0; a < 6; a++) {
          let ta0 = f64x2.splat(0), ta1 = f64x2.splat(0), ta2 = f64x2.splat(0);
          for (let b = 0; b < 6; b++) {
            const m = v128.load(scratch + <usize>(a * 6 + b) * rowBytes + (<usize>j << 3));
            ta0 = f64x2.add(ta0, f64x2.mul(m, f64x2.splat(gm(b, 0))));
            ta1 = f64x2.add(ta1, f64x2.mul(m, f64x2.splat(gm(b, 1))));
            ta2 = f64x2.add(ta2, f64x2.mul(m, f64x2.splat(gm(b, 2))));
          }
          const g0 = f64x2.splat(gm(a, 0)), g1 = f64x2.splat(gm(a, 1)), g2 = f64x2.splat(gm(a, 2));
          w00 = f64x2.add(w00, f64x2.mul(g0, ta0)); w01 = f64x2.add(w01, f64x2.mul(g0, ta1)); w02 = f64x2.add(w02, f64x2.mul(g0, ta2));
          w10 = f64x2.add(w10, f64x2.mul(g1, ta0)); w11 = f64x2.add(w11, f64x2.mul(g1, ta1)); w12 = f64x2.add(w12, f64x2.mul(g1, ta2));
          w20 = f64x2.add(w20, f64x2.mul(g2, ta0)); w21 = f64x2.add(w21, f64x2.mul(g2, ta1)); w22 = f64x2.add(w22, f64x2.mul(g2, ta2));
        }
        const w = out + off(ci * k + k0 + j), two = j + 1 < kn;
        storePair(w, w00, two); storePair(w + tap, w01, two); storePair(w + 2 * tap, w02, two);
        storePair(w + 3 * tap, w10, two); storePair(w + 4 * tap, w11, two); storePair(w + 5 * tap, w12, two);
        storePair(w + 6 * tap, w20, two); storePair(w + 7 * tap, w21, two); storePair(w + 8 * tap, w22, two);
      }
    }
  }
}

/** v's lanes as float32 to dst (the second only when two) */
@inline function storePair(dst: usize, v: v128, two: bool): void {
  store<f32>(dst, <f32>f64x2.extract_lane(v, 0));
  if (two) store<f32>(dst, <f32>f64x2.extract_lane(v, 1), 4);
}
