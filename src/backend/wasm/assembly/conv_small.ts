// r50 area (issue 18, tasks 165-169): the im2col-slab convolution (conv_slab.ts) split for two
// threads when the image is small, as in ResNet-50 at batch 1.
//
// With 49 or 196 output pixels (7x7, 14x14) and 256-512 channels the slab kernel's pixel split
// gives 7-8 chunks of 8-28 pixels, and every chunk streams the whole packed filter (3x3x512x512:
// 9.4 MB) through the cache for those few pixels, so two threads read the filter 7 times where
// one read it once. Here a chunk is a cell of a grid: a range of pixels (whole PB blocks when
// there are many) by a range of 8-column filter panels, so small images split over output
// channels instead. Each element's sum runs over the same K blocks in the same order in any cell,
// so the bits do not depend on the grid (the same as one thread's single chunk).
//
// The filter packing, one chunk on the calling thread in conv_slab.ts, runs here one K block per
// chunk (on the pool when the filter is large), with 128-bit moves for whole panels. At batch 1
// the packing is a fixed cost of every call (2.4 M floats for 3x3x512->512).
import { NR } from './gemm';
import { convSlabRows, KB } from './conv_slab';
import { IN_C, OUT_C, FH, FW, gi, off } from './conv_geometry';

export const TASK_SLAB_PACK_BLOCK = 165, TASK_SLAB_GRID = 166;

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

/**
 * K block `chunk` (rows chunk * KB ..) of the filter w [k, outC] packed as packSlabFilter packs
 * it: ceil(outC / 8) panels of kcp x 8 floats, zeros past outC and past k. Args: g w panels.
 */
export function packSlabFilterBlock(args: usize, chunk: i32): void {
  const g = <usize>arg(args, 0), w = <usize>arg(args, 1), panels = <usize>arg(args, 2);
  const k = gi(g, FH) * gi(g, FW) * gi(g, IN_C), outC = gi(g, OUT_C);
  const kp = (k + 3) & ~3, np = (outC + NR - 1) / NR;
  const p0 = chunk * KB, kcp = min(KB, kp - p0);
  if (kcp <= 0) return;
  let dst = panels + off(p0 * np * NR);
  for (let j0 = 0; j0 < outC; j0 += NR) {
    const cols = min(NR, outC - j0);
    for (let p = p0; p < p0 + kcp; p++) {
      if (p < k && cols == NR) {
        const src = w + off(p * outC + j0);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      } else {
        for (let q = 0; q < NR; q++) store<f32>(dst + off(q), p < k && q < cols ? load<f32>(w + off(p * outC + j0 + q)) : 0);
      }
      dst += 32;
    }
  }
}

/**
 * One cell of the grid: pixels [pi * per, ..) by panels [ji * panelsPer, ..). Args: g xp hp wp
 * panels out pixels per bias act panelsPer (the slab task's arguments and the panels per cell).
 */
export function convSlabCell(args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>arg(args, 0);
  const pixels = arg(args, 6), per = arg(args, 7), panelsPer = arg(args, 10);
  const np = (gi(g, OUT_C) + NR - 1) / NR;
  const cols = (np + panelsPer - 1) / panelsPer;
  const pi = chunk / cols, ji = chunk - pi * cols;
  const q0 = pi * per, j0 = ji * panelsPer;
  convSlabRows(g, arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), arg(args, 5), q0, min(pixels, q0 + per),
    arg(args, 8), arg(args, 9), scratch, j0, min(np, j0 + panelsPer));
}

export function convSmallTask(task: i32, args: usize, chunk: i32, scratch: usize): void {
  if (task == TASK_SLAB_PACK_BLOCK) packSlabFilterBlock(args, chunk);
  else if (task == TASK_SLAB_GRID) convSlabCell(args, chunk, scratch);
}
