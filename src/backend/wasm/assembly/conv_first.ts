// First conv layer area (issue 18 item 1, tasks 150-154): the input gradient of a convolution
// with 1-3 input channels, stride 1, dilation 1, NHWC, f32. Replaced by conv_first_dx.ts (task
// 151); kept for A/B (STRIATE_CONV_FIRST_DX = 'old', bench/first_layer_ab.ts --dx old,).
//
// Run as a forward convolution of dy with the turned filter (conv_direct.ts), the input gradient
// of a first layer has 1-3 output channels: 1-3 of the 8 columns of every register tile, so it
// ran at a third of the forward pass's speed. Here the vectors run along dy's channels instead
// (the reduction, 8-64 of them): a tile of 4 dx pixels x 3 channels keeps 12 accumulators of 4
// partial sums each, every step loads one 4-channel vector of dy per pixel and the filter's
// matching vector per dx channel, and the tile ends by adding each accumulator's lanes: 12
// sums, which are 3 whole vectors of dx (4 pixels x 3 channels lie contiguous). No padded copy
// of dy: a dx row only visits the filter rows whose dy row exists, and the pixels near the left
// and right borders (whose window leaves dy) run one at a time over their valid taps.
// Each dx value is one sum over (fy, then dy pixels left to right, then channels in fours), the
// same whichever chunk or thread computes it.
import { madd } from './fma';
import { IN_H, IN_W, IN_C, OUT_H, OUT_W, OUT_C, FH, FW, PAD_T, PAD_L, gi, off } from './conv_geometry';

/** Bytes of the filter packed by the host for convFirstBackInputRows: fh * fw * (outC / 4) steps of 3 vectors. */
// (packed on the host: for filter row fy, step j = d * (outC / 4) + q over the window's dy
// pixels d = 0..fw-1 left to right (filter column fw - 1 - d) and channel quads q, the three
// vectors W[fy, fw - 1 - d, ci, 4q .. 4q + 3] for ci = 0, 1, 2, zeros past the input channels)

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

/**
 * dx rows r0..r1 (a row is one (image, y)) of the input gradient: dy [batch, outH, outW, outC]
 * (outC a multiple of 4), `packed` the host-packed filter, dx [batch, inH, inW, inC] (inC <= 3),
 * every value written. `held` (the host's choice: relaxed SIMD) takes 3-pixel tiles that keep the three
 * filter vectors in registers instead of 4-pixel tiles that reload dy per filter vector. `edge`
 * is 48 bytes of scratch.
 */
export function convFirstBackInputRows(g: usize, dy: usize, packed: usize, dx: usize, r0: i32, r1: i32, held: i32, edge: usize): void {
  const inH = gi(g, IN_H), inW = gi(g, IN_W), c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W);
  const co = gi(g, OUT_C), fh = gi(g, FH), fw = gi(g, FW), padT = gi(g, PAD_T), padL = gi(g, PAD_L);
  const quads = co >> 2;
  const steps = fw * quads; // per filter row, the window's fw dy pixels x channel quads
  const wRow = <usize>steps * 48;
  const px = off(co);
  // dx pixels x whose window (dy pixels x + padL - fw + 1 .. x + padL) lies inside dy, as 4-pixel tiles
  const xLo = max(0, fw - 1 - padL), xHi = min(inW, outW - padL); // interior: xLo <= x < xHi
  for (let r = r0; r < r1; r++) {
    const b = r / inH, y = r - b * inH;
    const fyLo = max(0, y + padT - outH + 1), fyHi = min(fh, y + padT + 1);
    const dyImage = dy + off(b * outH * outW * co);
    const dxRow = dx + off(r * inW * c);
    let x = 0;
    while (x < inW) {
      if (held != 0 && x >= xLo && x + 3 <= xHi) {
        // 3 pixels x 3 channels with the three filter vectors in registers (9 + 3 + one dy
        // vector, + a product with plain SIMD: 14 of the 15 vector registers V8 allocates on x64),
        // 6 loads per 9 multiply-adds
        let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0);
        let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0);
        let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a22 = f32x4.splat(0);
        for (let fy = fyLo; fy < fyHi; fy++) {
          const oy = y + padT - fy;
          let p0 = dyImage + off((oy * outW + x + padL - fw + 1) * co);
          let p1 = p0 + px, p2 = p1 + px;
          let w = packed + <usize>fy * wRow;
          const wEnd = w + wRow;
          while (w < wEnd) {
            const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32);
            let d = v128.load(p0);
            a00 = madd(d, w0, a00);
            a01 = madd(d, w1, a01);
            a02 = madd(d, w2, a02);
            d = v128.load(p1);
            a10 = madd(d, w0, a10);
            a11 = madd(d, w1, a11);
            a12 = madd(d, w2, a12);
            d = v128.load(p2);
            a20 = madd(d, w0, a20);
            a21 = madd(d, w1, a21);
            a22 = madd(d, w2, a22);
            w += 48;
            p0 += 16;
            p1 += 16;
            p2 += 16;
          }
        }
        // the 9 sums in dx's order (pixel, channel): two vectors and one float
        const s0 = hsum4(a00, a01, a02, a10), s1 = hsum4(a11, a12, a20, a21), s2 = hsum(a22);
        const dst = dxRow + off(x * c);
        if (c == 3) {
          v128.store(dst, s0);
          v128.store(dst, s1, 16);
          store<f32>(dst, s2, 32);
        } else {
          v128.store(edge, s0);
          v128.store(edge, s1, 16);
          store<f32>(edge, s2, 32);
          for (let p = 0; p < 3; p++) {
            for (let ci = 0; ci < c; ci++) store<f32>(dst + off(p * c + ci), load<f32>(edge + off(p * 3 + ci)));
          }
        }
        x += 3;
      } else if (x >= xLo && x + 4 <= xHi) {
        let a00 = f32x4.splat(0), a01 = f32x4.splat(0), a02 = f32x4.splat(0);
        let a10 = f32x4.splat(0), a11 = f32x4.splat(0), a12 = f32x4.splat(0);
        let a20 = f32x4.splat(0), a21 = f32x4.splat(0), a22 = f32x4.splat(0);
        let a30 = f32x4.splat(0), a31 = f32x4.splat(0), a32 = f32x4.splat(0);
        for (let fy = fyLo; fy < fyHi; fy++) {
          const oy = y + padT - fy;
          let p0 = dyImage + off((oy * outW + x + padL - fw + 1) * co);
          let p1 = p0 + px, p2 = p1 + px, p3 = p2 + px;
          let w = packed + <usize>fy * wRow;
          const wEnd = w + wRow;
          while (w < wEnd) {
            // one filter vector at a time against the four pixels: 12 accumulators, the filter
            // vector, a dy vector and a product fit the 16 vector registers
            let v = v128.load(w);
            a00 = madd(v128.load(p0), v, a00);
            a10 = madd(v128.load(p1), v, a10);
            a20 = madd(v128.load(p2), v, a20);
            a30 = madd(v128.load(p3), v, a30);
            v = v128.load(w, 16);
            a01 = madd(v128.load(p0), v, a01);
            a11 = madd(v128.load(p1), v, a11);
            a21 = madd(v128.load(p2), v, a21);
            a31 = madd(v128.load(p3), v, a31);
            v = v128.load(w, 32);
            a02 = madd(v128.load(p0), v, a02);
            a12 = madd(v128.load(p1), v, a12);
            a22 = madd(v128.load(p2), v, a22);
            a32 = madd(v128.load(p3), v, a32);
            w += 48;
            p0 += 16;
            p1 += 16;
            p2 += 16;
            p3 += 16;
          }
        }
        // the 12 sums in dx's order (pixel, channel): three vectors
        const s0 = hsum4(a00, a01, a02, a10), s1 = hsum4(a11, a12, a20, a21), s2 = hsum4(a22, a30, a31, a32);
        const dst = dxRow + off(x * c);
        if (c == 3) {
          v128.store(dst, s0);
          v128.store(dst, s1, 16);
          v128.store(dst, s2, 32);
        } else {
          v128.store(edge, s0);
          v128.store(edge, s1, 16);
          v128.store(edge, s2, 32);
          for (let p = 0; p < 4; p++) {
            for (let ci = 0; ci < c; ci++) store<f32>(dst + off(p * c + ci), load<f32>(edge + off(p * 3 + ci)));
          }
        }
        x += 4;
      } else {
        // one pixel over the taps whose dy pixel exists
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0);
        const ox0 = x + padL - fw + 1;
        const dLo = max(0, -ox0), dHi = min(fw, outW - ox0);
        for (let fy = fyLo; fy < fyHi; fy++) {
          if (dLo >= dHi) break;
          const oy = y + padT - fy;
          let p = dyImage + off((oy * outW + ox0 + dLo) * co);
          let w = packed + <usize>fy * wRow + <usize>(dLo * quads) * 48;
          const wEnd = packed + <usize>fy * wRow + <usize>(dHi * quads) * 48;
          while (w < wEnd) {
            const v = v128.load(p);
            a0 = madd(v, v128.load(w), a0);
            a1 = madd(v, v128.load(w, 16), a1);
            a2 = madd(v, v128.load(w, 32), a2);
            w += 48;
            p += 16;
          }
        }
        const dst = dxRow + off(x * c);
        store<f32>(dst, hsum(a0));
        if (c > 1) store<f32>(dst, hsum(a1), 4);
        if (c > 2) store<f32>(dst, hsum(a2), 8);
        x++;
      }
    }
  }
}

