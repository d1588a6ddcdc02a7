// First conv layer area (issue 18, task 152): the input gradient of a convolution with 1-3 input
// channels, stride 1, dilation 1, NHWC, f32, with the vectors along dx's pixels.
//
// conv_first_dx.ts (task 151) runs its vectors along dy's channels: every accumulator holds 4
// partial sums of ONE dx value, so a tile of 9-12 accumulators covers only 3-4 pixels, and its
// fixed costs (the accumulators' zeroing, the lane sums, the call, the drain of 9 dependent
// chains) come back every fh * fw * outC / 4 steps: 36 steps for ResNet-20's 3->16, where they
// cost a fifth of the time. Here each accumulator holds 4 dx pixels of one channel: a tile of 3
// vectors x 3 channels covers 12 pixels with the same 9 accumulators + 3 filter broadcasts + a dy
// vector, ends with no lane sums (a few shuffles interleave the channels into NHWC), and runs
// 4x longer per tile. The price is dy's layout: per dy row a channel-planar copy, [outC][wt]
// floats with zeros where the window leaves dy (so the border pixels need no case of their own),
// kept in a ring of fh rows in the thread's scratch: each dy row is transposed once per chunk
// of dx rows (4x4 blocks of shuffles), about one instruction per dy value against the 27 / 4
// vector multiply-adds each dy value feeds.
// Each dx value is one sum over (fy, then window column d, then channel k) in a lane fixed by
// its position: the same bits whichever chunk or thread computes it.
import { madd } from './fma';
import { IN_H, IN_W, IN_C, OUT_H, OUT_W, OUT_C, FH, FW, PAD_T, PAD_L, gi, off } from './conv_geometry';

/** Floats per planar row of one channel: the padded width, a multiple of 4 with room for the last vector's window. */
export function planarWidth(inW: i32, fw: i32): i32 {
  return (((inW + 3) & ~3) + fw - 1 + 3) & ~3;
}

/**
 * dy row oy of image `dyImage` into `slot` ([co][wt] floats): slot[k][t] = dy[oy][t + padL - fw + 1][k]
 * for the t whose dy pixel exists (the other t stay zero from the ring's start).
 */
function planarRow(dyRow: usize, slot: usize, co: i32, wt: i32, tLo: i32, tHi: i32, shift: i32): void {
  const rs = off(wt);
  for (let k = 0; k < co; k += 4) {
    const dst = slot + <usize>k * rs;
    let t = tLo;
    for (; t + 4 <= tHi; t += 4) {
      const src = dyRow + off((t + shift) * co + k);
      const r0 = v128.load(src), r1 = v128.load(src + off(co)), r2 = v128.load(src + off(2 * co)), r3 = v128.load(src + off(3 * co));
      const l01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), h01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
      const l23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), h23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
      const d = dst + off(t);
      v128.store(d, v128.shuffle<f32>(l01, l23, 0, 1, 4, 5));
      v128.store(d + rs, v128.shuffle<f32>(l01, l23, 2, 3, 6, 7));
      v128.store(d + 2 * rs, v128.shuffle<f32>(h01, h23, 0, 1, 4, 5));
      v128.store(d + 3 * rs, v128.shuffle<f32>(h01, h23, 2, 3, 6, 7));
    }
    for (; t < tHi; t++) {
      const src = dyRow + off((t + shift) * co + k);
      const d = dst + off(t);
      store<f32>(d, load<f32>(src));
      store<f32>(d + rs, load<f32>(src, 4));
      store<f32>(d + 2 * rs, load<f32>(src, 8));
      store<f32>(d + 3 * rs, load<f32>(src, 12));
    }
  }
}

/** Writes 4 pixels x c channels of dx from the channel vectors a, b, e (lanes: pixels), n of them (n < 4: through `edge`). */
@inline function put4(dst: usize, c: i32, n: i32, a: v128, b: v128, e: v128, edge: usize): void {
  const to = n == 4 ? dst : edge;
  if (c == 3) {
    const ab = v128.shuffle<f32>(a, b, 0, 4, 1, 5); // a0 b0 a1 b1
    const bc = v128.shuffle<f32>(b, e, 1, 5, 2, 6); // b1 e1 b2 e2
    const ab3 = v128.shuffle<f32>(a, b, 3, 7, 3, 7); // a3 b3 . .
    v128.store(to, v128.shuffle<f32>(ab, e, 0, 1, 4, 2));
    v128.store(to, v128.shuffle<f32>(bc, a, 0, 1, 6, 2), 16);
    v128.store(to, v128.shuffle<f32>(e, ab3, 2, 4, 5, 3), 32);
  } else if (c == 2) {
    v128.store(to, v128.shuffle<f32>(a, b, 0, 4, 1, 5));
    v128.store(to, v128.shuffle<f32>(a, b, 2, 6, 3, 7), 16);
  } else {
    v128.store(to, a);
  }
  if (n < 4) {
    for (let i = 0; i < n * c; i++) store<f32>(dst + off(i), load<f32>(edge + off(i)));
  }
}

/**
 * dx pixels x .. x + 4V - 1 (V = 1, 2, 3 vectors; n pixels of the last vector stored) x 3
 * channels of dx row (b, y) over filter rows fyLo .. fyHi - 1. ring: the planar dy rows, slot
 * oy % fh; w: the packed filter ([fy][d][k] x 3 floats); two channels a turn with the exit test
 * between them.
 */
@inline function tile(V: i32, ring: usize, slotBytes: usize, fh: i32, fw: i32, co: i32, wt: i32, y: i32, padT: i32,
                      fyLo: i32, fyHi: i32, x: i32, w: usize, dst: usize, c: i32, n: i32, edge: usize): void {
  let a0 = f32x4.splat(0), b0 = f32x4.splat(0), e0 = f32x4.splat(0);
  let a1 = f32x4.splat(0), b1 = f32x4.splat(0), e1 = f32x4.splat(0);
  let a2 = f32x4.splat(0), b2 = f32x4.splat(0), e2 = f32x4.splat(0);
  const rs = off(wt), kBytes = <usize>co * 12;
  for (let fy = fyLo; fy < fyHi; fy++) {
    const oy = y + padT - fy;
    const slot = ring + <usize>(oy % fh) * slotBytes;
    for (let d = 0; d < fw; d++) {
      let p = slot + off(x + d);
      let v = w + <usize>(fy * fw + d) * kBytes;
      const vEnd = v + kBytes;
      while (v < vEnd) {
        let fa = v128.load32_splat(v), fb = v128.load32_splat(v + 4), fe = v128.load32_splat(v + 8);
        let q = v128.load(p);
        a0 = madd(q, fa, a0); b0 = madd(q, fb, b0); e0 = madd(q, fe, e0);
        if (V > 1) {
          q = v128.load(p + 16);
          a1 = madd(q, fa, a1); b1 = madd(q, fb, b1); e1 = madd(q, fe, e1);
        }
        if (V > 2) {
          q = v128.load(p + 32);
          a2 = madd(q, fa, a2); b2 = madd(q, fb, b2); e2 = madd(q, fe, e2);
        }
        v += 12;
        p += rs;
      }
    }
  }
  if (V == 1) put4(dst, c, n, a0, b0, e0, edge);
  if (V > 1) {
    put4(dst, c, 4, a0, b0, e0, edge);
    put4(dst + off(4 * c), c, V == 2 ? n : 4, a1, b1, e1, edge);
  }
  if (V > 2) put4(dst + off(8 * c), c, n, a2, b2, e2, edge);
}

function tile3(ring: usize, slotBytes: usize, fh: i32, fw: i32, co: i32, wt: i32, y: i32, padT: i32,
               fyLo: i32, fyHi: i32, x: i32, w: usize, dst: usize, c: i32, edge: usize): void {
  tile(3, ring, slotBytes, fh, fw, co, wt, y, padT, fyLo, fyHi, x, w, dst, c, 4, edge);
}

function tile2(ring: usize, slotBytes: usize, fh: i32, fw: i32, co: i32, wt: i32, y: i32, padT: i32,
               fyLo: i32, fyHi: i32, x: i32, w: usize, dst: usize, c: i32, edge: usize): void {
  tile(2, ring, slotBytes, fh, fw, co, wt, y, padT, fyLo, fyHi, x, w, dst, c, 4, edge);
}

function tile1(ring: usize, slotBytes: usize, fh: i32, fw: i32, co: i32, wt: i32, y: i32, padT: i32,
               fyLo: i32, fyHi: i32, x: i32, w: usize, dst: usize, c: i32, n: i32, edge: usize): void {
  tile(1, ring, slotBytes, fh, fw, co, wt, y, padT, fyLo, fyHi, x, w, dst, c, n, edge);
}

/**
 * dx rows r0..r1 (a row is one (image, y)) of the input gradient: dy [batch, outH, outW, outC]
 * (outC a multiple of 4), `packed` the host-packed filter ([fy][d][k] x 3 floats, d the window
 * column = filter column fw - 1 - d, zeros past the input channels), dx [batch, inH, inW, inC]
 * (inC <= 3), every value written. `scratch`: 64 bytes, then the ring of fh planar rows
 * (fh * outC * planarWidth floats).
 */
export function convFirstPlanarRows(g: usize, dy: usize, packed: usize, dx: usize, r0: i32, r1: i32, scratch: usize): void {
  const inH = gi(g, IN_H), inW = gi(g, IN_W), c = gi(g, IN_C), outH = gi(g, OUT_H), outW = gi(g, OUT_W);
  const co = gi(g, OUT_C), fh = gi(g, FH), fw = gi(g, FW), padT = gi(g, PAD_T), padL = gi(g, PAD_L);
  const wt = planarWidth(inW, fw), edge = scratch, ring = scratch + 64;
  const slotBytes = off(co * wt);
  memory.fill(ring, 0, <usize>fh * slotBytes);
  // slot[k][t] holds dy pixel t + padL - fw + 1: the t whose pixel exists
  const shift = padL - fw + 1;
  const tLo = max(0, -shift), tHi = min(wt, outW - shift);
  let image = -1, top = -1; // the image and the highest dy row in the ring
  for (let r = r0; r < r1; r++) {
    const b = r / inH, y = r - b * inH;
    const fyLo = max(0, y + padT - outH + 1), fyHi = min(fh, y + padT + 1);
    const dyImage = dy + off(b * outH * outW * co);
    if (b != image) {
      image = b;
      top = -1;
    }
    // the dy rows this dx row reads: y + padT - fyHi + 1 .. y + padT - fyLo
    for (let oy = max(top + 1, y + padT - fyHi + 1); oy <= y + padT - fyLo; oy++) {
      planarRow(dyImage + off(oy * outW * co), ring + <usize>(oy % fh) * slotBytes, co, wt, tLo, tHi, shift);
      top = oy;
    }
    const dxRow = dx + off(r * inW * c);
    let x = 0;
    for (; x + 12 <= inW; x += 12) tile3(ring, slotBytes, fh, fw, co, wt, y, padT, fyLo, fyHi, x, packed, dxRow + off(x * c), c, edge);
    if (x + 8 <= inW) {
      tile2(ring, slotBytes, fh, fw, co, wt, y, padT, fyLo, fyHi, x, packed, dxRow + off(x * c), c, edge);
      x += 8;
    }
    for (; x < inW; x += 4) tile1(ring, slotBytes, fh, fw, co, wt, y, padT, fyLo, fyHi, x, packed, dxRow + off(x * c), c, min(4, inW - x), edge);
  }
}
