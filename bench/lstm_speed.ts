/**
 * The IMDB-style LSTM of issue 18 (embedding 5000x64, LSTM 128 over 80 steps, dense 2 softmax,
 * Adam, batch 64, synthetic tokens): training samples/s with the whole-sequence LSTM op and with
 * the step-by-step path, in interleaved rounds in one process (the machine is shared, so the
 * ratio within a round is the figure to read):
 * `node dist/bench/lstm_speed.js [--threads N] [--rounds R] [--batches B] [--cell lstm|gru|simpleRNN] [--fused-only]`
 * (--fused-only skips the step-by-step model, for whole-process timings of the fused path).
 */
import * as st from '../src/index.js';
import { fusedRecurrent } from '../src/nn/layers/recurrent.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const threads = Number(flag('--threads', '2'));
const rounds = Number(flag('--rounds', '3'));
const batches = Number(flag('--batches', '4'));
const cell = flag('--cell', 'lstm') as 'lstm' | 'gru' | 'simpleRNN';
const fusedOnly = argv.includes('--fused-only');
st.setBackend('wasm');
st.setNumThreads(threads);

const batch = 64, steps = 80, vocab = 5000;
const n = batch * batches;
let seed = 1;
const tokens = Int32Array.from({ length: n * steps }, () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % vocab);
const xs = st.tensor(tokens, [n, steps], 'int32');
const ys = st.tensor(Int32Array.from({ length: n }, (_, i) => (tokens[i * steps] + i) % 2), [n], 'int32');

function model(): st.LayersModel {
  const m = st.sequential({ layers: [
    st.layers.embedding({ inputDim: vocab, outputDim: 64, inputLength: steps }),
    st.layers[cell]({ units: 128 }),
    st.layers.dense({ units: 2, activation: 'softmax' }),
  ] });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return m;
}

async function samplesPerSecond(m: st.LayersModel, fused: boolean): Promise<number> {
  fusedRecurrent.enabled = fused;
  const t0 = performance.now();
  await m.fit(xs, ys, { epochs: 1, batchSize: batch, verbose: 0, shuffle: false });
  return n / ((performance.now() - t0) / 1000);
}

const fusedModel = model(), stepModel = fusedOnly ? null : model();
// warm-up epoch each
await samplesPerSecond(fusedModel, true);
if (stepModel) await samplesPerSecond(stepModel, false);
console.log(`${cell} 128 over ${steps} steps, batch ${batch}, ${threads} thread(s), ${n} samples per timing`);
const ratios: number[] = [];
for (let r = 0; r < rounds; r++) {
  const fused = await samplesPerSecond(fusedModel, true);
  if (!stepModel) {
    console.log(`round ${r + 1}: whole-sequence ${fused.toFixed(1)} samples/s`);
    continue;
  }
  const step = await samplesPerSecond(stepModel, false);
  ratios.push(fused / step);
  console.log(`round ${r + 1}: whole-sequence ${fused.toFixed(1)} samples/s, step-by-step ${step.toFixed(1)} samples/s, ratio ${(fused / step).toFixed(2)}`);
}
ratios.sort((a, b) => a - b);
if (ratios.length > 0) console.log(`median ratio ${ratios[Math.floor(ratios.length / 2)].toFixed(2)}`);
fusedRecurrent.enabled = true;
