// First conv layer area (issue 18, task 151): the input gradient of a convolution with 1-3
// input channels, stride 1, dilation 1, NHWC, f32; the successor of conv_first.ts (task 150,
// kept for A/B as the 'old' kernel). Same idea: the vectors run along dy's channels (the
// reduction), a tile is a few dx pixels x 3 channels, one accumulator of 4 partial sums per dx
// value, and the tile ends by adding each accumulator's lanes (the sums lie contiguous in dx).
//
// What changed, and why:
// - plain SIMD: the tile is 3 pixels x 3 channels with the step's 3 filter vectors held
//   (9 accumulators + 3 + a dy vector + the product of mul + add = 14 registers), with an exit
//   test (never taken) after each pixel's 3 multiply-adds. Without the tests V8 loads all the
//   step's dy vectors first (16 registers) and spills; task 150's 4-pixel reload tile was worse:
//   V8 merges its repeated dy loads into 4 registers and spilled 4 accumulators + a dy vector on
//   every step. Relaxed SIMD (no product register) needs no tests.
// - the filter is packed with the fh filter rows of a step side by side (step j = d * quads + q
//   over the window's dy pixels d and channel quads q, then fy, then 3 vectors, one per dx
//   channel), so that a tile of an interior dx row of a 3-row filter runs all three filter rows
//   in ONE loop over the fw * quads steps (held3Fused): one loop exit, one stack check and one
//   pointer update per three rows' multiply-adds instead of three short loops per tile (12 steps
//   each for ResNet-20's 3->16), and all of a row's tiles in one call. Exit tests between the
//   rows keep V8 from loading the next rows' filter vectors early (it did, and spilled).
// - the loops over one filter row (border rows, other filter heights) take two steps a turn with
//   the exit test between them (as gemm.ts tile4x8).
// - one input channel (the digit CNN) has its own 8-pixel tile: the 3-channel tile spends two
//   thirds of its multiply-adds on zero filter vectors there.
// Pixels whose window leaves dy (the 'same' borders) and the interior's last 1-2 pixels run one
// at a time over their valid taps. Each dx value is one sum in an order fixed by its position
// (the tile kind is chosen from x and y alone), the same whichever chunk or thread computes it.
import { madd } from './fma';
import { IN_H, IN_W, IN_C, OUT_H, OUT_W, OUT_C, FH, FW, PAD_T, PAD_L, gi, off } from './conv_geometry';

/** Flags (A/B): NO_FUSE runs one loop per filter row everywhere. */
export const DX_NO_FUSE = 2;

/** (sum a, sum b, sum c, sum d) of four vectors' lanes. */
@inline function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

@inline function hsum(a: v128): f32 {
  const s = f32x4.add(a, v128.shuffle<f32>(a, a, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}

/** Writes n pixels x c channels of dx from s0, s1, s2 (n pixels x 3 channels, pixel-major). */
@inline function put(dst: usize, c: i32, n: i32, s0: v128, s1: v128, s2: v128, edge: usize): void {
  if (c == 3) {
    v128.store(dst, s0);
    v128.store(dst, s1, 16);
    if (n == 4) v128.store(dst, s2, 32);
    else store<f32>(dst, f32x4.extract_lane(s2, 0), 32);
  } else {
    v128.store(edge, s0);
    v128.store(edge, s1, 16);
    v128.store(edge, s2, 32);
    for (let p = 0; p < n; p++) {
      for (let ci = 0; ci < c; ci++) store<f32>(dst + off(p * c + ci), load<f32>(edge + off(p * 3 + ci)));
    }
  }
}

/**
 * `tiles` tiles of 3 pixels x 3 channels side by side in an interior dx row, the three filter
 * rows in one loop (fh = 3, all three dy rows exist). q: dy at the first tile's window start in
 * filter row 0's dy row; up: bytes from one dy row to the one above; px: bytes of a dy pixel;
 * wStart: the packed filter; steps: fw * quads. The three filter vectors of a (step, row) stay
 * in registers against the three pixels: 9 accumulators + 3 + a dy vector (+ a product with
 * plain SIMD) <= 15 registers. One call per row: the caller's address arithmetic and a call per
 * tile cost about 6% at outC 16 (measured, bench/first_layer_ab.ts).
 */
function held3Fused(q: usize, up: usize, px: usize, wStart: usize, steps: i32, dst: usize, c: i32, edge: usize, tiles: i32): void {
  for (let t = 0; t < tiles; t++) {
    let w = wStart;
    let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0);
    let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0);
    let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a22 = f32x4.splat(0);
    let q0 = q, q1 = q - up, q2 = q1 - up;
    const px2 = px + px;
    const wEnd = w + <usize>steps * 144;
    // the tests between the rows never fire (steps >= 1, q2 < q1 < q0): they keep V8 from loading
    // the next rows' filter vectors ahead of this row's multiply-adds (without them it did, and
    // spilled accumulators on every step); with plain SIMD the tests after each pixel (w + 16k <
    // wEnd always) do the same for the dy vectors (see the file's head)
    while (true) {
      let w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32);
      let d = v128.load(q0);
      a00 = madd(d, w0, a00); a01 = madd(d, w1, a01); a02 = madd(d, w2, a02);
      if (!ASC_FEATURE_RELAXED_SIMD && w + 16 >= wEnd) break;
      d = v128.load(q0 + px);
      a10 = madd(d, w0, a10); a11 = madd(d, w1, a11); a12 = madd(d, w2, a12);
      if (!ASC_FEATURE_RELAXED_SIMD && w + 32 >= wEnd) break;
      d = v128.load(q0 + px2);
      a20 = madd(d, w0, a20); a21 = madd(d, w1, a21); a22 = madd(d, w2, a22);
      if (q1 >= q0) break;
      w0 = v128.load(w, 48); w1 = v128.load(w, 64); w2 = v128.load(w, 80);
      d = v128.load(q1);
      a00 = madd(d, w0, a00); a01 = madd(d, w1, a01); a02 = madd(d, w2, a02);
      if (!ASC_FEATURE_RELAXED_SIMD && w + 48 >= wEnd) break;
      d = v128.load(q1 + px);
      a10 = madd(d, w0, a10); a11 = madd(d, w1, a11); a12 = madd(d, w2, a12);
      if (!ASC_FEATURE_RELAXED_SIMD && w + 64 >= wEnd) break;
      d = v128.load(q1 + px2);
      a20 = madd(d, w0, a20); a21 = madd(d, w1, a21); a22 = madd(d, w2, a22);
      if (q2 >= q1) break;
      w0 = v128.load(w, 96); w1 = v128.load(w, 112); w2 = v128.load(w, 128);
      d = v128.load(q2);
      a00 = madd(d, w0, a00); a01 = madd(d, w1, a01); a02 = madd(d, w2, a02);
      if (!ASC_FEATURE_RELAXED_SIMD && w + 80 >= wEnd) break;
      d = v128.load(q2 + px);
      a10 = madd(d, w0, a10); a11 = madd(d, w1, a11); a12 = madd(d, w2, a12);
      if (!ASC_FEATURE_RELAXED_SIMD && w + 96 >= wEnd) break;
      d = v128.load(q2 + px2);
      a20 = madd(d, w0, a20); a21 = madd(d, w1, a21); a22 = madd(d, w2, a22);
      w += 144;
      if (w >= wEnd) break;
      q0 += 16;
      q1 += 16;
      q2 += 16;
    }
    put(dst, c, 3, hsum4(a00, a01, a02, a10), hsum4(a11, a12, a20, a21), f32x4.splat(hsum(a22)), edge);
    q += 3 * px;
    dst += off(3 * c);
  }
}

/**
 * 3 pixels x 3 channels over filter rows fy0 .. fy0 + rows - 1, one loop per row, two steps a
 * turn. q: dy at pixel 0's window start in filter row fy0's dy row; w: the packed filter at
 * (step 0, fy0); stride: bytes from one step to the next (fh * 48).
 */
function held3(q: usize, up: usize, px: usize, w: usize, stride: usize, steps: i32, rows: i32, dst: usize, c: i32, edge: usize): void {
  let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0);
  let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0);
  let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a22 = f32x4.splat(0);
  const px2 = px + px, span = <usize>steps * stride;
  for (let i = 0; i < rows; i++) {
    let p = q, v = w;
    const vEnd = v + span, last = vEnd - stride;
    while (v < vEnd) {
      let w0 = v128.load(v), w1 = v128.load(v, 16), w2 = v128.load(v, 32);
      let d = v128.load(p);
      a00 = madd(d, w0, a00); a01 = madd(d, w1, a01); a02 = madd(d, w2, a02);
      if (!ASC_FEATURE_RELAXED_SIMD && v + 16 >= vEnd) break;
      d = v128.load(p + px);
      a10 = madd(d, w0, a10); a11 = madd(d, w1, a11); a12 = madd(d, w2, a12);
      if (!ASC_FEATURE_RELAXED_SIMD && v + 32 >= vEnd) break;
      d = v128.load(p + px2);
      a20 = madd(d, w0, a20); a21 = madd(d, w1, a21); a22 = madd(d, w2, a22);
      if (v >= last) break;
      const u = v + stride;
      w0 = v128.load(u); w1 = v128.load(u, 16); w2 = v128.load(u, 32);
      d = v128.load(p + 16);
      a00 = madd(d, w0, a00); a01 = madd(d, w1, a01); a02 = madd(d, w2, a02);
      if (!ASC_FEATURE_RELAXED_SIMD && u + 16 >= vEnd) break;
      d = v128.load(p + px + 16);
      a10 = madd(d, w0, a10); a11 = madd(d, w1, a11); a12 = madd(d, w2, a12);
      if (!ASC_FEATURE_RELAXED_SIMD && u + 32 >= vEnd) break;
      d = v128.load(p + px2 + 16);
      a20 = madd(d, w0, a20); a21 = madd(d, w1, a21); a22 = madd(d, w2, a22);
      v = u + stride;
      p += 32;
    }
    q -= up;
    w += 48;
  }
  put(dst, c, 3, hsum4(a00, a01, a02, a10), hsum4(a11, a12, a20, a21), f32x4.splat(hsum(a22)), edge);
}

/**
 * 8 pixels of a dx row with ONE channel over filter rows fy0 .. fy0 + rows - 1 (arguments as
 * held3): the 3-channel tiles would spend two thirds of their multiply-adds on the zero filter
 * vectors. One filter vector against 8 dy vectors a step, 8 accumulators; the exit test after
 * the fourth pixel keeps V8 from loading all 8 dy vectors at once (4 + 8 + 1 + a product fit).
 */
function one8(q: usize, up: usize, px: usize, w: usize, stride: usize, steps: i32, rows: i32, dst: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
  const span = <usize>steps * stride, px4 = px << 2;
  for (let i = 0; i < rows; i++) {
    let p = q, v = w;
    const vEnd = v + span;
    while (v < vEnd) {
      const f = v128.load(v);
      const p2 = p + px + px;
      a0 = madd(v128.load(p), f, a0);
      a1 = madd(v128.load(p + px), f, a1);
      a2 = madd(v128.load(p2), f, a2);
      a3 = madd(v128.load(p2 + px), f, a3);
      if (v + 16 >= vEnd) break;
      const p4 = p + px4, p6 = p4 + px + px;
      a4 = madd(v128.load(p4), f, a4);
      a5 = madd(v128.load(p4 + px), f, a5);
      a6 = madd(v128.load(p6), f, a6);
      a7 = madd(v128.load(p6 + px), f, a7);
      v += stride;
      p += 16;
    }
    q -= up;
    w += 48;
  }
  v128.store(dst, hsum4(a0, a1, a2, a3));
  v128.store(dst, hsum4(a4, a5, a6, a7), 16);
}

/**
 * dx rows r0..r1 (a row is one (image, y)) of the input gradient: dy [batch, outH, outW, outC]
 * (outC a multiple of 4), `packed` the host-packed filter (per step, fh rows of 3 vectors),
 * dx [batch, inH, inW, inC] (inC <= 3), every value written. `flags`: DX_NO_FUSE (A/B).
 * `edge` is 48 bytes of scratch.
 */
export function convFirstDxRows(g: usize, dy: usize, packed: usize, dx: usize, r0: i32, r1: i32, flags: i32, edge: usize): void {
  const inH = gi(g, IN_H), inW = gi(g, IN_W), c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W);
  const co = gi(g, OUT_C), fh = gi(g, FH), fw = gi(g, FW), padT = gi(g, PAD_T), padL = gi(g, PAD_L);
  const quads = co >> 2, steps = fw * quads;
  const stride = <usize>fh * 48;
  const px = off(co), up = off(outW * co);
  const fuse = (flags & DX_NO_FUSE) == 0 && fh == 3;
  // dx pixels x whose window (dy pixels x + padL - fw + 1 .. x + padL) lies inside dy
  const xLo = max(0, fw - 1 - padL), xHi = min(inW, outW - padL); // interior: xLo <= x < xHi
  for (let r = r0; r < r1; r++) {
    const b = r / inH, y = r - b * inH;
    const fyLo = max(0, y + padT - outH + 1), fyHi = min(fh, y + padT + 1);
    const rows = fyHi - fyLo, whole = fuse && rows == 3;
    const dyImage = dy + off(b * outH * outW * co);
    const dxRow = dx + off(r * inW * c);
    const wRow = packed + <usize>fyLo * 48;
    let x = 0;
    while (x < inW) {
      const rem = xHi - x, dst = dxRow + off(x * c);
      // dy at the window start of pixel x in filter row fyLo's dy row
      const q = dyImage + off(((y + padT - fyLo) * outW + x + padL - fw + 1) * co);
      if (c == 1 && x >= xLo && rem >= 8) {
        one8(q, up, px, wRow, stride, steps, rows, dst);
        x += 8;
      } else if (x >= xLo && rem >= 3) {
        if (whole) {
          // all the row's 3-pixel tiles in one call
          const tiles = rem / 3;
          held3Fused(q, up, px, packed, steps, dst, c, edge, tiles);
          x += 3 * tiles;
        } else {
          held3(q, up, px, wRow, stride, steps, rows, dst, c, edge);
          x += 3;
        }
      } else {
        // one pixel over the taps whose dy pixel exists
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0);
        const ox0 = x + padL - fw + 1;
        const dLo = max(0, -ox0), dHi = min(fw, outW - ox0);
        if (dLo < dHi) {
          for (let fy = fyLo; fy < fyHi; fy++) {
            let p = dyImage + off(((y + padT - fy) * outW + ox0 + dLo) * co);
            let v = packed + <usize>fy * 48 + <usize>(dLo * quads) * stride;
            const vEnd = packed + <usize>fy * 48 + <usize>(dHi * quads) * stride;
            while (v < vEnd) {
              const d = v128.load(p);
              a0 = madd(d, v128.load(v), a0);
              a1 = madd(d, v128.load(v, 16), a1);
              a2 = madd(d, v128.load(v, 32), a2);
              v += stride;
              p += 16;
            }
          }
        }
        store<f32>(dst, hsum(a0));
        if (c > 1) store<f32>(dst, hsum(a1), 4);
        if (c > 2) store<f32>(dst, hsum(a2), 8);
        x++;
      }
    }
  }
}
