// strided dx area (issue 18, tasks 170-174): the input gradient of a strided convolution with
// few channels (ResNet-20's 3x3 stride-2 layers) written in place, phase by phase, instead of a
// GEMM into columns and col2im (host: src/backend/wasm/conv_phase_dx.ts).
//
// A dx pixel (iy, ix) with (iy + padTop) % sy = ry and (ix + padLeft) % sx = rx meets only the
// taps ky = ry, ry + sy, ... and kx = rx, rx + sx, ... (3x3 stride 2: phases of 4, 2, 2 and 1
// taps), at dy pixel oy = (iy + padTop - ky) / sy, ox = (ix + padLeft - kx) / sx. Along a row of
// one phase (ix = ix0, ix0 + sx, ...) a tap's dy pixels are consecutive (ox0, ox0 + 1, ...).
// So per image, dy is first copied into a scratch T laid out [row][o][column] with zero borders:
// a tile's 4 pixels at one tap and output channel o are then 4 consecutive floats (read with
// literal offsets from one pointer), the next o lies one T row further, and pixels whose tap
// falls outside dy read zeros (no edge branches). Each dx value is then one register-tile sum
// over the phase's taps x outC, stored once: no zero fill, no columns, no read-modify-write.
// The filter comes packed by the host as [phase][8-channel block][tap][o][8].
// Tiles: 4 pixels x 8 channels in both builds. With plain SIMD (mul + add) 8 accumulators are
// arithmetic-bound; with relaxed SIMD 8 FMA chains are latency-bound (latency 5), but 6-pixel
// tiles (12 chains) measured no faster here: ResNet-20's rows of 16 and 8 phase pixels leave a
// third of a 6-pixel tile idle at 8 (6 + 6 + 4 at 16 needs 4-pixel tiles anyway), and V8 spilled
// the 6x8 tile wherever the taps were walked inside it (45-55% of the GEMM at 16->32 against 80%
// with 4 pixels); one tile6 call per tap (sums kept in a buffer) ran level with 4-pixel tiles
// (78% against 80%), and packing each tile's pixels as [k][6] for a gemm.ts-like loop lost (66%).
// Two channel steps summed apart from the accumulator in a 4-pixel tile (t = a*b, t = fma(a', b',
// t), acc += t: one add of latency 3 per two steps on each chain) needed 15 registers and V8
// spilled it: 52-58% against 70-72% for col2im.
// 5-pixel tiles (10 chains, 13 registers) over the phase's pixels in a flat order across rows
// (T as [o][row][column]): V8 put the five splats ahead of the multiply-adds and spilled two
// accumulators (40-43% of the GEMM); with four of the splats as lane shuffles of one load 55%.
import { madd } from './fma';

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

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

/** The first w channels of the first n pixels of a tile at tmp (8 floats a pixel) to c (pixels cs bytes apart). */
function copyEdge(c: usize, cs: usize, n: i32, w: i32, tmp: usize): void {
  for (let i = 0; i < n; i++, c += cs) {
    for (let j = 0; j < w; j++) store<f32>(c + ((<usize>j) << 2), load<f32>(tmp + ((<usize>(i * 8 + j)) << 2)));
  }
}

/**
 * One dy row [ow][n] (at src) into T's layout [o][column] (column 0 at dst, o rows step bytes
 * apart): blocks of 4 pixels x 4 channels transposed in registers (a quarter of the loads and
 * stores of a float-by-float copy), the rest float by float.
 */
function copyRow(src: usize, dst: usize, ow: i32, n: i32, step: usize): void {
  const ps = (<usize>n) << 2;
  let ox = 0;
  if ((n & 3) == 0) {
    for (; ox + 4 <= ow; ox += 4) {
      const s0 = src + (<usize>ox) * ps, d0 = dst + ((<usize>ox) << 2);
      for (let o = 0; o < n; o += 4) {
        const s = s0 + ((<usize>o) << 2);
        const v0 = v128.load(s), v1 = v128.load(s + ps), v2 = v128.load(s + 2 * ps), v3 = v128.load(s + 3 * ps);
        const a0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5), a1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
        const a2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5), a3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
        const d = d0 + (<usize>o) * step;
        v128.store(d, v128.shuffle<f32>(a0, a2, 0, 1, 4, 5));
        v128.store(d + step, v128.shuffle<f32>(a0, a2, 2, 3, 6, 7));
        v128.store(d + 2 * step, v128.shuffle<f32>(a1, a3, 0, 1, 4, 5));
        v128.store(d + 3 * step, v128.shuffle<f32>(a1, a3, 2, 3, 6, 7));
      }
    }
  }
  for (; ox < ow; ox++) {
    let s = src + (<usize>ox) * ps, d = dst + ((<usize>ox) << 2);
    for (let o = 0; o < n; o++, s += 4, d += step) store<f32>(d, load<f32>(s));
  }
}

// args (i32 words): dy packed dx batch per 0 | H W c oh ow n fh fw sy sx padTop padLeft oyLo oxLo
// ph pw cpad (geometry from word 6). Chunk t takes images t * per ..; scratch: T (ph x n x pw
// floats, from a 64-byte boundary), the tap table (MAX_TAPS words), a tile buffer (4 x 8 floats).
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
    const image0 = dy + (<usize>b) * (<usize>(oh * ow * n) << 2);
    for (let oy = 0; oy < oh; oy++) copyRow(image0 + (<usize>(oy * ow * n) << 2),
      T + (<usize>(oy - oyLo)) * rowBytes + ((<usize>(-oxLo)) << 2), ow, n, step);
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
          for (let m0 = 0; m0 < npx; m0 += 4) {
            const cnt = min(4, npx - m0);
            const off = (<usize>m0) << 2, out = outRow + (<usize>m0) * os;
            let bq = phase;
            for (let j0 = 0; j0 < cpad; j0 += 8, bq += blockBytes) {
              const w = min(8, c - j0);
              const at = out + ((<usize>j0) << 2);
              // two call sites (full tile straight to dx, else through tmp): binaryen inlines a
              // function called once, and inlined the loop ran at half speed (conv_pointwise.ts)
              if (w == 8 && cnt == 4) tile4(taps, nt, off, span, step, bq, at, os);
              else {
                tile4(taps, nt, off, span, step, bq, tmp, 32);
                copyEdge(at, os, cnt, w, tmp);
              }
            }
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
