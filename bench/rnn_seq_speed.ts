/**
 * The whole-sequence recurrent ops alone (recurrent area, issue 18): forward, and forward plus
 * back propagation through time, of lstmSequence / gruSequence / simpleRnnSequence on the wasm
 * backend, ms per call (median of the rounds) and GFLOP/s of the recurrent products, for each
 * batch x units, 1 and 2 threads in the same process:
 * `node dist/bench/rnn_seq_speed.js [--cell lstm|gru|simpleRNN] [--batch 16,64,256] [--units 32,128,512]
 *  [--steps 80] [--rounds 5] [--min-work N]` (--min-work sets recurrentSplit.minWork; 0 splits every call).
 */
import * as st from '../src/index.js';
import * as recurrentOps from '../src/backend/wasm/recurrent_ops.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const cell = flag('--cell', 'lstm');
const batches = flag('--batch', '16,64,256').split(',').map(Number);
const unitsList = flag('--units', '32,128,512').split(',').map(Number);
const steps = Number(flag('--steps', '80'));
const rounds = Number(flag('--rounds', '5'));
// absent before the split was tunable (kept so that the bench runs on older commits)
const recurrentSplit = (recurrentOps as { recurrentSplit?: { minWork: number } }).recurrentSplit ?? { minWork: NaN };
recurrentSplit.minWork = Number(flag('--min-work', '0'));
st.setBackend('wasm');
const gates = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
let gruBias: st.Tensor | null = null;

function op(x: st.Tensor, h0: st.Tensor, c0: st.Tensor, U: st.Tensor): st.Tensor[] {
  if (cell === 'lstm') return st.lstmSequence(x, h0, c0, U);
  if (cell === 'gru') return st.gruSequence(x, h0, U, gruBias, true);
  return st.simpleRnnSequence(x, h0, U);
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

console.log(`${cell}, ${steps} steps, median of ${rounds}: wall ms and CPU ms (all threads) per call, minWork ${recurrentSplit.minWork}`);
console.log('batch units | fwd wall 1t 2t | fwd cpu 1t 2t | fwd+bwd wall 1t 2t | fwd+bwd cpu 1t 2t | wall 2t/1t fwd, fwd+bwd');
for (const batch of batches) {
  for (const u of unitsList) {
    const x = st.randomUniform([batch, steps, gates * u], -1, 1, 'float32', 1);
    const h0 = st.zeros([batch, u]), c0 = st.zeros([batch, u]);
    const U = st.randomUniform([u, gates * u], -0.3, 0.3, 'float32', 2);
    gruBias = st.zeros([3 * u]);
    const loss = (xx: st.Tensor, hh: st.Tensor, uu: st.Tensor) => st.sum(op(xx, hh, c0, uu)[0]);
    const g = st.grads(loss);
    const time = (threads: number, backward: boolean): [number, number] => {
      st.setNumThreads(threads);
      const ts: number[] = [], cs: number[] = [];
      for (let r = 0; r <= rounds; r++) {
        const c0u = process.cpuUsage();
        const t0 = performance.now();
        st.tidy(() => {
          if (backward) g([x, h0, U]).forEach((t) => t.dataSync());
          else op(x, h0, c0, U)[0].dataSync();
        });
        if (r > 0) {
          ts.push(performance.now() - t0);
          const c = process.cpuUsage(c0u);
          cs.push((c.user + c.system) / 1000);
        }
      }
      return [median(ts), median(cs)];
    };
    const f1 = time(1, false), f2 = time(2, false), b1 = time(1, true), b2 = time(2, true);
    const n = (v: number) => v.toFixed(1).padStart(7);
    console.log(`${String(batch).padStart(5)} ${String(u).padStart(5)} | ${n(f1[0])} ${n(f2[0])} | ${n(f1[1])} ${n(f2[1])} | `
      + `${n(b1[0])} ${n(b2[0])} | ${n(b1[1])} ${n(b2[1])} | ${(f2[0] / f1[0]).toFixed(2)} ${(b2[0] / b1[0]).toFixed(2)}`);
    st.dispose([x, h0, c0, U]);
  }
}
