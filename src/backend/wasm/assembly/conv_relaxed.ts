// ---- conv relaxed tile area (issue 18) ----
// The relaxed-SIMD build's 6-row register tiles for the conv kernels ResNet-20 and the CIFAR
// convnet spend their time in: the direct forward kernel (which also runs the input gradient of
// stride-1 3x3 convolutions, through the turned filter) and the packed filter gradient.
//
// f32x4.relaxed_madd has a latency of about 5 cycles and two issue each cycle, so 10 chains are
// needed to keep the FMA units busy; the 4x8 tiles have 8 (80% of the rate at best), these 6x8
// ones 12. Each tile is a small function of its own with a while loop over computed addresses,
// the form in which V8 keeps 12 accumulators + 2 B vectors + 1 broadcast in the 16 xmm registers
// without spilling (see tile6x8 in gemm.ts); its sums go to a 6 x 8 scratch block, and the
// caller adds bias, relu or the partial from there. Every output's sum runs over the same terms
// in the same order, with one accumulator, as in the 4-row tiles, so the bits do not change.
// Only the relaxed build calls these (compile-time branches in index.ts and conv_filter_grad.ts).
import { madd } from './fma';
import { NR } from './gemm';
import { IN_C, OUT_H, OUT_W, OUT_C, FH, FW, SH, SW, DH, DW, gi, off } from './conv_geometry';
import { finish } from './conv_direct';

/** output pixels whose window origins are computed at a time: 16 tiles per filter panel */
const BLOCK: i32 = 96;

/**
 * The shortest window row (fw * c floats) given to the 6-pixel tile. Its sums go through memory
 * once a window row; with 48 (3x3 over 16 channels) that cost what the 12 chains gained
 * (forward -4%, input gradient -5%, 3 -> 16 first layer -8%; from 96 up +6 to +22%), so shorter
 * rows keep the 4-pixel kernel.
 */
const MIN_RUN: i32 = 64;

/** Whether convDirectChunk runs convDirectRows6: dilation 1 across and window rows of MIN_RUN floats or more. */
@inline export function directTile6(g: usize): bool {
  return gi(g, DW) == 1 && gi(g, FW) * gi(g, IN_C) >= MIN_RUN;
}

/**
 * sums[6][8] = six output pixels' windows (origins at the u32 words `bases`) by one filter
 * panel bp [K][8], K = fh runs of `run` bytes of the padded input (dilation 1: a window row is
 * fw * c contiguous floats), the next run `skip` bytes on from the end of one. One call of
 * tile6Run per window row, the sums carried in `sums`. Other forms measured or read worse: a
 * loop over window rows around the while loop spilled four accumulators on every step; the row
 * step as a branch inside the loop spilled a pointer (46 instructions a step, the forward pass
 * 10% slower than the 4-row tile); three pointers to pairs of pixels cost 36. tile6Run's loop is
 * 33 instructions a step (12 vfmadd231ps, 2 B loads, 6 vbroadcastss, 5 lea, 2 movl, 2 add, two
 * compare-and-branch), the form of the GEMM's tile6x8, with no spill.
 */
function tile6Direct(bases: usize, bp: usize, fh: i32, run: usize, skip: usize, sums: usize): void {
  const panelRun = run << 3;
  let x = <usize>load<u32>(bases);
  const d1 = <usize>load<u32>(bases, 4) - x, d2 = <usize>load<u32>(bases, 8) - x;
  const d3 = <usize>load<u32>(bases, 12) - x, d4 = <usize>load<u32>(bases, 16) - x;
  const d5 = <usize>load<u32>(bases, 20) - x;
  memory.fill(sums, 0, 192);
  // two call sites: binaryen inlines a function called once, and inlined V8 spills
  tile6Run(x, d1, d2, d3, d4, d5, bp, bp + panelRun, sums);
  for (let fy = 1; fy < fh; fy++) {
    x += run + skip;
    bp += panelRun;
    tile6Run(x, d1, d2, d3, d4, d5, bp, bp + panelRun, sums);
  }
}

/** sums[6][8] += one window row of tile6Direct: pixels at x, x + d1 .. x + d5, panel bp .. end. */
function tile6Run(x: usize, d1: usize, d2: usize, d3: usize, d4: usize, d5: usize, bp: usize, end: usize, sums: usize): void {
  let c00 = v128.load(sums), c01 = v128.load(sums, 16);
  let c10 = v128.load(sums, 32), c11 = v128.load(sums, 48);
  let c20 = v128.load(sums, 64), c21 = v128.load(sums, 80);
  let c30 = v128.load(sums, 96), c31 = v128.load(sums, 112);
  let c40 = v128.load(sums, 128), c41 = v128.load(sums, 144);
  let c50 = v128.load(sums, 160), c51 = v128.load(sums, 176);
  while (bp < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp + 16);
    { const v = v128.load32_splat(x); c00 = madd(v, b0, c00); c01 = madd(v, b1, c01); }
    { const v = v128.load32_splat(x + d1); c10 = madd(v, b0, c10); c11 = madd(v, b1, c11); }
    { const v = v128.load32_splat(x + d2); c20 = madd(v, b0, c20); c21 = madd(v, b1, c21); }
    { const v = v128.load32_splat(x + d3); c30 = madd(v, b0, c30); c31 = madd(v, b1, c31); }
    { const v = v128.load32_splat(x + d4); c40 = madd(v, b0, c40); c41 = madd(v, b1, c41); }
    { const v = v128.load32_splat(x + d5); c50 = madd(v, b0, c50); c51 = madd(v, b1, c51); }
    x += 4;
    bp += 32;
  }
  v128.store(sums, c00); v128.store(sums, c01, 16);
  v128.store(sums, c10, 32); v128.store(sums, c11, 48);
  v128.store(sums, c20, 64); v128.store(sums, c21, 80);
  v128.store(sums, c30, 96); v128.store(sums, c31, 112);
  v128.store(sums, c40, 128); v128.store(sums, c41, 144);
  v128.store(sums, c50, 160); v128.store(sums, c51, 176);
}

/**
 * convDirectRows (conv_direct.ts) with the 6-pixel tile, same arguments and result. The tiles
 * run over the chunk's output pixels in flat order (image, oy, ox), across row ends: the output
 * is contiguous in that order and each pixel's window origin is looked up, so only the chunk's
 * last tile can be short (its missing pixels repeat the last one and are not stored), whatever
 * the width. Dilation 1 across (a window row in one run); the caller takes the 4-row kernel for
 * the others. `scratch` needs 256 + 4 * BLOCK bytes.
 */
export function convDirectRows6(g: usize, xp: usize, hp: i32, wp: i32, panels: usize, out: usize,
                                r0: i32, r1: i32, biasPad: usize, act: i32, scratch: usize): void {
  const c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W), outC = gi(g, OUT_C);
  const fh = gi(g, FH), fw = gi(g, FW), sh = gi(g, SH), sw = gi(g, SW), dh = gi(g, DH);
  const k = fh * fw * c;
  // a window row's fw * c floats, then on to the next row
  const run = off(fw * c), skip = off(dh * wp * c) - run;
  const sums = scratch, edge = scratch + 192, bases = scratch + 256;
  const q1 = r1 * outW;
  const step = off(outC);
  let q = r0 * outW;
  // the pixel at q, stepped along
  let b = r0 / outH, oy = r0 - b * outH, ox = 0;
  while (q < q1) {
    const n = min(BLOCK, q1 - q);
    const tiles = (n + 5) / 6;
    for (let i = 0; i < n; i++) {
      store<u32>(bases + off(i), <u32>(xp + off(((b * hp + oy * sh) * wp + ox * sw) * c)));
      if (++ox == outW) {
        ox = 0;
        if (++oy == outH) {
          oy = 0;
          b++;
        }
      }
    }
    // a short last tile repeats the last pixel (those sums are dropped)
    for (let i = n; i < tiles * 6; i++) store<u32>(bases + off(i), load<u32>(bases + off(n - 1)));
    for (let j0 = 0; j0 < outC; j0 += NR) {
      const cols = min(NR, outC - j0);
      const panel = panels + off(j0 * k);
      const bias = biasPad != 0 ? biasPad + off(j0) : 0;
      // whole tiles, then a short one (two call sites: called once, binaryen inlines the tile,
      // and inlined V8 spills its accumulators)
      const whole = n / 6;
      let dst = out + off(q * outC + j0);
      for (let t = 0; t < whole; t++) {
        const o = bases + off(t * 6);
        tile6Direct(o, panel, fh, run, skip, sums);
        for (let i = 0; i < 6; i++) {
          finish(dst, v128.load(sums + off(i * NR)), v128.load(sums + off(i * NR), 16), bias, act, cols, edge);
          dst += step;
        }
      }
      if (whole < tiles) {
        const o = bases + off(whole * 6);
        tile6Direct(o, panel, fh, run, skip, sums);
        for (let i = 0; i < n - whole * 6; i++) {
          finish(dst, v128.load(sums + off(i * NR)), v128.load(sums + off(i * NR), 16), bias, act, cols, edge);
          dst += step;
        }
      }
    }
    q += n;
  }
}

/**
 * sums[6][8] = six rows of packed windows by one dy panel over `rows` pixels: filter rows at x
 * and x + d1 .. x + d5 of the 4-row groups of convBackFilterPacked (16 bytes a pixel in each),
 * dy at bp [rows][8]. The same form as tile6Run: 33 instructions a step, no spill (with three
 * pointers stepped apart, 35).
 */
function tile6Filter(x: usize, d1: usize, d2: usize, d3: usize, d4: usize, d5: usize, bp: usize, rows: i32, sums: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  const end = bp + off(rows * NR);
  while (bp < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp + 16);
    { const v = v128.load32_splat(x); c00 = madd(v, b0, c00); c01 = madd(v, b1, c01); }
    { const v = v128.load32_splat(x + d1); c10 = madd(v, b0, c10); c11 = madd(v, b1, c11); }
    { const v = v128.load32_splat(x + d2); c20 = madd(v, b0, c20); c21 = madd(v, b1, c21); }
    { const v = v128.load32_splat(x + d3); c30 = madd(v, b0, c30); c31 = madd(v, b1, c31); }
    { const v = v128.load32_splat(x + d4); c40 = madd(v, b0, c40); c41 = madd(v, b1, c41); }
    { const v = v128.load32_splat(x + d5); c50 = madd(v, b0, c50); c51 = madd(v, b1, c51); }
    x += 16;
    bp += 32;
  }
  v128.store(sums, c00); v128.store(sums, c01, 16);
  v128.store(sums, c10, 32); v128.store(sums, c11, 48);
  v128.store(sums, c20, 64); v128.store(sums, c21, 80);
  v128.store(sums, c30, 96); v128.store(sums, c31, 112);
  v128.store(sums, c40, 128); v128.store(sums, c41, 144);
  v128.store(sums, c50, 160); v128.store(sums, c51, 176);
}

/** partial[p0 + i, j0 .. j0 + cols] += sums row i, i < 6, for the rows below k. */
@inline function addSums(partial: usize, p0: i32, k: i32, outC: i32, j0: i32, cols: i32, sums: usize): void {
  for (let i = 0; i < 6; i++) {
    const p = p0 + i;
    if (p >= k) return;
    const dst = partial + off(p * outC + j0), src = sums + off(i * NR);
    if (cols == NR) {
      v128.store(dst, f32x4.add(v128.load(src), v128.load(dst)));
      v128.store(dst, f32x4.add(v128.load(src, 16), v128.load(dst, 16)), 16);
    } else {
      for (let q = 0; q < cols; q++) store<f32>(dst + off(q), load<f32>(src + off(q)) + load<f32>(dst + off(q)));
    }
  }
}

/**
 * convBackFilterPacked's tiles for whole triples of its 4-row window groups (12 filter rows, two
 * 6-row tiles) of one dy panel; returns the number of groups done (a multiple of 3), the rest
 * left to the 4-row tile. `sums` is 192 bytes of scratch.
 */
export function filterGradTriples(packedA: usize, bp: usize, rows: i32, groups: i32, pb: i32, k: i32, outC: i32,
                                  j0: i32, cols: i32, partial: usize, sums: usize): i32 {
  const done = groups - groups % 3;
  const groupBytes = off(rows * 4);
  for (let gq = 0; gq < done; gq += 3) {
    const a0 = packedA + <usize>gq * groupBytes, a1 = a0 + groupBytes;
    const p0 = pb + gq * 4;
    // rows 0-3 of group gq and 0-1 of gq + 1, then 2-3 of gq + 1 and 0-3 of gq + 2
    tile6Filter(a0, 4, 8, 12, groupBytes, groupBytes + 4, bp, rows, sums);
    addSums(partial, p0, k, outC, j0, cols, sums);
    tile6Filter(a1 + 8, 4, groupBytes - 8, groupBytes - 4, groupBytes, groupBytes + 4, bp, rows, sums);
    addSums(partial, p0 + 6, k, outC, j0, cols, sums);
  }
  return done;
}
// ---- end of conv relaxed tile area ----
