// Image kernels (task ids 70-76), NHWC: bilinear and nearest-neighbour resizing, crop-and-resize,
// and their gradients w.r.t. the image. Results match the reference kernels in
// src/backend/js/image.ts bit for bit: the interpolation runs in f64 with the same operations in
// the same order (two channels at a time, f64x2) and rounds once to f32 on the store, and every
// gradient cell receives its additions in the reference's order.
//
// The sampling tables of the resize kernels (for each output row and column: the input indices
// that bracket it and the weight of the second) come from the caller, computed by the reference
// backend's own code, so both backends sample the same points.
//
// Forward chunks are runs of output rows. Gradient chunks are (image, channel range) pairs for
// resizing and channel ranges for crops (boxes may share an image): the scattered additions of
// one chunk never touch another's cells.

export const TASK_RESIZE_BILINEAR_F32 = 70, TASK_RESIZE_BILINEAR_I32 = 71, TASK_RESIZE_BILINEAR_GRAD = 72;
export const TASK_RESIZE_NEAREST = 73, TASK_RESIZE_NEAREST_GRAD = 74;
export const TASK_CROP_RESIZE = 75, TASK_CROP_RESIZE_GRAD = 76;

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

@inline function off(i: i32): usize {
  return (<usize>i) << 2;
}

@inline function word(p: usize, i: i32): i32 {
  return load<i32>(p + off(i));
}

@inline function real(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}

/** Two f32 at p as f64x2. */
@inline function pair(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

@inline function storePair(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

@inline function lerp2(a: v128, b: v128, t: v128): v128 {
  return f64x2.add(a, f64x2.mul(f64x2.sub(b, a), t));
}

/** JavaScript's Math.round: halves go up. */
@inline function roundHalfUp(v: f64): f64 {
  const up = Math.ceil(v);
  return up - 0.5 > v ? up - 1 : up;
}

/**
 * c channels of one interpolated cell: out = upper + (lower - upper) * fy with
 * upper = tl + (tr - tl) * fx and lower = bl + (br - bl) * fx, all in f64. T is the source's
 * element type (f32, or i32 for an int32 image), `o` the f32 destination.
 */
@inline function interpolate<T>(tl: usize, tr: usize, bl: usize, br: usize, fx: f64, fy: f64, o: usize, c: i32): void {
  let k = 0;
  if (isFloat<T>()) {
    const vx = f64x2.splat(fx), vy = f64x2.splat(fy);
    for (; k + 2 <= c; k += 2) {
      const b = off(k);
      const upper = lerp2(pair(tl + b), pair(tr + b), vx);
      const lower = lerp2(pair(bl + b), pair(br + b), vx);
      storePair(o + b, lerp2(upper, lower, vy));
    }
  }
  for (; k < c; k++) {
    const b = off(k);
    const t0 = <f64>load<T>(tl + b), t1 = <f64>load<T>(tr + b);
    const b0 = <f64>load<T>(bl + b), b1 = <f64>load<T>(br + b);
    const upper = t0 + (t1 - t0) * fx;
    const lower = b0 + (b1 - b0) * fx;
    store<f32>(o + b, <f32>(upper + (lower - upper) * fy));
  }
}

/**
 * dy's c channels at `g` shared among four cells with the bilinear weights: each cell becomes
 * f32(cell + g * w) in f64, the corners in the reference's order (a corner repeated at an edge
 * gets both of its shares, one after the other).
 */
@inline function spread(g: usize, tl: usize, tr: usize, bl: usize, br: usize, fx: f64, fy: f64, c: i32): void {
  const wtl = (1 - fy) * (1 - fx), wtr = (1 - fy) * fx, wbl = fy * (1 - fx), wbr = fy * fx;
  const vtl = f64x2.splat(wtl), vtr = f64x2.splat(wtr), vbl = f64x2.splat(wbl), vbr = f64x2.splat(wbr);
  let k = 0;
  for (; k + 2 <= c; k += 2) {
    const b = off(k);
    const d = pair(g + b);
    storePair(tl + b, f64x2.add(pair(tl + b), f64x2.mul(d, vtl)));
    storePair(tr + b, f64x2.add(pair(tr + b), f64x2.mul(d, vtr)));
    storePair(bl + b, f64x2.add(pair(bl + b), f64x2.mul(d, vbl)));
    storePair(br + b, f64x2.add(pair(br + b), f64x2.mul(d, vbr)));
  }
  for (; k < c; k++) {
    const b = off(k);
    const d = <f64>load<f32>(g + b);
    store<f32>(tl + b, <f32>(<f64>load<f32>(tl + b) + d * wtl));
    store<f32>(tr + b, <f32>(<f64>load<f32>(tr + b) + d * wtr));
    store<f32>(bl + b, <f32>(<f64>load<f32>(bl + b) + d * wbl));
    store<f32>(br + b, <f32>(<f64>load<f32>(br + b) + d * wbr));
  }
}

// ---- resizing ---------------------------------------------------------------------------------

// resize args: x out batch inH inW c outH outW rowLo rowHi rowFrac colLo colHi colFrac per groupC
// (the tables: i32 indices, f64 weights; the nearest kernels read rowLo and colLo only).
// Forward chunks: `per` output rows each. Gradient chunks: (image, channel range of groupC).
const X = 0, OUT = 1, BATCH = 2, IN_H = 3, IN_W = 4, CH = 5, OUT_H = 6, OUT_W = 7;
const ROW_LO = 8, ROW_HI = 9, ROW_FRAC = 10, COL_LO = 11, COL_HI = 12, COL_FRAC = 13, PER = 14, GROUP_C = 15;
const ELEM_BYTES = 16;

function resizeBilinearRows<T>(args: usize, chunk: i32): void {
  const x = <usize>arg(args, X), out = <usize>arg(args, OUT), inH = arg(args, IN_H), inW = arg(args, IN_W);
  const c = arg(args, CH), outH = arg(args, OUT_H), outW = arg(args, OUT_W);
  const rowLo = <usize>arg(args, ROW_LO), rowHi = <usize>arg(args, ROW_HI), rowFrac = <usize>arg(args, ROW_FRAC);
  const colLo = <usize>arg(args, COL_LO), colHi = <usize>arg(args, COL_HI), colFrac = <usize>arg(args, COL_FRAC);
  const per = arg(args, PER), rows = arg(args, BATCH) * outH;
  const q0 = chunk * per, q1 = min(rows, q0 + per);
  const rowBytes = off(inW * c), cell = off(c);
  for (let q = q0; q < q1; q++) {
    const b = q / outH, y = q - b * outH;
    const base = x + <usize>(b * inH) * rowBytes;
    const top = base + <usize>word(rowLo, y) * rowBytes, bottom = base + <usize>word(rowHi, y) * rowBytes;
    const fy = real(rowFrac, y);
    let o = out + <usize>q * <usize>outW * cell;
    for (let xo = 0; xo < outW; xo++, o += cell) {
      const left = <usize>word(colLo, xo) * cell, right = <usize>word(colHi, xo) * cell;
      interpolate<T>(top + left, top + right, bottom + left, bottom + right, real(colFrac, xo), fy, o, c);
    }
  }
}

/** Nearest-neighbour resize of any element size (ELEM_BYTES): each output cell a copy of one input cell. */
function resizeNearestRows(args: usize, chunk: i32): void {
  const x = <usize>arg(args, X), out = <usize>arg(args, OUT), inH = arg(args, IN_H), inW = arg(args, IN_W);
  const c = arg(args, CH), outH = arg(args, OUT_H), outW = arg(args, OUT_W), eb = <usize>arg(args, ELEM_BYTES);
  const rowLo = <usize>arg(args, ROW_LO), colLo = <usize>arg(args, COL_LO);
  const per = arg(args, PER), rows = arg(args, BATCH) * outH;
  const q0 = chunk * per, q1 = min(rows, q0 + per);
  const cell = <usize>c * eb, rowBytes = <usize>inW * cell;
  for (let q = q0; q < q1; q++) {
    const b = q / outH, y = q - b * outH;
    const row = x + <usize>(b * inH + word(rowLo, y)) * rowBytes;
    let o = out + <usize>q * <usize>outW * cell;
    for (let xo = 0; xo < outW; xo++, o += cell) memory.copy(o, row + <usize>word(colLo, xo) * cell, cell);
  }
}

/** f32 cells of `width` channels: to += from (an f32 sum, as the reference's rounded f64 sum). */
@inline function addCells(to: usize, from: usize, width: i32): void {
  let k = 0;
  for (; k + 4 <= width; k += 4) v128.store(to + off(k), f32x4.add(v128.load(to + off(k)), v128.load(from + off(k))));
  for (; k < width; k++) store<f32>(to + off(k), load<f32>(to + off(k)) + load<f32>(from + off(k)));
}

/**
 * The gradient of a bilinear (or, with bilinear false, nearest-neighbour) resize for one chunk:
 * one image's channel range, dy's cells added onto dx in output order. Inlined with a constant
 * `bilinear`, so each kernel keeps its own loop.
 */
@inline function resizeGradChunk(bilinear: bool, args: usize, chunk: i32): void {
  const dy = <usize>arg(args, X), dx = <usize>arg(args, OUT), inH = arg(args, IN_H), inW = arg(args, IN_W);
  const c = arg(args, CH), outH = arg(args, OUT_H), outW = arg(args, OUT_W), groupC = arg(args, GROUP_C);
  const rowLo = <usize>arg(args, ROW_LO), colLo = <usize>arg(args, COL_LO);
  // the nearest kernel's tables end at rowLo and colLo
  const rowHi = bilinear ? <usize>arg(args, ROW_HI) : 0, rowFrac = bilinear ? <usize>arg(args, ROW_FRAC) : 0;
  const colHi = bilinear ? <usize>arg(args, COL_HI) : 0, colFrac = bilinear ? <usize>arg(args, COL_FRAC) : 0;
  const groups = (c + groupC - 1) / groupC;
  const b = chunk / groups, c0 = (chunk - b * groups) * groupC, width = min(c, c0 + groupC) - c0;
  const rowBytes = off(inW * c), cell = off(c);
  const base = dx + <usize>(b * inH) * rowBytes + off(c0);
  let g = dy + <usize>(b * outH) * <usize>outW * cell + off(c0);
  for (let y = 0; y < outH; y++) {
    const top = base + <usize>word(rowLo, y) * rowBytes;
    if (bilinear) {
      const bottom = base + <usize>word(rowHi, y) * rowBytes;
      const fy = real(rowFrac, y);
      for (let xo = 0; xo < outW; xo++, g += cell) {
        const left = <usize>word(colLo, xo) * cell, right = <usize>word(colHi, xo) * cell;
        spread(g, top + left, top + right, bottom + left, bottom + right, real(colFrac, xo), fy, width);
      }
    } else {
      for (let xo = 0; xo < outW; xo++, g += cell) addCells(top + <usize>word(colLo, xo) * cell, g, width);
    }
  }
}

// ---- crop and resize --------------------------------------------------------------------------

// crop args: image boxes boxInd out batch h w c cropH cropW nearest per groupC | f64 extrapolation at word 16
// Forward chunks: `per` rows (box, y) of the output. Gradient chunks: channel ranges of groupC.
const IMAGE = 0, BOXES = 1, BOX_IND = 2, C_OUT = 3, C_BATCH = 4, C_H = 5, C_W = 6, C_CH = 7;
const CROP_H = 8, CROP_W = 9, NEAREST = 10, C_PER = 11, C_GROUP = 12, EXTRAPOLATION = 8;

/** Where row y of box n's crop samples the image (TensorFlow's formula, in f64). */
@inline function sampleAt(lo: f64, hi: f64, i: i32, crop: i32, size: i32): f64 {
  if (crop > 1) return lo * <f64>(size - 1) + <f64>i * (((hi - lo) * <f64>(size - 1)) / <f64>(crop - 1));
  return 0.5 * (lo + hi) * <f64>(size - 1);
}

@inline function fillCell(o: usize, c: i32, v: f32): void {
  for (let k = 0; k < c; k++) store<f32>(o + off(k), v);
}

function cropResizeRows(args: usize, chunk: i32): void {
  const image = <usize>arg(args, IMAGE), boxes = <usize>arg(args, BOXES), boxInd = <usize>arg(args, BOX_IND);
  const out = <usize>arg(args, C_OUT), batch = arg(args, C_BATCH), h = arg(args, C_H), w = arg(args, C_W);
  const c = arg(args, C_CH), cropH = arg(args, CROP_H), cropW = arg(args, CROP_W), nearest = arg(args, NEAREST) != 0;
  const per = arg(args, C_PER), rows = load<i32>(args + off(13));
  const extrapolation = <f32>real(args, EXTRAPOLATION);
  const q0 = chunk * per, q1 = min(rows, q0 + per);
  const cell = off(c), rowBytes = <usize>w * cell;
  for (let q = q0; q < q1; q++) {
    const n = q / cropH, y = q - n * cropH;
    let o = out + <usize>q * <usize>cropW * cell;
    const bi = word(boxInd, n);
    if (bi < 0 || bi >= batch) {
      // the reference skips the box and leaves its (zeroed) output as it was
      memory.fill(o, 0, <usize>cropW * cell);
      continue;
    }
    const box = boxes + off(4 * n);
    const y1 = <f64>load<f32>(box), x1 = <f64>load<f32>(box, 4), y2 = <f64>load<f32>(box, 8), x2 = <f64>load<f32>(box, 12);
    const base = image + <usize>(bi * h) * rowBytes;
    const sy = sampleAt(y1, y2, y, cropH, h);
    for (let xo = 0; xo < cropW; xo++, o += cell) {
      const sx = sampleAt(x1, x2, xo, cropW, w);
      if (sy < 0 || sy > <f64>(h - 1) || sx < 0 || sx > <f64>(w - 1)) {
        fillCell(o, c, extrapolation);
      } else if (sy != sy || sx != sx) {
        // a NaN box coordinate is not off the image, yet reads no pixel: the reference gives NaN
        fillCell(o, c, NaN);
      } else if (nearest) {
        memory.copy(o, base + <usize>(<i32>roundHalfUp(sy)) * rowBytes + <usize>(<i32>roundHalfUp(sx)) * cell, cell);
      } else {
        const top = Math.floor(sy), bottom = Math.ceil(sy), left = Math.floor(sx), right = Math.ceil(sx);
        const t = base + <usize>(<i32>top) * rowBytes, bb = base + <usize>(<i32>bottom) * rowBytes;
        const l = <usize>(<i32>left) * cell, r = <usize>(<i32>right) * cell;
        interpolate<f32>(t + l, t + r, bb + l, bb + r, sx - left, sy - top, o, c);
      }
    }
  }
}

function cropResizeGradChunk(args: usize, chunk: i32): void {
  const dy = <usize>arg(args, IMAGE), boxes = <usize>arg(args, BOXES), boxInd = <usize>arg(args, BOX_IND);
  const dx = <usize>arg(args, C_OUT), batch = arg(args, C_BATCH), h = arg(args, C_H), w = arg(args, C_W);
  const c = arg(args, C_CH), cropH = arg(args, CROP_H), cropW = arg(args, CROP_W), nearest = arg(args, NEAREST) != 0;
  const groupC = arg(args, C_GROUP), numBoxes = load<i32>(args + off(13));
  const c0 = chunk * groupC, width = min(c, c0 + groupC) - c0;
  const cell = off(c), rowBytes = <usize>w * cell;
  for (let n = 0; n < numBoxes; n++) {
    const bi = word(boxInd, n);
    if (bi < 0 || bi >= batch) continue;
    const box = boxes + off(4 * n);
    const y1 = <f64>load<f32>(box), x1 = <f64>load<f32>(box, 4), y2 = <f64>load<f32>(box, 8), x2 = <f64>load<f32>(box, 12);
    const base = dx + <usize>(bi * h) * rowBytes + off(c0);
    let g = dy + <usize>n * <usize>cropH * <usize>cropW * cell + off(c0);
    for (let y = 0; y < cropH; y++) {
      const sy = sampleAt(y1, y2, y, cropH, h);
      for (let xo = 0; xo < cropW; xo++, g += cell) {
        const sx = sampleAt(x1, x2, xo, cropW, w);
        // off the image (or a NaN box): the cell depends on no pixel
        if (!(sy >= 0 && sy <= <f64>(h - 1) && sx >= 0 && sx <= <f64>(w - 1))) continue;
        if (nearest) {
          addCells(base + <usize>(<i32>roundHalfUp(sy)) * rowBytes + <usize>(<i32>roundHalfUp(sx)) * cell, g, width);
        } else {
          const top = Math.floor(sy), bottom = Math.ceil(sy), left = Math.floor(sx), right = Math.ceil(sx);
          const t = base + <usize>(<i32>top) * rowBytes, bb = base + <usize>(<i32>bottom) * rowBytes;
          const l = <usize>(<i32>left) * cell, r = <usize>(<i32>right) * cell;
          spread(g, t + l, t + r, bb + l, bb + r, sx - left, sy - top, width);
        }
      }
    }
  }
}

export function imageTask(task: i32, args: usize, chunk: i32): void {
  switch (task) {
    case TASK_RESIZE_BILINEAR_F32: resizeBilinearRows<f32>(args, chunk); break;
    case TASK_RESIZE_BILINEAR_I32: resizeBilinearRows<i32>(args, chunk); break;
    case TASK_RESIZE_BILINEAR_GRAD: resizeGradChunk(true, args, chunk); break;
    case TASK_RESIZE_NEAREST: resizeNearestRows(args, chunk); break;
    case TASK_RESIZE_NEAREST_GRAD: resizeGradChunk(false, args, chunk); break;
    case TASK_CROP_RESIZE: cropResizeRows(args, chunk); break;
    case TASK_CROP_RESIZE_GRAD: cropResizeGradChunk(args, chunk); break;
  }
}
