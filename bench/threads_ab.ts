/**
 * Two threads against one in the same process, rounds interleaved so that a changing load on a
 * shared machine falls on every mode alike: `node dist/bench/threads_ab.js [--model mlp|cnn|lenet]
 * [--batches N] [--rounds N]`. On a 2-thread backend, round by round:
 * - static: every task split for the pool goes there (the fixed thresholds alone, as before the
 *   thread policy);
 * - policy: the measured thread policy (src/backend/wasm/thread_policy.ts), kept across rounds;
 * - caller: every task on the calling thread (one thread's work, with the pool's splits except
 *   the GEMM's).
 * Prints each mode's median samples/s and the median per-round ratios against `caller`.
 */
import * as st from '../src/index.js';
import { median } from './common.js';
import { flag } from './quick.js';
import { smallEpoch, smallKind } from './small_net.js';
import type { WasmBackend } from '../src/backend/wasm/backend.js';
import { ThreadPolicy } from '../src/backend/wasm/thread_policy.js';

st.setBackend('wasm');
st.setNumThreads(2);
const be = st.backend() as unknown as WasmBackend;
const kind = smallKind();
const batches = Number(flag('--batches', kind === 'mlp' ? '40' : '15'));
const rounds = Number(flag('--rounds', '6'));
const { batch, n, fit } = smallEpoch(kind, batches);

const policy = new ThreadPolicy();
const caller = Object.assign(new ThreadPolicy(), { choose: () => false });
const modes: Record<string, ThreadPolicy | null> = { static: null, policy, caller };
const rates: Record<string, number[]> = { static: [], policy: [], caller: [] };
// a warm-up epoch per mode (the policy learns in its own)
for (const p of Object.values(modes)) {
  be.threadPolicy = p;
  await fit();
}
for (let r = 0; r < rounds; r++) {
  for (const [name, p] of Object.entries(modes)) {
    be.threadPolicy = p;
    const t = performance.now();
    await fit();
    rates[name].push(n / ((performance.now() - t) / 1000));
  }
}
const ratio = (a: string) => median(rates[a].map((v, i) => v / rates.caller[i])).toFixed(2);
console.log(`${kind} batch ${batch}, 2-thread backend, ${rounds} interleaved rounds of ${n} samples: ` +
  `static ${median(rates.static).toFixed(0)}, policy ${median(rates.policy).toFixed(0)}, caller only ${median(rates.caller).toFixed(0)} ` +
  `samples/s (medians); per round over caller only: static ${ratio('static')}x, policy ${ratio('policy')}x`);
if (process.argv.includes('--kinds')) {
  for (const r of policy.summary()) {
    console.log(`  task ${r.task} size ${r.size}: pool ${r.poolMs.toFixed(3)} ms x${r.nPool}, caller ${r.callerMs.toFixed(3)} ms x${r.nCaller}`);
  }
}
