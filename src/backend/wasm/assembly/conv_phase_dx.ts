// strided dx area (issue 18, tasks 170-174): the input gradient of a strided convolution with
// few channels (ResNet-20's 3x3 stride-2 layers) written in place, phase by phase, instead of a
// GEMM into columns and col2im (host: src/backend/wasm/conv_phase_dx.ts).
//
// A dx pixel (iy, ix) with (iy + padTop) % sy = ry and (ix + padLeft) % sx = rx meets only the
// taps ky = ry, ry + sy, ... and kx = rx, rx + sx, ... (3x3 stride 2: phases of 4, 2, 2 and 1
// taps), at dy pixel oy = (iy + padTop - ky) / sy, ox = (ix + padLeft - kx) / sx. Along a row of
// one phase (ix = ix0, ix0 + sx, ...) a tap's dy pixels are consecutive (ox0, ox0 + 1, ...).
// So per image, dy is first copied into a scratch T laid out [row][o][column] with zero borders:
// a tile's R pixels at one tap and output channel o are then R consecutive floats (read with
// literal offsets from one pointer), the next o lies one T row further, and pixels whose tap
// falls outside dy read zeros (no edge branches). Each dx value is then one register-tile sum
// over the phase's taps x outC, stored once: no zero fill, no columns, no read-modify-write.
// The filter comes packed by the host as [phase][8-channel block][tap][o][8].
// Tiles: 4 pixels x 8 channels with plain SIMD (mul + add: 8 accumulators are arithmetic-bound),
// 6 x 8 with relaxed SIMD (12 fused multiply-add chains: 8 are latency-bound at FMA latency 5).
import { madd } from './fma';

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

/** Pixels per tile: 6 with relaxed SIMD, 4 with plain. */
const R: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
/** Most taps per phase (the host declines filters with more). */
export const MAX_TAPS: i32 = 64;

/**
 * 4 pixels x 8 channels: out pixel i (at c + i * cs) = sum over the nt taps (T pointers at taps,
 * plus off) and k output channels (T rows `step` bytes apart) of T · the packed filter at bq.
 */
function tile4(taps: usize, nt: i32, off: usize, span: usize, step: usize, bq: usize, c: usize, cs: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
  for (let t = 0; t < nt; t++) {
    let p = load<usize>(taps + ((<usize>t) << 2)) + off;
    const end = p + span;
    // two channel steps a turn with the exit test between them (as gemm.ts tile4x8): V8 then
    // keeps each step's loads beside its multiply-adds instead of hoisting them and spilling
    while (p < end) {
      let b0 = v128.load(bq);
      let b1 = v128.load(bq, 16);
      let a = v128.load32_splat(p);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load32_splat(p, 4);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a = v128.load32_splat(p, 8);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
      a = v128.load32_splat(p, 12);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
      p += step; bq += 32;
      if (p >= end) break;
      b0 = v128.load(bq);
      b1 = v128.load(bq, 16);
      a = v128.load32_splat(p);
      c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
      a = v128.load32_splat(p, 4);
      c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
      a = v128.load32_splat(p, 8);
      c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
      a = v128.load32_splat(p, 12);
      c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
      p += step; bq += 32;
    }
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  c += cs; v128.store(c, c10); v128.store(c, c11, 16);
  c += cs; v128.store(c, c20); v128.store(c, c21, 16);
  c += cs; v128.store(c, c30); v128.store(c, c31, 16);
}

/**
 * tile4 with 6 pixels, for the relaxed build: 12 accumulators, 2 filter vectors, 1 splat = 15
 * registers, as gemm.ts tile6x8, whose lessons hold here: the splat addresses computed (p + 4
 * ...), not load offsets (V8 hoisted the offset form ahead of the multiply-adds and spilled),
 * and one loop, the next tap's pointer taken where a tap's channels end: with tile4's loop over
 * taps around the channel loop V8 spilled the accumulators (45% of the GEMM at ResNet-20's 16->32
 * stride 2, against 80% for 4-pixel tiles); packing each tile's pixels as [k][6] first for a
 * plain gemm.ts-like loop cost as much as it saved (66%).
 */
function tile6(taps: usize, nt: i32, off: usize, span: usize, step: usize, bq: usize, c: usize, cs: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
  let c40 = c00, c41 = c01, c50 = c00, c51 = c01;
  let p = load<usize>(taps) + off;
  let end = p + span, t = 1;
  while (true) {
    const b0 = v128.load(bq);
    const b1 = v128.load(bq, 16);
    { const a = v128.load32_splat(p); c00 = madd(a, b0, c00); c01 = madd(a, b1, c01); }
    { const a = v128.load32_splat(p + 4); c10 = madd(a, b0, c10); c11 = madd(a, b1, c11); }
    { const a = v128.load32_splat(p + 8); c20 = madd(a, b0, c20); c21 = madd(a, b1, c21); }
    { const a = v128.load32_splat(p + 12); c30 = madd(a, b0, c30); c31 = madd(a, b1, c31); }
    { const a = v128.load32_splat(p + 16); c40 = madd(a, b0, c40); c41 = madd(a, b1, c41); }
    { const a = v128.load32_splat(p + 20); c50 = madd(a, b0, c50); c51 = madd(a, b1, c51); }
    p += step;
    bq += 32;
    if (p >= end) {
      if (t >= nt) break;
      p = load<usize>(taps + ((<usize>t) << 2)) + off;
      end = p + span;
      t++;
    }
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  c += cs; v128.store(c, c10); v128.store(c, c11, 16);
  c += cs; v128.store(c, c20); v128.store(c, c21, 16);
  c += cs; v128.store(c, c30); v128.store(c, c31, 16);
  c += cs; v128.store(c, c40); v128.store(c, c41, 16);
  c += cs; v128.store(c, c50); v128.store(c, c51, 16);
}

/** The first w channels of the first n pixels of a tile at tmp (8 floats a pixel) to c (pixels cs bytes apart). */
function copyEdge(c: usize, cs: usize, n: i32, w: i32, tmp: usize): void {
  for (let i = 0; i < n; i++, c += cs) {
    for (let j = 0; j < w; j++) store<f32>(c + ((<usize>j) << 2), load<f32>(tmp + ((<usize>(i * 8 + j)) << 2)));
  }
}

// args (i32 words): dy packed dx batch per 0 | H W c oh ow n fh fw sy sx padTop padLeft oyLo oxLo
// ph pw cpad (geometry from word 6). Chunk t takes images t * per ..; scratch: T (ph x n x pw
// floats, from a 64-byte boundary), the tap table (MAX_TAPS words), a tile buffer (6 x 8 floats).
const G = 6;
@inline function gw(args: usize, i: i32): i32 {
  return arg(args, G + i);
}

function phaseDxChunk(args: usize, chunk: i32, scratch: usize): void {
  const dy = <usize>arg(args, 0), packed = <usize>arg(args, 1), dx = <usize>arg(args, 2);
  const batch = arg(args, 3), per = arg(args, 4);
  const H = gw(args, 0), W = gw(args, 1), c = gw(args, 2), oh = gw(args, 3), ow = gw(args, 4), n = gw(args, 5);
  const fh = gw(args, 6), fw = gw(args, 7), sy = gw(args, 8), sx = gw(args, 9), padTop = gw(args, 10), padLeft = gw(args, 11);
  const oyLo = gw(args, 12), oxLo = gw(args, 13), ph = gw(args, 14), pw = gw(args, 15), cpad = gw(args, 16);
  const b0 = chunk * per, b1 = min(batch, b0 + per);
  const step = (<usize>pw) << 2, rowBytes = (<usize>(n * pw)) << 2;
  const tBytes = (<usize>ph) * rowBytes;
  const T = scratch, taps = scratch + ((tBytes + 63) & ~63), tmp = taps + ((<usize>MAX_TAPS) << 2);
  const span = (<usize>n) * step;
  // the borders stay zero over the chunk's images: each image overwrites only the interior
  memory.fill(T, 0, tBytes);
  const pixelBytes = (<usize>c) << 2, os = (<usize>(sx * c)) << 2;
  for (let b = b0; b < b1; b++) {
    // dy image [oh][ow][n] into T [oy - oyLo][o][ox - oxLo]
    let src = dy + (<usize>b) * (<usize>(oh * ow * n) << 2);
    for (let oy = 0; oy < oh; oy++) {
      let dst = T + (<usize>(oy - oyLo)) * rowBytes + ((<usize>(-oxLo)) << 2);
      for (let ox = 0; ox < ow; ox++, dst += 4) {
        let d = dst;
        for (let o = 0; o < n; o++, src += 4, d += step) store<f32>(d, load<f32>(src));
      }
    }
    const image = dx + (<usize>b) * (<usize>(H * W) * pixelBytes);
    let phase = packed;
    for (let ry = 0; ry < sy; ry++) {
      const nty = (fh - ry + sy - 1) / sy;
      const iy0 = ((ry - padTop) % sy + sy) % sy;
      for (let rx = 0; rx < sx; rx++) {
        const ntx = (fw - rx + sx - 1) / sx;
        const nt = nty * ntx;
        const ix0 = ((rx - padLeft) % sx + sx) % sx;
        const npx = ix0 < W ? (W - ix0 + sx - 1) / sx : 0;
        const blockBytes = (<usize>(nt * n)) << 5;
        for (let iy = iy0; iy < H; iy += sy) {
          // the phase row's tap table: T at (oy, ox0) of each tap, in the packed filter's order
          for (let ty = 0; ty < nty; ty++) {
            const oy = (iy + padTop - ry - ty * sy) / sy;
            const row = T + (<usize>(oy - oyLo)) * rowBytes;
            for (let tx = 0; tx < ntx; tx++) {
              const ox0 = (ix0 + padLeft - rx - tx * sx) / sx;
              store<usize>(taps + ((<usize>(ty * ntx + tx)) << 2), row + ((<usize>(ox0 - oxLo)) << 2));
            }
          }
          const outRow = image + (<usize>(iy * W + ix0)) * pixelBytes;
          for (let m0 = 0; m0 < npx;) {
            // relaxed build: 6-pixel tiles, but a row's last 8 pixels (or fewer than 5) as 4-pixel
            // ones (8 FMA chains, but no pixel computed in vain: 16 = 6 + 6 + 4, 8 = 4 + 4)
            const rem = npx - m0;
            const six = R == 6 && rem != 8 && rem > 4;
            const cnt = min(six ? 6 : 4, rem);
            const off = (<usize>m0) << 2, out = outRow + (<usize>m0) * os;
            let bq = phase;
            for (let j0 = 0; j0 < cpad; j0 += 8, bq += blockBytes) {
              const w = min(8, c - j0);
              const at = out + ((<usize>j0) << 2);
              // two call sites each (full tile straight to dx, else through tmp): binaryen inlines
              // a function called once, and inlined the loop ran at half speed (conv_pointwise.ts)
              if (w == 8 && (cnt == 6 || (cnt == 4 && !six))) {
                if (six) tile6(taps, nt, off, span, step, bq, at, os);
                else tile4(taps, nt, off, span, step, bq, at, os);
              } else {
                if (six) tile6(taps, nt, off, span, step, bq, tmp, 32);
                else tile4(taps, nt, off, span, step, bq, tmp, 32);
                copyEdge(at, os, cnt, w, tmp);
              }
            }
            m0 += cnt;
          }
        }
        phase += (<usize>(cpad / 8)) * blockBytes;
      }
    }
  }
}

export function convPhaseDxTask(task: i32, args: usize, chunk: i32, scratch: usize): void {
  if (task == 170) phaseDxChunk(args, chunk, scratch);
}
