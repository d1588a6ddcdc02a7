/**
 * Rounding error of the 3x3 'same' convolution's forward kernels against a float64 sum (winograd
 * area, issue 18): `node dist/bench/winograd_error.js` prints, per shape, the largest
 * |output - exact| / sum |x w| over all outputs for the js backend, the wasm direct kernel and
 * the wasm Winograd F(2x2, 3x3) and F(4x4, 3x3) kernels (x and w uniform in [-1, 1]).
 */
import * as st from '../src/index.js';

const g = globalThis as { STRIATE_CONV_FORWARD?: string };

function run(path: string | undefined, x: st.Tensor, f: st.Tensor): Float32Array {
  g.STRIATE_CONV_FORWARD = path;
  try {
    return Float32Array.from(st.conv2d(x, f, 1, 'same').dataSync() as Float32Array);
  } finally {
    delete g.STRIATE_CONV_FORWARD;
  }
}

const shapes: [number[], number[]][] = [
  [[2, 16, 16, 16], [3, 3, 16, 16]],
  [[2, 16, 16, 64], [3, 3, 64, 64]],
  [[1, 9, 9, 256], [3, 3, 256, 32]],
  [[2, 8, 8, 64], [3, 3, 64, 64]],
  [[1, 14, 14, 512], [3, 3, 512, 16]],
];
for (const [xs, fs] of shapes) {
  const [n, h, w, c] = xs, k = fs[3];
  const xv = st.randomUniform(xs, -1, 1, 'float32', 1).dataSync(), fv = st.randomUniform(fs, -1, 1, 'float32', 2).dataSync();
  const exact = new Float64Array(n * h * w * k), mag = new Float64Array(n * h * w * k);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let o = 0; o < k; o++) {
    let s = 0, m = 0;
    for (let fy = 0; fy < 3; fy++) for (let fx = 0; fx < 3; fx++) {
      const iy = y + fy - 1, ix = x + fx - 1;
      if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
      for (let i = 0; i < c; i++) {
        const p = xv[((b * h + iy) * w + ix) * c + i] * fv[((fy * 3 + fx) * c + i) * k + o];
        s += p;
        m += Math.abs(p);
      }
    }
    exact[((b * h + y) * w + x) * k + o] = s;
    mag[((b * h + y) * w + x) * k + o] = m;
  }
  const err = (v: Float32Array) => {
    let e = 0;
    for (let i = 0; i < v.length; i++) e = Math.max(e, Math.abs(v[i] - exact[i]) / mag[i]);
    return e.toExponential(2);
  };
  const results: string[] = [];
  for (const [backend, path] of [['js', undefined], ['wasm', 'direct'], ['wasm', 'winograd'], ['wasm', 'winograd4']] as const) {
    st.setBackend(backend);
    const x = st.tensor(xv, xs), f = st.tensor(fv, fs);
    results.push(`${backend === 'js' ? 'js' : path} ${err(run(path, x, f))}`);
    x.dispose();
    f.dispose();
  }
  console.log(`x [${xs}] f [${fs}] (${st.getWasmSimd()} SIMD): max |err| / sum |x w|: ${results.join(', ')}`);
}
