/**
 * Image kernels on typed arrays, NHWC: bilinear and nearest-neighbour resizing and their
 * gradients, crop-and-resize and its gradient w.r.t. the image, projective transforms and
 * rotation, and the two host-side algorithms of tf.image (non-max suppression, Otsu's threshold).
 * Sampling positions follow TensorFlow's kernels, so results agree with TensorFlow.js.
 */
import type { TypedArray } from '../types.js';

/** Where output index i of an axis samples the input, for the resize kernels. */
function resizeScale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

/**
 * For each output position along one axis: the two input indices that bracket the sample point
 * and the weight of the second. A point before the first or past the last pixel reads the edge
 * pixel (both indices equal), as TensorFlow does.
 */
export function bilinearAxis(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean):
  { lo: Int32Array; hi: Int32Array; frac: Float64Array } {
  const scale = resizeScale(inSize, outSize, alignCorners);
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float64Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const at = halfPixelCenters ? scale * (i + 0.5) - 0.5 : scale * i;
    lo[i] = Math.max(0, Math.floor(at));
    hi[i] = Math.min(inSize - 1, Math.ceil(at));
    frac[i] = at - lo[i];
  }
  return { lo, hi, frac };
}

/** For each output position along one axis: the input index nearest-neighbour resizing reads. */
export function nearestAxis(inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): Int32Array {
  const scale = resizeScale(inSize, outSize, alignCorners);
  const index = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const at = halfPixelCenters ? scale * (i + 0.5) : scale * i;
    let k = Math.min(inSize - 1, alignCorners ? Math.round(at) : Math.floor(at));
    if (halfPixelCenters) k = Math.max(0, k);
    index[i] = k;
  }
  return index;
}

/**
 * Bilinear resize of x [batch, inH, inW, c] to [batch, outH, outW, c], written into `out` from
 * `outOffset` (the image loaders fill one slot of a batch buffer).
 */
export function resizeBilinearKernel(x: TypedArray, shape: readonly number[], outH: number, outW: number,
  alignCorners: boolean, halfPixelCenters: boolean, out: TypedArray, outOffset = 0): void {
  const [batch, inH, inW, c] = shape;
  const rows = bilinearAxis(inH, outH, alignCorners, halfPixelCenters);
  const cols = bilinearAxis(inW, outW, alignCorners, halfPixelCenters);
  let o = outOffset;
  for (let b = 0; b < batch; b++) {
    const base = b * inH * inW * c;
    for (let y = 0; y < outH; y++) {
      const top = base + rows.lo[y] * inW * c;
      const bottom = base + rows.hi[y] * inW * c;
      const fy = rows.frac[y];
      for (let xo = 0; xo < outW; xo++) {
        const left = cols.lo[xo] * c;
        const right = cols.hi[xo] * c;
        const fx = cols.frac[xo];
        for (let k = 0; k < c; k++) {
          const tl = x[top + left + k], tr = x[top + right + k];
          const bl = x[bottom + left + k], br = x[bottom + right + k];
          const upper = tl + (tr - tl) * fx;
          const lower = bl + (br - bl) * fx;
          out[o++] = upper + (lower - upper) * fy;
        }
      }
    }
  }
}

/**
 * Gradient of resizeBilinear w.r.t. its input: each dy cell is shared among the four input
 * pixels it was interpolated from, with the same weights. `out` (the input's shape) must be zeroed.
 */
export function resizeBilinearGradKernel(dy: TypedArray, inShape: readonly number[], outH: number, outW: number,
  alignCorners: boolean, halfPixelCenters: boolean, out: TypedArray): void {
  const [batch, inH, inW, c] = inShape;
  const rows = bilinearAxis(inH, outH, alignCorners, halfPixelCenters);
  const cols = bilinearAxis(inW, outW, alignCorners, halfPixelCenters);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * inH * inW * c;
    for (let y = 0; y < outH; y++) {
      const top = base + rows.lo[y] * inW * c;
      const bottom = base + rows.hi[y] * inW * c;
      const fy = rows.frac[y];
      for (let xo = 0; xo < outW; xo++) {
        const left = cols.lo[xo] * c;
        const right = cols.hi[xo] * c;
        const fx = cols.frac[xo];
        const wtl = (1 - fy) * (1 - fx), wtr = (1 - fy) * fx, wbl = fy * (1 - fx), wbr = fy * fx;
        for (let k = 0; k < c; k++) {
          const g = dy[o++];
          out[top + left + k] += g * wtl;
          out[top + right + k] += g * wtr;
          out[bottom + left + k] += g * wbl;
          out[bottom + right + k] += g * wbr;
        }
      }
    }
  }
}

/** Nearest-neighbour resize of x [batch, inH, inW, c] to [batch, outH, outW, c]. */
export function resizeNearestKernel(x: TypedArray, shape: readonly number[], outH: number, outW: number,
  alignCorners: boolean, halfPixelCenters: boolean, out: TypedArray): void {
  const [batch, inH, inW, c] = shape;
  const rows = nearestAxis(inH, outH, alignCorners, halfPixelCenters);
  const cols = nearestAxis(inW, outW, alignCorners, halfPixelCenters);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * inH * inW * c;
    for (let y = 0; y < outH; y++) {
      const row = base + rows[y] * inW * c;
      for (let xo = 0; xo < outW; xo++) {
        const from = row + cols[xo] * c;
        for (let k = 0; k < c; k++) out[o++] = x[from + k];
      }
    }
  }
}

/** Gradient of resizeNearestNeighbor: each dy cell added to the pixel it copied. `out` zeroed. */
export function resizeNearestGradKernel(dy: TypedArray, inShape: readonly number[], outH: number, outW: number,
  alignCorners: boolean, halfPixelCenters: boolean, out: TypedArray): void {
  const [batch, inH, inW, c] = inShape;
  const rows = nearestAxis(inH, outH, alignCorners, halfPixelCenters);
  const cols = nearestAxis(inW, outW, alignCorners, halfPixelCenters);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * inH * inW * c;
    for (let y = 0; y < outH; y++) {
      const row = base + rows[y] * inW * c;
      for (let xo = 0; xo < outW; xo++) {
        const to = row + cols[xo] * c;
        for (let k = 0; k < c; k++) out[to + k] += dy[o++];
      }
    }
  }
}

export type CropMethod = 'bilinear' | 'nearest';

/**
 * Visits every cell of every crop: `cell(box, y, x, source)` with the sample point in image
 * pixels (sy, sx), or `outside(box, y, x)` when the point falls off the image. A box whose image
 * index is out of range is skipped entirely (its crop stays as `out` was), as in TensorFlow.js.
 */
function forEachCropCell(boxes: TypedArray, boxInd: TypedArray, batch: number, imageH: number, imageW: number,
  cropH: number, cropW: number,
  cell: (box: number, image: number, y: number, x: number, sy: number, sx: number) => void,
  outside: (box: number, y: number, x: number) => void): void {
  const numBoxes = boxInd.length;
  for (let n = 0; n < numBoxes; n++) {
    const y1 = boxes[4 * n], x1 = boxes[4 * n + 1], y2 = boxes[4 * n + 2], x2 = boxes[4 * n + 3];
    const image = boxInd[n];
    if (!(image >= 0 && image < batch)) continue;
    const stepY = cropH > 1 ? ((y2 - y1) * (imageH - 1)) / (cropH - 1) : 0;
    const stepX = cropW > 1 ? ((x2 - x1) * (imageW - 1)) / (cropW - 1) : 0;
    for (let y = 0; y < cropH; y++) {
      const sy = cropH > 1 ? y1 * (imageH - 1) + y * stepY : 0.5 * (y1 + y2) * (imageH - 1);
      for (let x = 0; x < cropW; x++) {
        const sx = cropW > 1 ? x1 * (imageW - 1) + x * stepX : 0.5 * (x1 + x2) * (imageW - 1);
        if (sy < 0 || sy > imageH - 1 || sx < 0 || sx > imageW - 1) outside(n, y, x);
        else cell(n, image, y, x, sy, sx);
      }
    }
  }
}

/**
 * Crops of image [batch, h, w, c] at normalised boxes [n, 4] (y1, x1, y2, x2), each resized to
 * [cropH, cropW]: out [n, cropH, cropW, c]. Points off the image read `extrapolationValue`.
 */
export function cropAndResizeKernel(image: TypedArray, shape: readonly number[], boxes: TypedArray, boxInd: TypedArray,
  cropH: number, cropW: number, method: CropMethod, extrapolationValue: number, out: TypedArray): void {
  const [batch, h, w, c] = shape;
  const at = (n: number, y: number, x: number): number => ((n * cropH + y) * cropW + x) * c;
  forEachCropCell(boxes, boxInd, batch, h, w, cropH, cropW, (n, b, y, x, sy, sx) => {
    const o = at(n, y, x);
    const base = b * h * w * c;
    if (method === 'nearest') {
      const from = base + (Math.round(sy) * w + Math.round(sx)) * c;
      for (let k = 0; k < c; k++) out[o + k] = image[from + k];
      return;
    }
    const top = Math.floor(sy), bottom = Math.ceil(sy), fy = sy - top;
    const left = Math.floor(sx), right = Math.ceil(sx), fx = sx - left;
    for (let k = 0; k < c; k++) {
      const tl = image[base + (top * w + left) * c + k], tr = image[base + (top * w + right) * c + k];
      const bl = image[base + (bottom * w + left) * c + k], br = image[base + (bottom * w + right) * c + k];
      const upper = tl + (tr - tl) * fx;
      const lower = bl + (br - bl) * fx;
      out[o + k] = upper + (lower - upper) * fy;
    }
  }, (n, y, x) => {
    out.fill(extrapolationValue, at(n, y, x), at(n, y, x) + c);
  });
}

/**
 * Gradient of cropAndResize w.r.t. the image: each dy cell goes back to the pixels its value was
 * read from, with the interpolation weights (bilinear) or whole (nearest). `out` zeroed.
 */
export function cropAndResizeGradImageKernel(dy: TypedArray, boxes: TypedArray, boxInd: TypedArray,
  imageShape: readonly number[], cropH: number, cropW: number, method: CropMethod, out: TypedArray): void {
  const [batch, h, w, c] = imageShape;
  const at = (n: number, y: number, x: number): number => ((n * cropH + y) * cropW + x) * c;
  forEachCropCell(boxes, boxInd, batch, h, w, cropH, cropW, (n, b, y, x, sy, sx) => {
    const o = at(n, y, x);
    const base = b * h * w * c;
    if (method === 'nearest') {
      const to = base + (Math.round(sy) * w + Math.round(sx)) * c;
      for (let k = 0; k < c; k++) out[to + k] += dy[o + k];
      return;
    }
    const top = Math.floor(sy), bottom = Math.ceil(sy), fy = sy - top;
    const left = Math.floor(sx), right = Math.ceil(sx), fx = sx - left;
    const wtl = (1 - fy) * (1 - fx), wtr = (1 - fy) * fx, wbl = fy * (1 - fx), wbr = fy * fx;
    for (let k = 0; k < c; k++) {
      const g = dy[o + k];
      out[base + (top * w + left) * c + k] += g * wtl;
      out[base + (top * w + right) * c + k] += g * wtr;
      out[base + (bottom * w + left) * c + k] += g * wbl;
      out[base + (bottom * w + right) * c + k] += g * wbr;
    }
  }, () => { /* an extrapolated cell depends on no pixel */ });
}

export type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';

/** A sample coordinate outside [0, size - 1] mapped back inside by the fill mode ('constant' keeps it). */
function mapCoordinate(at: number, size: number, mode: FillMode): number {
  if (mode === 'constant') return at;
  if (mode === 'nearest') return Math.min(Math.max(at, 0), size - 1);
  if (at < 0 || at > size - 1) {
    if (size <= 1) {
      at = 0;
    } else if (mode === 'reflect') {
      // mirror about the outer edges of the first and last pixel: d c b a | a b c d | d c b a
      const period = 2 * size;
      if (at < 0) {
        if (at < period) at += period * Math.trunc(-at / period);
        at = at < -size ? at + period : -at - 1;
      } else {
        at -= period * Math.trunc(at / period);
        if (at >= size) at = period - at - 1;
      }
    } else if (at < 0) {
      // 'wrap', with TensorFlow's own period arithmetic (kept for identical results)
      at += size * (Math.trunc(-at / (size - 1)) + 1);
    } else {
      at -= size * Math.trunc(at / (size - 1));
    }
  }
  return Math.min(Math.max(at, 0), size - 1);
}

export type Interpolation = 'nearest' | 'bilinear';

/**
 * Projective transforms: output pixel (x, y) of image b reads the input at
 * ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1, with transform row
 * [a0, a1, a2, b0, b1, b2, c0, c1] (one row for all images, or one per image).
 * out [batch, outH, outW, c]; points off the image read `fillValue` (after the fill mode).
 */
export function transformKernel(image: TypedArray, shape: readonly number[], transforms: TypedArray,
  interpolation: Interpolation, fillMode: FillMode, fillValue: number, outH: number, outW: number,
  out: TypedArray): void {
  const [batch, h, w, c] = shape;
  const read = (base: number, y: number, x: number, k: number): number =>
    (y >= 0 && y < h && x >= 0 && x < w ? image[base + (y * w + x) * c + k] : fillValue);
  out.fill(fillValue);
  const perImage = transforms.length > 8;
  for (let b = 0; b < batch; b++) {
    const t = perImage ? 8 * b : 0;
    const base = b * h * w * c;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const k = transforms[t + 6] * ox + transforms[t + 7] * oy + 1;
        if (k === 0) continue; // the point is at infinity: fill
        const x = mapCoordinate((transforms[t] * ox + transforms[t + 1] * oy + transforms[t + 2]) / k, w, fillMode);
        const y = mapCoordinate((transforms[t + 3] * ox + transforms[t + 4] * oy + transforms[t + 5]) / k, h, fillMode);
        const o = ((b * outH + oy) * outW + ox) * c;
        if (interpolation === 'nearest') {
          const ry = Math.round(y), rx = Math.round(x);
          for (let ch = 0; ch < c; ch++) out[o + ch] = read(base, ry, rx, ch);
          continue;
        }
        const y0 = Math.floor(y), x0 = Math.floor(x);
        const y1 = y0 + 1, x1 = x0 + 1;
        for (let ch = 0; ch < c; ch++) {
          const upper = (x1 - x) * read(base, y0, x0, ch) + (x - x0) * read(base, y0, x1, ch);
          const lower = (x1 - x) * read(base, y1, x0, ch) + (x - x0) * read(base, y1, x1, ch);
          out[o + ch] = (y1 - y) * upper + (y - y0) * lower;
        }
      }
    }
  }
}

/**
 * Rotation of every image by `radians` about `center` (fractions of the width and height), each
 * output pixel taking the nearest input pixel; pixels from off the image are `fillValue` (a
 * number, or one per channel with the alpha channel 3 opaque, 255).
 */
export function rotateWithOffsetKernel(image: TypedArray, shape: readonly number[], radians: number,
  fillValue: number | readonly number[], center: number | readonly number[], out: TypedArray): void {
  const [batch, h, w, c] = shape;
  const cx = w * (typeof center === 'number' ? center : center[0]);
  const cy = h * (typeof center === 'number' ? center : center[1]);
  const sin = Math.sin(radians), cos = Math.cos(radians);
  const fill = (ch: number): number => (typeof fillValue === 'number' ? fillValue : ch === 3 ? 255 : fillValue[ch]);
  for (let b = 0; b < batch; b++) {
    const base = b * h * w * c;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const sx = Math.round((x - cx) * cos - (y - cy) * sin + cx);
        const sy = Math.round((x - cx) * sin + (y - cy) * cos + cy);
        const inside = sx >= 0 && sx < w && sy >= 0 && sy < h;
        const o = base + (y * w + x) * c;
        for (let ch = 0; ch < c; ch++) out[o + ch] = inside ? image[base + (sy * w + sx) * c + ch] : fill(ch);
      }
    }
  }
}

/** What non-max suppression selected: box indices, their (possibly soft-suppressed) scores. */
export interface NmsResult {
  selectedIndices: number[];
  selectedScores: number[];
  /** how many were selected before padding */
  validOutputs: number;
}

/** Intersection over union of boxes i and j ([y1, x1, y2, x2], corners in either order). */
function intersectionOverUnion(boxes: TypedArray, i: number, j: number): number {
  const yminI = Math.min(boxes[4 * i], boxes[4 * i + 2]), ymaxI = Math.max(boxes[4 * i], boxes[4 * i + 2]);
  const xminI = Math.min(boxes[4 * i + 1], boxes[4 * i + 3]), xmaxI = Math.max(boxes[4 * i + 1], boxes[4 * i + 3]);
  const yminJ = Math.min(boxes[4 * j], boxes[4 * j + 2]), ymaxJ = Math.max(boxes[4 * j], boxes[4 * j + 2]);
  const xminJ = Math.min(boxes[4 * j + 1], boxes[4 * j + 3]), xmaxJ = Math.max(boxes[4 * j + 1], boxes[4 * j + 3]);
  const areaI = (ymaxI - yminI) * (xmaxI - xminI);
  const areaJ = (ymaxJ - yminJ) * (xmaxJ - xminJ);
  if (areaI <= 0 || areaJ <= 0) return 0;
  const inter = Math.max(Math.min(ymaxI, ymaxJ) - Math.max(yminI, yminJ), 0) *
    Math.max(Math.min(xmaxI, xmaxJ) - Math.max(xminI, xminJ), 0);
  return inter / (areaI + areaJ - inter);
}

interface Candidate { score: number; index: number; checkedUpTo: number }

/** Orders candidates by score, ascending; on equal scores the lower box index sorts last (it is taken first). */
function byScore(a: Candidate, b: Candidate): number {
  return a.score - b.score || b.index - a.index;
}

/**
 * Greedy non-max suppression, with TensorFlow's soft-NMS (softNmsSigma > 0: an overlapping box's
 * score decays by exp(-iou^2 / (2 sigma)) instead of the box being dropped; boxes overlapping a
 * selected one by iouThreshold or more are always dropped). Candidates are scored above
 * `scoreThreshold`; equal scores go to the lower index first. `pad` fills the indices and scores
 * with zeros up to maxOutputSize.
 */
export function nonMaxSuppressionKernel(boxes: TypedArray, scores: TypedArray, maxOutputSize: number,
  iouThreshold: number, scoreThreshold: number, softNmsSigma: number, pad: boolean): NmsResult {
  const pending: Candidate[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] > scoreThreshold) pending.push({ score: scores[i], index: i, checkedUpTo: 0 });
  }
  pending.sort(byScore);
  const decay = softNmsSigma > 0 ? -0.5 / softNmsSigma : 0;
  const selectedIndices: number[] = [];
  const selectedScores: number[] = [];
  while (selectedIndices.length < maxOutputSize && pending.length > 0) {
    const candidate = pending.pop()!;
    const original = candidate.score;
    if (original < scoreThreshold) break;
    let dropped = false;
    // the newest selections overlap a candidate most often; each pair is weighed only once
    for (let j = selectedIndices.length - 1; j >= candidate.checkedUpTo; j--) {
      const iou = intersectionOverUnion(boxes, candidate.index, selectedIndices[j]);
      if (iou >= iouThreshold) {
        dropped = true;
        break;
      }
      candidate.score *= iou <= iouThreshold ? Math.exp(decay * iou * iou) : 0;
      if (candidate.score <= scoreThreshold) break;
    }
    candidate.checkedUpTo = selectedIndices.length;
    if (dropped) continue;
    if (candidate.score === original) {
      selectedIndices.push(candidate.index);
      selectedScores.push(candidate.score);
    } else if (candidate.score > scoreThreshold) {
      // decayed but still a candidate: back into the ordered list at its new score
      let lo = 0, hi = pending.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (byScore(candidate, pending[mid]) > 0) lo = mid + 1;
        else hi = mid;
      }
      pending.splice(lo, 0, candidate);
    }
  }
  const validOutputs = selectedIndices.length;
  if (pad) {
    while (selectedIndices.length < maxOutputSize) {
      selectedIndices.push(0);
      selectedScores.push(0);
    }
  }
  return { selectedIndices, selectedScores, validOutputs };
}

/**
 * Otsu's threshold of a 256-bin histogram of `total` pixels: the bin index that maximises the
 * between-class variance (first one on ties), -1 when no split separates anything. Sums and
 * quotients are rounded to float32 where TensorFlow.js rounds them, so near-ties break the same way.
 */
export function otsuThresholdKernel(histogram: Float64Array, total: number): number {
  const f = Math.fround;
  let best = -1;
  let bestVariance = 0;
  for (let split = 0; split < histogram.length - 1; split++) {
    // TensorFlow.js' sums run in float64 and round once; its products round each
    let countLow = 0, weightedLow = 0, countHigh = 0, weightedHigh = 0;
    for (let v = 0; v < histogram.length; v++) {
      if (v <= split) {
        countLow += histogram[v];
        weightedLow += f(histogram[v] * v);
      } else {
        countHigh += histogram[v];
        weightedHigh += f(histogram[v] * v);
      }
    }
    countLow = f(countLow); weightedLow = f(weightedLow); countHigh = f(countHigh); weightedHigh = f(weightedHigh);
    const shareLow = f(countLow / total), shareHigh = f(countHigh / total);
    const meanLow = f(weightedLow / countLow), meanHigh = f(weightedHigh / countHigh);
    const gap = f(meanLow - meanHigh);
    const variance = f(f(f(shareLow * shareHigh) * gap) * gap);
    if (variance > bestVariance) {
      bestVariance = variance;
      best = split;
    }
  }
  return best;
}

/** Round half to even (TensorFlow.js' round). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * tf.image.threshold on one image [h, w, 1 or 3]: luma (0.2989 r + 0.587 g + 0.114 b, in float32
 * as TensorFlow.js computes it) compared with threshValue * 255 ('binary') or with Otsu's threshold
 * of the image's histogram ('otsu'); 255 where above (at or below when inverted), else 0.
 */
export function thresholdKernel(image: TypedArray, h: number, w: number, channels: number, method: 'binary' | 'otsu',
  inverted: boolean, threshValue: number): Int32Array {
  const f = Math.fround;
  const n = h * w;
  const grey = new Float64Array(n);
  if (channels === 3) {
    const [cr, cg, cb] = [f(0.2989), f(0.587), f(0.114)];
    for (let p = 0; p < n; p++) {
      grey[p] = f(f(f(image[3 * p] * cr) + f(image[3 * p + 1] * cg)) + f(image[3 * p + 2] * cb));
    }
  } else {
    for (let p = 0; p < n; p++) grey[p] = image[p];
  }
  let cut = f(f(threshValue) * 255);
  if (method === 'otsu') {
    const histogram = new Float64Array(256);
    for (let p = 0; p < n; p++) {
      const bin = roundHalfEven(grey[p]);
      if (bin < 0) throw new Error(`threshold: 'otsu' needs pixel values of at least 0, got ${grey[p]}`);
      if (bin < 256) histogram[bin]++;
    }
    cut = otsuThresholdKernel(histogram, n);
  }
  const out = new Int32Array(n);
  for (let p = 0; p < n; p++) out[p] = (inverted ? grey[p] <= cut : grey[p] > cut) ? 255 : 0;
  return out;
}
