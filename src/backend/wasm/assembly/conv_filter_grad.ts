// The 2-D convolution's filter gradient blocked like the GEMM, NHWC, f32.
//
// dW[p, o] = sum over output pixels q of x[window of q at p] * dy[q, o], p = (fy, fx, c) in
// im2col's order: a product of the window matrix's transpose [K, rows] by dy [rows, outC] with
// the long reduction over rows. The direct kernel before it (now the 3-D one only, conv_direct_grad.ts) read both operands in
// place: a cache line of dy per pixel for 8 of its columns and four scattered floats of x, which
// left it at about half the GEMM's speed. Here a chunk of rows (at most 256, the GEMM's KC) is
// packed first, as the GEMM packs its panels: dy into 8-column panels [panel][row][8] and the
// windows into 4-row panels [group][row][4] (one v128 copy per group when its four floats lie
// side by side in the window, else four single floats), a block of 256 filter rows at a time so the packed windows stay in
// L2 while each dy panel (8 KB) stays in L1. The 4x8 register tile then runs the rows as its
// reduction and adds its sums to the chunk's partial.
import { madd } from './fma';
import { NR } from './gemm';
import { IN_C, OUT_H, OUT_W, OUT_C, FH, FW, SH, SW, DH, DW, gi, off } from './conv_geometry';
import { filterGradTriples } from './conv_relaxed'; // conv relaxed tile area (issue 18)

/**
 * filter rows packed at a time. One call needs HEAD (256) + rows * (roundUp(outC, 8) + KB + 1) * 4 bytes
 * of scratch (the host's conv2dBackpropFilter sizes its row chunks with this rule).
 */
const KB: i32 = 256;
/** bytes of scratch ahead of the row table: 64 for `edge`, then 192 for the relaxed build's 6x8 sums */
const HEAD: i32 = 256;

/** Byte offset of filter row p inside a pixel's window of the padded input [.., hp, wp, c]; 0 past K. */
@inline function windowOffset(p: i32, k: i32, c: i32, fw: i32, dh: i32, dw: i32, wp: i32): usize {
  if (p >= k) return 0;
  const ky = p / (fw * c), inRow = p - ky * fw * c;
  const kx = inRow / c, ci = inRow - kx * c;
  return off((ky * dh * wp + kx * dw) * c + ci);
}

/** partial[p, j0 .. j0 + cols] += the tile row (v0, v1), for p below k. */
@inline function addRow(partial: usize, p: i32, k: i32, outC: i32, j0: i32, cols: i32, v0: v128, v1: v128, edge: usize): void {
  if (p >= k) return;
  const dst = partial + off(p * outC + j0);
  if (cols == NR) {
    v128.store(dst, f32x4.add(v0, v128.load(dst)));
    v128.store(dst, f32x4.add(v1, v128.load(dst, 16)), 16);
  } else {
    v128.store(edge, v0);
    v128.store(edge, v1, 16);
    for (let q = 0; q < cols; q++) store<f32>(dst + off(q), load<f32>(edge + off(q)) + load<f32>(dst + off(q)));
  }
}

/**
 * partial[pLo .. pHi, outC] += the filter gradient's rows pLo .. pHi (pLo a multiple of 4) over
 * output pixels q0 .. q0 + rows (flat over (image, oy, ox)), from the padded input xp
 * [batch, hp, wp, c] and dy [pixels, outC]. `scratch` holds the bytes KB's comment gives.
 */
export function convBackFilterPacked(g: usize, xp: usize, hp: i32, wp: i32, dy: usize, partial: usize,
                                     q0: i32, rows: i32, pLo: i32, pHi: i32, scratch: usize): void {
  const c = gi(g, IN_C), oh = gi(g, OUT_H), ow = gi(g, OUT_W), outC = gi(g, OUT_C);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const k = fh * fw * c;
  const panels = (outC + NR - 1) / NR;
  if (panels <= 4 && k <= 64) {
    convBackFilterInPlace(g, xp, hp, wp, dy, partial, q0, rows, pLo, pHi, scratch);
    return;
  }
  const edge = scratch;
  const rowBase = scratch + HEAD;
  const packedB = rowBase + off(rows);
  const packedA = packedB + off(rows * panels * NR);
  // each row's window origin in xp, and dy's rows in 8-column panels; the pixel's (image, oy,
  // ox) stepped along, not divided out per row (two divisions cost as much as the products of a
  // first layer's row)
  const t = q0 / ow;
  let ox = q0 - t * ow;
  let b = t / oh, oy = t - b * oh;
  for (let r = 0; r < rows; r++) {
    const q = q0 + r;
    store<u32>(rowBase + off(r), <u32>(xp + off(((b * hp + oy * sh) * wp + ox * sw) * c)));
    if (++ox == ow) {
      ox = 0;
      if (++oy == oh) {
        oy = 0;
        b++;
      }
    }
    const src = dy + off(q * outC);
    for (let jp = 0; jp < panels; jp++) {
      const dst = packedB + off((jp * rows + r) * NR);
      const j0 = jp * NR;
      if (j0 + NR <= outC) {
        v128.store(dst, v128.load(src + off(j0)));
        v128.store(dst, v128.load(src + off(j0), 16), 16);
      } else {
        for (let u = 0; u < NR; u++) store<f32>(dst + off(u), j0 + u < outC ? load<f32>(src + off(j0 + u)) : 0);
      }
    }
  }
  const fours = (c & 3) == 0;
  for (let pb = pLo; pb < pHi; pb += KB) {
    const groups = (min(KB, pHi - pb) + 3) >> 2;
    // the windows' rows pb .. pb + 4 * groups, four filter rows side by side per pixel
    for (let gq = 0; gq < groups; gq++) {
      const p0 = pb + gq * 4;
      let dst = packedA + off(gq * rows * 4);
      const o0 = windowOffset(p0, k, c, fw, dh, dw, wp), o1 = windowOffset(p0 + 1, k, c, fw, dh, dw, wp);
      const o2 = windowOffset(p0 + 2, k, c, fw, dh, dw, wp), o3 = windowOffset(p0 + 3, k, c, fw, dh, dw, wp);
      if (fours || (o1 == o0 + 4 && o2 == o0 + 8 && o3 == o0 + 12)) {
        // four floats side by side in the window (consecutive channels of one tap, or with few
        // channels and no dilation, neighbouring taps of one filter row): one vector
        const o = o0;
        for (let r = 0; r < rows; r++) {
          v128.store(dst, v128.load(<usize>load<u32>(rowBase + off(r)) + o));
          dst += 16;
        }
      } else {
        for (let r = 0; r < rows; r++) {
          const base = <usize>load<u32>(rowBase + off(r));
          store<f32>(dst, load<f32>(base + o0));
          store<f32>(dst, load<f32>(base + o1), 4);
          store<f32>(dst, load<f32>(base + o2), 8);
          store<f32>(dst, load<f32>(base + o3), 12);
          dst += 16;
        }
      }
    }
    for (let jp = 0; jp < panels; jp++) {
      const j0 = jp * NR, cols = min(NR, outC - j0);
      const bp0 = packedB + off(jp * rows * NR);
      // conv relaxed tile area: 6-row tiles over whole triples of groups, sums at scratch + 64
      const first = ASC_FEATURE_RELAXED_SIMD ? filterGradTriples(packedA, bp0, rows, groups, pb, k, outC, j0, cols, partial, scratch + 64) : 0;
      for (let gq = first; gq < groups; gq++) {
        const p0 = pb + gq * 4;
        let ap = packedA + off(gq * rows * 4), bp = bp0;
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
        let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
        if (ASC_FEATURE_RELAXED_SIMD) {
          // the fused build keeps one row a turn: the two-row form measured 2-4% slower in
          // ResNet-20's backward convolutions there (latency-bound FMA chains; plain tile area)
          for (let r = 0; r < rows; r++) {
            const b0 = v128.load(bp);
            const b1 = v128.load(bp, 16);
            let a = v128.load32_splat(ap);
            c00 = madd(a, b0, c00);
            c01 = madd(a, b1, c01);
            a = v128.load32_splat(ap, 4);
            c10 = madd(a, b0, c10);
            c11 = madd(a, b1, c11);
            a = v128.load32_splat(ap, 8);
            c20 = madd(a, b0, c20);
            c21 = madd(a, b1, c21);
            a = v128.load32_splat(ap, 12);
            c30 = madd(a, b0, c30);
            c31 = madd(a, b1, c31);
            ap += 16;
            bp += 32;
          }
        } else {
          // two rows a turn with the exit test between them (plain tile area, as gemm.ts tile4x8)
          const end = ap + off(rows * 4), last = end - 16;
          while (ap < end) {
            let b0 = v128.load(bp);
            let b1 = v128.load(bp, 16);
            let a = v128.load32_splat(ap);
            c00 = madd(a, b0, c00);
            c01 = madd(a, b1, c01);
            a = v128.load32_splat(ap, 4);
            c10 = madd(a, b0, c10);
            c11 = madd(a, b1, c11);
            a = v128.load32_splat(ap, 8);
            c20 = madd(a, b0, c20);
            c21 = madd(a, b1, c21);
            a = v128.load32_splat(ap, 12);
            c30 = madd(a, b0, c30);
            c31 = madd(a, b1, c31);
            if (ap >= last) break;
            b0 = v128.load(bp, 32);
            b1 = v128.load(bp, 48);
            a = v128.load32_splat(ap, 16);
            c00 = madd(a, b0, c00);
            c01 = madd(a, b1, c01);
            a = v128.load32_splat(ap, 20);
            c10 = madd(a, b0, c10);
            c11 = madd(a, b1, c11);
            a = v128.load32_splat(ap, 24);
            c20 = madd(a, b0, c20);
            c21 = madd(a, b1, c21);
            a = v128.load32_splat(ap, 28);
            c30 = madd(a, b0, c30);
            c31 = madd(a, b1, c31);
            ap += 32;
            bp += 64;
          }
        }
        addRow(partial, p0, k, outC, j0, cols, c00, c01, edge);
        addRow(partial, p0 + 1, k, outC, j0, cols, c10, c11, edge);
        addRow(partial, p0 + 2, k, outC, j0, cols, c20, c21, edge);
        addRow(partial, p0 + 3, k, outC, j0, cols, c30, c31, edge);
      }
    }
  }
}

/**
 * First layers (issue 18 item 1): convBackFilterPacked for a short window (K <= 64: 3x3 or 5x5
 * over 1-4 channels) and at most 4 panels (outC <= 32). Packing the windows there (mostly single
 * floats: a group of 4 rows crosses filter rows) cost as much as the few tiles that read them,
 * so the tiles read each window in place, and with outC == 8 dy's rows already are the panel.
 * A function of its own: sharing the packed path's loops made V8 allocate that path's
 * accumulators worse (its wide layers measured 5-10% slower). Measured (plain, 1 thread, per CPU
 * second, alternating builds): 1->8 5x5 +40%, 3->16 +20%, 3->32 +10%.
 * Since conv_filter_runs.ts (task 127, taken for outC a multiple of 8 up to 64) this one runs
 * for the other channel counts, and with globalThis.STRIATE_CONV_FIRST_DW = 'off'.
 */
function convBackFilterInPlace(g: usize, xp: usize, hp: i32, wp: i32, dy: usize, partial: usize,
                               q0: i32, rows: i32, pLo: i32, pHi: i32, scratch: usize): void {
  const c = gi(g, IN_C), oh = gi(g, OUT_H), ow = gi(g, OUT_W), outC = gi(g, OUT_C);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH), dw = gi(g, DW);
  const k = fh * fw * c;
  const panels = (outC + NR - 1) / NR;
  const dyIsPanel = outC == NR;
  const edge = scratch;
  const rowBase = scratch + 64;
  const packedB = rowBase + off(rows);
  const t = q0 / ow;
  let ox = q0 - t * ow;
  let b = t / oh, oy = t - b * oh;
  for (let r = 0; r < rows; r++) {
    const q = q0 + r;
    store<u32>(rowBase + off(r), <u32>(xp + off(((b * hp + oy * sh) * wp + ox * sw) * c)));
    if (++ox == ow) {
      ox = 0;
      if (++oy == oh) {
        oy = 0;
        b++;
      }
    }
    if (dyIsPanel) continue;
    const src = dy + off(q * outC);
    for (let jp = 0; jp < panels; jp++) {
      const dst = packedB + off((jp * rows + r) * NR);
      const j0 = jp * NR;
      if (j0 + NR <= outC) {
        v128.store(dst, v128.load(src + off(j0)));
        v128.store(dst, v128.load(src + off(j0), 16), 16);
      } else {
        for (let u = 0; u < NR; u++) store<f32>(dst + off(u), j0 + u < outC ? load<f32>(src + off(j0 + u)) : 0);
      }
    }
  }
  for (let jp = 0; jp < panels; jp++) {
    const j0 = jp * NR, cols = min(NR, outC - j0);
    const bp0 = dyIsPanel ? dy + off(q0 * NR) : packedB + off(jp * rows * NR);
    for (let p0 = pLo; p0 < pHi; p0 += 4) {
      const o0 = windowOffset(p0, k, c, fw, dh, dw, wp), o1 = windowOffset(p0 + 1, k, c, fw, dh, dw, wp);
      const o2 = windowOffset(p0 + 2, k, c, fw, dh, dw, wp), o3 = windowOffset(p0 + 3, k, c, fw, dh, dw, wp);
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let rp = rowBase, bp = bp0;
      for (let r = 0; r < rows; r++) {
        const base = <usize>load<u32>(rp);
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        let a = v128.load32_splat(base + o0);
        c00 = madd(a, b0, c00);
        c01 = madd(a, b1, c01);
        a = v128.load32_splat(base + o1);
        c10 = madd(a, b0, c10);
        c11 = madd(a, b1, c11);
        a = v128.load32_splat(base + o2);
        c20 = madd(a, b0, c20);
        c21 = madd(a, b1, c21);
        a = v128.load32_splat(base + o3);
        c30 = madd(a, b0, c30);
        c31 = madd(a, b1, c31);
        rp += 4;
        bp += 32;
      }
      addRow(partial, p0, pHi, outC, j0, cols, c00, c01, edge);
      addRow(partial, p0 + 1, pHi, outC, j0, cols, c10, c11, edge);
      addRow(partial, p0 + 2, pHi, outC, j0, cols, c20, c21, edge);
      addRow(partial, p0 + 3, pHi, outC, j0, cols, c30, c31, edge);
    }
  }
}
