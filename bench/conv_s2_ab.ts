/**
 * conv stride-2 area: A/B of assembly/conv_stride2.ts against the kernels before it
 * (globalThis.STRIATE_CONV_S2 'off') in one process, rounds alternating, per CPU second:
 *
 *   node dist/bench/conv_s2_ab.js [--threads 1] [--rounds 6] [--min-ms 300] [--row 6] [--block N] [--valid] [--split rows]
 *
 * Prints per round and the medians, for the forward kernel and the filter gradient of the
 * layer-table row (conv_layer_speed.ts: row 6 ResNet-20 3x3/2 32x32x16->32 b64, row 7 16x16x32->64).
 */
import * as st from '../src/index.js';
import type { Conv2DInfo, TensorInfo } from '../src/backend/types.js';
import { flag, timeCalls } from './quick.js';

st.setBackend('wasm');
st.setNumThreads(Number(flag('--threads', '1')));
if (flag('--block', '') !== '') (globalThis as { STRIATE_CONV_S2_BLOCK?: string }).STRIATE_CONV_S2_BLOCK = flag('--block', '');
if (flag('--split', '') !== '') (globalThis as { STRIATE_CONV_S2_SPLIT?: string }).STRIATE_CONV_S2_SPLIT = flag('--split', '');
const rounds = Number(flag('--rounds', '6')), minMs = Number(flag('--min-ms', '300'));
const rows: Record<string, [number, number, number, number]> = { 6: [64, 32, 16, 32], 7: [64, 16, 32, 64], 9: [8, 56, 64, 128] };
const [batch, size, cin, cout] = rows[flag('--row', '6')];
// --valid: a (size + 1)^2 input with no padding, so that no zero-bordered copy is made
const valid = process.argv.includes('--valid');
const out = size / 2, inS = valid ? size + 1 : size;
const g: Conv2DInfo = {
  batchSize: batch, inHeight: inS, inWidth: inS, inChannels: cin, outHeight: out, outWidth: out, outChannels: cout,
  filterHeight: 3, filterWidth: 3, strideHeight: 2, strideWidth: 2, dilationHeight: 1, dilationWidth: 1,
  padTop: 0, padBottom: valid ? 0 : 1, padLeft: 0, padRight: valid ? 0 : 1, channelMultiplier: 1,
};
const flop = 2 * batch * out * out * cout * 9 * cin;
const x = st.randomNormal([batch, inS, inS, cin], 0, 1, 'float32', 1);
const f = st.randomNormal([3, 3, cin, cout], 0, 1, 'float32', 2);
const dy = st.randomNormal([batch, out, out, cout], 0, 1, 'float32', 3);
const info = (t: st.Tensor): TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
const be = x.backend;
const once = (run: () => unknown) => () => { be.decRef(run() as Parameters<typeof be.decRef>[0]); };
const sw = globalThis as { STRIATE_CONV_S2?: string };
const kinds: [string, () => void][] = [
  ['forward', once(() => be.conv2d(info(x), info(f), g))],
  ['filter', once(() => be.conv2dBackpropFilter(info(x), info(dy), g))],
];
const res: Record<string, number[]> = {};
console.log(`${st.getNumThreads()} thread(s), ${st.getWasmSimd()} SIMD, row ${flag('--row', '6')}: GFLOP/s per CPU second`);
for (let r = 0; r < rounds; r++) {
  for (const mode of r % 2 === 0 ? ['on', 'off'] : ['off', 'on']) {
    if (mode === 'off') sw.STRIATE_CONV_S2 = 'off'; else delete sw.STRIATE_CONV_S2;
    for (const [name, body] of kinds) {
      body();
      const { cpu } = await timeCalls(body, 3, minMs);
      cpu.sort((a, b) => a - b);
      const v = flop / (cpu[cpu.length >> 1] / 1000) / 1e9;
      (res[`${name} ${mode}`] ??= []).push(v);
    }
  }
  console.log(`round ${r}: ` + Object.entries(res).map(([k, v]) => `${k} ${v[v.length - 1].toFixed(1)}`).join(', '));
}
const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
for (const name of ['forward', 'filter']) {
  const on = med(res[`${name} on`]), off = med(res[`${name} off`]);
  console.log(`${name}: new ${on.toFixed(1)}, off ${off.toFixed(1)}, ratio ${(on / off).toFixed(3)}`);
}
