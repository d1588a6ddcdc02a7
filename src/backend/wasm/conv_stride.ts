/**
 * conv stride area (issue 18 item 1): strided convolutions through stride-1 kernels.
 *
 * - A strided 1x1 convolution (ResNet's downsampling shortcut) reads every s-th pixel: those
 *   pixels are gathered into a [pixels, c] matrix (assembly/conv_stride.ts, task 126) and the
 *   forward pass is one GEMM by the filter, the input gradient one GEMM dy·Wᵀ scattered back
 *   into a zeroed dx, the filter gradient the stride-1 filter-gradient kernel on the gathered
 *   pixels.
 * - The input gradient of a stride-s convolution without col2im: dx's pixels split into s·s
 *   phases (y + padTop ≡ ry, x + padLeft ≡ rx mod s). A phase only meets the taps ky ≡ ry,
 *   kx ≡ rx, and over the phase's pixel grid it is a stride-1 convolution of dy with those taps
 *   turned by 180 degrees, run by the forward kernels (slab, direct, short or GEMM) into a
 *   buffer and scattered into its phase of dx. Each value of dx is one sum computed by one
 *   thread, so the result does not depend on the thread count.
 */
import type { Conv2DInfo } from '../types.js';
import type { WasmBackend } from './backend.js';
import { KernelGroup, roundUp } from './kernel_group.js';
import { MAX_CHUNKS } from './pool.js';

const TASK_MATMUL = 1;
const TASK_CONV_STRIDE = 126;

/** A stride-1 forward convolution on heap addresses (WasmOps.convForwardAt). */
export type ForwardAt = (x: number, filter: number, info: Conv2DInfo, out: number) => void;
/** The filter gradient on heap addresses (WasmOps.backFilterAt), into a fresh result. */
export type BackFilterAt = (x: number, dy: number, info: Conv2DInfo, out: number) => void;

/** Whether this is a 1x1 convolution with a stride above 1 (padding and dilation do not matter). */
export function stridedPointwise(info: Conv2DInfo): boolean {
  return info.filterHeight === 1 && info.filterWidth === 1 && (info.strideHeight > 1 || info.strideWidth > 1);
}

export class ConvStrideOps extends KernelGroup {
  constructor(b: WasmBackend, private readonly forwardAt: ForwardAt, private readonly backFilterAt: BackFilterAt) {
    super(b);
  }

  /**
   * Moves pixels between full [batch, fh, fw, c] and grid [batch, gh, gw, c], grid pixel (t, u)
   * being full pixel (y0 + sy·t, x0 + sx·u): gather (zero outside the image) or scatter (only
   * the pixels inside). A copy: worth the pool only when large.
   */
  private move(full: number, grid: number, batch: number, gh: number, gw: number, fh: number, fw: number, c: number,
               y0: number, x0: number, sy: number, sx: number, scatter: boolean): void {
    const rows = batch * gh;
    if (rows * gw * c === 0) return;
    const parallel = this.b.threads > 1 && rows * gw * c >= 256 * 1024;
    const per = parallel ? Math.ceil(rows / this.target) : rows;
    const args = this.b.args([full, grid, rows, gh, gw, fh, fw, c, y0, x0, sy, sx, per, scatter ? 1 : 0]);
    this.b.run(TASK_CONV_STRIDE, args, Math.ceil(rows / per), parallel);
  }

  /**
   * out [m, n] = A [m, k] · B [k, n] + bias, relu when act is 1; A and B read with the given row
   * and column strides (in floats). Split by rows: each chunk packs all of B (a filter, small).
   */
  private gemm(a: number, rsA: number, csA: number, bm: number, rsB: number, csB: number, out: number,
               m: number, k: number, n: number, bias = 0, act = 0): boolean {
    const parallel = this.parallel(m * k * n);
    const target = this.b.threads * 2;
    let rowsPer = m, colsPer = Math.min(n, 512);
    // r50 area: few rows (a 7x7 or 14x14 output at batch 1) split by columns, so that no chunk
    // packs a whole 512-column slab of B for a handful of rows (the rows' chunks each packed all of
    // B: 4 times for 1024->2048 at 7x7); the bits are the same for any split of C
    if (parallel && m < 64 * target && n >= 32 * target) colsPer = Math.min(512, Math.max(32, roundUp(Math.ceil(n / target), 8)));
    else if (parallel) rowsPer = Math.max(8, roundUp(Math.ceil(m / target), 8));
    const chunks = Math.ceil(m / rowsPer) * Math.ceil(n / colsPer);
    if (chunks > MAX_CHUNKS) return false;
    const args = this.b.args([a, rsA, csA, bm, rsB, csB, out, n, k, m, n, rowsPer, colsPer, 1, 0, 0, 0, 0, bias, act]);
    this.b.run(TASK_MATMUL, args, chunks, parallel);
    return true;
  }

  /** The gathered pixels [batch, outH, outW, c] of a strided 1x1 convolution's input, in a fresh block. */
  private gathered(x: number, info: Conv2DInfo): { ptr: number; bytes: number } {
    const { batchSize: batch, outHeight: oh, outWidth: ow, inChannels: c } = info;
    const bytes = batch * oh * ow * c * 4;
    const ptr = this.b.heap.alloc(Math.max(bytes, 4));
    this.move(x, ptr, batch, oh, ow, info.inHeight, info.inWidth, c, -info.padTop, -info.padLeft,
      info.strideHeight, info.strideWidth, false);
    return { ptr, bytes: Math.max(bytes, 4) };
  }

  /** Strided 1x1 forward: gather, then [pixels, c] x [c, outC] with bias and relu. */
  forwardPointwise(x: number, filter: number, info: Conv2DInfo, out: number, bias: number, act: number): boolean {
    const m = info.batchSize * info.outHeight * info.outWidth, c = info.inChannels, n = info.outChannels;
    const g = this.gathered(x, info);
    try {
      return this.gemm(g.ptr, c, 1, filter, n, 1, out, m, c, n, bias, act);
    } finally {
      this.b.heap.release(g.ptr, g.bytes);
    }
  }

  /** Strided 1x1 input gradient: dy [pixels, outC] x Wᵀ, scattered into dx (zero elsewhere). */
  backInputPointwise(dy: number, filter: number, info: Conv2DInfo, out: number): boolean {
    const { batchSize: batch, outHeight: oh, outWidth: ow, inChannels: c, outChannels: co } = info;
    const m = batch * oh * ow;
    const bytes = Math.max(m * c * 4, 4);
    const g = this.b.heap.alloc(bytes);
    try {
      if (!this.gemm(dy, co, 1, filter, 1, co, g, m, co, c)) return false;
      this.b.mem.u8.fill(0, out, out + batch * info.inHeight * info.inWidth * c * 4);
      this.move(out, g, batch, oh, ow, info.inHeight, info.inWidth, c, -info.padTop, -info.padLeft,
        info.strideHeight, info.strideWidth, true);
      return true;
    } finally {
      this.b.heap.release(g, bytes);
    }
  }

  /** Strided 1x1 filter gradient: the stride-1 filter gradient of the gathered pixels. */
  backFilterPointwise(x: number, dy: number, info: Conv2DInfo, out: number): void {
    const g = this.gathered(x, info);
    try {
      const flat: Conv2DInfo = {
        ...info, inHeight: info.outHeight, inWidth: info.outWidth, strideHeight: 1, strideWidth: 1,
        padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, dilationHeight: 1, dilationWidth: 1,
      };
      this.backFilterAt(g.ptr, dy, flat, out);
    } finally {
      this.b.heap.release(g.ptr, g.bytes);
    }
  }

  /**
   * The input gradient of a strided convolution (dilation 1) phase by phase. Returns false, having
   * written nothing, where a phase would need its dy cropped (padding beyond the filter's reach).
   */
  backInputPhases(dy: number, filter: number, info: Conv2DInfo, out: number): boolean {
    const { batchSize: batch, inHeight: h, inWidth: w, inChannels: ci, outChannels: co } = info;
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padTop, padLeft } = info;
    if (info.dilationHeight !== 1 || info.dilationWidth !== 1 || padTop >= fh || padLeft >= fw) return false;
    // per axis and phase r: taps r, r+s, ...; first pixel of the phase; phase grid size; the
    // stride-1 convolution's own padding (window reach less the first dy row the phase meets)
    const axis = (f: number, s: number, pad: number, size: number, r: number) => {
      const taps = Math.max(0, Math.ceil((f - r) / s));
      const q0 = Math.ceil((pad - r) / s);
      const first = q0 * s + r - pad;
      const grid = first < size ? Math.ceil((size - first) / s) : 0;
      return { taps, first, grid, pad: taps - 1 - q0 };
    };
    const rows = [...Array(sh).keys()].map((r) => axis(fh, sh, padTop, h, r));
    const cols = [...Array(sw).keys()].map((r) => axis(fw, sw, padLeft, w, r));
    if ([...rows, ...cols].some((a) => a.taps > 0 && a.grid > 0 && a.pad < 0)) return false;
    if (rows.some((a) => a.taps === 0 && a.grid > 0) || cols.some((a) => a.taps === 0 && a.grid > 0)) {
      this.b.mem.u8.fill(0, out, out + batch * h * w * ci * 4);
    }
    let bufBytes = 0, turnedBytes = 0;
    for (const r of rows) for (const c of cols) {
      bufBytes = Math.max(bufBytes, batch * r.grid * c.grid * ci * 4);
      turnedBytes = Math.max(turnedBytes, r.taps * c.taps * ci * co * 4);
    }
    const buf = this.b.heap.alloc(Math.max(bufBytes, 4)), turned = this.b.heap.alloc(Math.max(turnedBytes, 4));
    try {
      const f32 = this.b.mem.f32;
      const src = filter >> 2, dst = turned >> 2;
      for (let ry = 0; ry < sh; ry++) {
        for (let rx = 0; rx < sw; rx++) {
          const r = rows[ry], c = cols[rx];
          if (r.taps === 0 || c.taps === 0 || r.grid === 0 || c.grid === 0) continue;
          // taps (ry + sh·j, rx + sw·i) turned: position (taps-1-j, taps-1-i), [.., co, ci]
          for (let j = 0; j < r.taps; j++) {
            for (let i = 0; i < c.taps; i++) {
              const from = src + ((ry + sh * j) * fw + (rx + sw * i)) * ci * co;
              const to = dst + ((r.taps - 1 - j) * c.taps + (c.taps - 1 - i)) * co * ci;
              for (let o = 0; o < co; o++) for (let q = 0; q < ci; q++) f32[to + o * ci + q] = f32[from + q * co + o];
            }
          }
          const phase: Conv2DInfo = {
            ...info, inHeight: info.outHeight, inWidth: info.outWidth, inChannels: co,
            outHeight: r.grid, outWidth: c.grid, outChannels: ci, filterHeight: r.taps, filterWidth: c.taps,
            strideHeight: 1, strideWidth: 1, padTop: r.pad, padLeft: c.pad,
            padBottom: Math.max(0, r.grid - 1 + r.taps - 1 - r.pad - (info.outHeight - 1)),
            padRight: Math.max(0, c.grid - 1 + c.taps - 1 - c.pad - (info.outWidth - 1)),
          };
          const pointwise = r.taps === 1 && c.taps === 1 && r.pad === 0 && c.pad === 0 &&
            r.grid === info.outHeight && c.grid === info.outWidth;
          const whole = sh === 1 && sw === 1;
          const target = whole ? out : buf;
          if (!pointwise || !this.gemm(dy, co, 1, turned, ci, 1, target, batch * r.grid * c.grid, co, ci)) {
            this.forwardAt(dy, turned, phase, target);
          }
          if (!whole) this.move(out, buf, batch, r.grid, c.grid, h, w, ci, r.first, c.first, sh, sw, true);
        }
      }
      return true;
    } finally {
      this.b.heap.release(buf, Math.max(bufBytes, 4));
      this.b.heap.release(turned, Math.max(turnedBytes, 4));
    }
  }
}
