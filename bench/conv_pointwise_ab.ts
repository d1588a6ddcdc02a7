/**
 * proj area: the in-place strided 1x1 kernels (src/backend/wasm/conv_pointwise.ts) against the
 * paths before them (globalThis.STRIATE_CONV_POINTWISE = 'off'), alternating call by call in one
 * process, on any 1x1 stride-2 'valid' shapes: GFLOP/s per CPU second, medians of --rounds.
 *
 *   node [--experimental-wasm-relaxed-simd] dist/bench/conv_pointwise_ab.js [--threads 1]
 *        [--rounds 9] size,cin,cout,batch ...   (e.g. 32,16,32,64 56,64,128,8)
 */
import * as st from '../src/index.js';
import type { Conv2DInfo, TensorInfo } from '../src/backend/types.js';
import { flag } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '1')));
const rounds = Number(flag('--rounds', '9'));
const g = globalThis as { STRIATE_CONV_POINTWISE?: string };
const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const info = (t: st.Tensor): TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
const specs = process.argv.slice(2).filter((a) => /^\d+,\d+,\d+,\d+$/.test(a));

console.log(`${st.getNumThreads()} thread(s), ${st.getWasmSimd()} SIMD; GFLOP/s per CPU second, medians of ${rounds} rounds, off -> on`);
for (const spec of specs) {
  const [size, cin, cout, batch] = spec.split(',').map(Number);
  const o = Math.ceil(size / 2);
  const geo: Conv2DInfo = {
    batchSize: batch, inHeight: size, inWidth: size, inChannels: cin, outHeight: o, outWidth: o, outChannels: cout,
    filterHeight: 1, filterWidth: 1, strideHeight: 2, strideWidth: 2, dilationHeight: 1, dilationWidth: 1,
    padTop: 0, padLeft: 0, padBottom: 0, padRight: 0, channelMultiplier: 1,
  };
  const x = st.randomNormal([batch, size, size, cin]), w = st.randomNormal([1, 1, cin, cout]);
  const dy = st.randomNormal([batch, o, o, cout]);
  const be = x.backend;
  const flop = 2 * batch * o * o * cin * cout;
  const kernels: [string, () => unknown][] = [
    ['forward', () => be.conv2d(info(x), info(w), geo)],
    ['input gradient', () => be.conv2dBackpropInput(info(dy), info(w), geo)],
    ['filter gradient', () => be.conv2dBackpropFilter(info(x), info(dy), geo)],
  ];
  const times = new Map<string, number[]>();
  for (let r = -1; r < rounds; r++) {
    for (const mode of ['off', 'on']) {
      if (mode === 'off') g.STRIATE_CONV_POINTWISE = 'off';
      else delete g.STRIATE_CONV_POINTWISE;
      for (const [k, f] of kernels) {
        const c = cpuMs();
        be.decRef(f() as Parameters<typeof be.decRef>[0]);
        if (r >= 0) times.set(mode + k, [...(times.get(mode + k) ?? []), cpuMs() - c]);
      }
    }
  }
  delete g.STRIATE_CONV_POINTWISE;
  const rate = (key: string) => (flop / median(times.get(key)!) / 1e6).toFixed(1);
  console.log(`${size}x${size}x${cin}->${cout} b${batch}: ` + kernels.map(([k]) => `${k} ${rate('off' + k)} -> ${rate('on' + k)}`).join(', '));
  x.dispose(); w.dispose(); dy.dispose();
}
