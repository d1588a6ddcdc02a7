// conv stride area (task 126): moving pixels between a full NHWC image and one strided grid
// of its pixels, so that strided convolutions and their input gradients run as stride-1 ones
// (ops in src/backend/wasm/conv_stride.ts):
// - a strided 1x1 convolution reads every s-th pixel: gather them, then one GEMM;
// - the input gradient of a stride-s convolution splits into s*s phases (dx's pixels with
//   (y + padTop) % s == ry and (x + padLeft) % s == rx), each a stride-1 convolution of dy with
//   the taps of that phase; its result is scattered back into its phase of dx.

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

/** Copies c floats from src to dst (v128 steps, then scalars). */
@inline function copyPixel(src: usize, dst: usize, c: i32): void {
  let i = 0;
  for (; i + 4 <= c; i += 4) v128.store(dst + ((<usize>i) << 2), v128.load(src + ((<usize>i) << 2)));
  for (; i < c; i++) store<f32>(dst + ((<usize>i) << 2), load<f32>(src + ((<usize>i) << 2)));
}

/** Zeroes c floats at dst. */
@inline function zeroPixel(dst: usize, c: i32): void {
  let i = 0;
  const z = f32x4.splat(0);
  for (; i + 4 <= c; i += 4) v128.store(dst + ((<usize>i) << 2), z);
  for (; i < c; i++) store<f32>(dst + ((<usize>i) << 2), 0);
}

/**
 * args: full grid rows(batch*gh) gh gw fh fw c y0 x0 sy sx per scatter
 * Grid pixel (b, t, u) of grid [batch, gh, gw, c] is full pixel (b, y0 + sy*t, x0 + sx*u) of full
 * [batch, fh, fw, c]. scatter 0 (gather): every grid pixel of rows chunk*per.. from full, zero
 * where it falls outside the image; scatter 1: those grid pixels into full where they fall inside
 * (the rest of full is left as it is).
 */
export function convStrideTask(args: usize, chunk: i32): void {
  const full = <usize>arg(args, 0), grid = <usize>arg(args, 1), rows = arg(args, 2);
  const gh = arg(args, 3), gw = arg(args, 4), fh = arg(args, 5), fw = arg(args, 6), c = arg(args, 7);
  const y0 = arg(args, 8), x0 = arg(args, 9), sy = arg(args, 10), sx = arg(args, 11), per = arg(args, 12);
  const scatter = arg(args, 13) != 0;
  const r0 = chunk * per, r1 = min(rows, r0 + per);
  const pixelBytes = (<usize>c) << 2;
  for (let r = r0; r < r1; r++) {
    const b = r / gh, t = r - b * gh;
    const y = y0 + sy * t;
    let g = grid + <usize>r * <usize>gw * pixelBytes;
    if (y < 0 || y >= fh) {
      if (!scatter) for (let u = 0; u < gw; u++, g += pixelBytes) zeroPixel(g, c);
      continue;
    }
    const fullRow = full + (<usize>(b * fh + y)) * <usize>fw * pixelBytes;
    for (let u = 0; u < gw; u++, g += pixelBytes) {
      const x = x0 + sx * u;
      if (x < 0 || x >= fw) {
        if (!scatter) zeroPixel(g, c);
        continue;
      }
      const f = fullRow + <usize>x * pixelBytes;
      if (scatter) copyPixel(g, f, c);
      else copyPixel(f, g, c);
    }
  }
}
