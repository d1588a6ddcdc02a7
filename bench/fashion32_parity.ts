/**
 * "Same learning" (issue 18): the CIFAR-style convnet (32x32x3, conv 32-32-pool-64-64-pool, 3x3
 * 'same' + ReLU, dense 256 ReLU, dense 10 softmax) trained with one recipe in striate and in
 * PyTorch on Fashion-MNIST padded to 32x32 with the grey channel copied to three channels
 * (bench/fashion32_data.ts): Adam 1e-3 (epsilon 1e-7, Keras' default, on both), batch 64 (the
 * last batch of an epoch is the remainder), sparse categorical cross-entropy, a new shuffle each
 * epoch, Keras' default initialisation on both (Glorot-uniform kernels, zero biases).
 *
 *   node dist/bench/fashion32_parity.js [--epochs 3] [--train 60000] [--test 10000] [--threads 1]
 *     [--backend wasm] [--no-torch] [--no-striate] [--data DIR]
 *
 * PyTorch (bench/peers/torch_fashion32.py, /usr/bin/python3) runs in a child process started
 * first, so the two train side by side, each on its own thread count (1 by default: on a 2-core
 * machine that keeps them from fighting over cores). Prints each epoch's mean training loss, test
 * accuracy and seconds for both, then the accuracy difference after the last epoch.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as st from '../src/index.js';
import { DEFAULT_DATA_DIR, loadFashion, now } from './common.js';
import { CHANNELS, SIDE, padBatch, shuffledOrder } from './fashion32_data.js';

interface Args {
  epochs: number; train: number; test: number; threads: number; backend: string; torch: boolean; striate: boolean; data: string;
}
interface EpochRow { epoch: number; loss: number; acc: number; seconds: number }

const SEED = 1;
const BATCH = 64;
const EVAL_BATCH = 500;

function parseArgs(argv: string[]): Args {
  const value = (name: string, fallback: string): string => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  const int = (name: string, fallback: number): number => {
    const v = Number(value(name, String(fallback)));
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${value(name, '')}`);
    return v;
  };
  return {
    epochs: int('--epochs', 3), train: int('--train', 60000), test: int('--test', 10000), threads: int('--threads', 1),
    backend: value('--backend', 'wasm'), torch: !argv.includes('--no-torch'), striate: !argv.includes('--no-striate'),
    data: value('--data', DEFAULT_DATA_DIR),
  };
}

function buildModel(): st.Sequential {
  st.setSeed(SEED);
  const model = st.sequential({
    layers: [
      st.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [SIDE, SIDE, CHANNELS] }),
      st.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
      st.layers.maxPooling2d({ poolSize: 2 }),
      st.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
      st.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }),
      st.layers.maxPooling2d({ poolSize: 2 }),
      st.layers.flatten(),
      st.layers.dense({ units: 256, activation: 'relu' }),
      st.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: st.train.adam(1e-3, 0.9, 0.999, 1e-7), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

async function runStriate(a: Args, log: (line: string) => void): Promise<EpochRow[]> {
  st.setBackend(a.backend);
  if (a.backend === 'wasm') st.setNumThreads(a.threads);
  const fashion = loadFashion(a.data);
  const train = fashion.train;
  const test = fashion.test;
  const nTrain = Math.min(a.train, train.count);
  const nTest = Math.min(a.test, test.count);
  const src = train.shape[1];
  const model = buildModel();
  const buffer = new Float32Array(Math.max(BATCH, EVAL_BATCH) * SIDE * SIDE * CHANNELS);
  const testOrder = Int32Array.from({ length: nTest }, (_, i) => i);
  const rows: EpochRow[] = [];
  for (let epoch = 1; epoch <= a.epochs; epoch++) {
    const order = shuffledOrder(nTrain, SEED * 1000 + epoch);
    const start = now();
    let lossSum = 0;
    for (let from = 0; from < nTrain; from += BATCH) {
      const n = Math.min(BATCH, nTrain - from);
      const xs = st.tensor(padBatch(train.xs, src, order, from, n, buffer), [n, SIDE, SIDE, CHANNELS], 'float32');
      const ys = st.tensor(Int32Array.from({ length: n }, (_, i) => train.labels[order[from + i]]), [n], 'int32');
      const loss = await model.trainOnBatch(xs, ys) as number;
      xs.dispose();
      ys.dispose();
      if (!Number.isFinite(loss)) throw new Error(`striate: loss ${loss} at epoch ${epoch}, batch from ${from}`);
      lossSum += loss * n;
      // let the event loop run: PyTorch's lines on the child's stdout are read (and logged) live
      if ((from / BATCH) % 20 === 19) await new Promise((resolve) => setImmediate(resolve));
    }
    const seconds = now() - start;
    let right = 0;
    for (let from = 0; from < nTest; from += EVAL_BATCH) {
      const n = Math.min(EVAL_BATCH, nTest - from);
      const xs = st.tensor(padBatch(test.xs, src, testOrder, from, n, buffer), [n, SIDE, SIDE, CHANNELS], 'float32');
      const predicted = st.tidy(() => st.argMax(model.predict(xs, { batchSize: n }) as st.Tensor, 1));
      const classes = predicted.dataSync();
      for (let i = 0; i < n; i++) if (classes[i] === test.labels[from + i]) right++;
      predicted.dispose();
      xs.dispose();
    }
    const row = { epoch, loss: lossSum / nTrain, acc: (100 * right) / nTest, seconds };
    rows.push(row);
    log(`striate  epoch ${epoch}: loss ${row.loss.toFixed(4)}  test acc ${row.acc.toFixed(2)}%  ${row.seconds.toFixed(1)} s ` +
      `(${(nTrain / row.seconds).toFixed(0)} samples/s)`);
  }
  return rows;
}

/** Starts PyTorch's run; resolves to its epoch rows (JSON lines on its stdout). */
function startTorch(a: Args, log: (line: string) => void): Promise<EpochRow[]> {
  const here = dirname(fileURLToPath(import.meta.url));
  // dist/bench/ -> the repository's bench/peers/
  const script = join(here, '..', '..', 'bench', 'peers', 'torch_fashion32.py');
  const child = spawn('/usr/bin/python3', [script, '--epochs', String(a.epochs), '--train', String(a.train), '--test', String(a.test),
    '--threads', String(a.threads), '--data', a.data], { stdio: ['ignore', 'pipe', 'pipe'] });
  const rows: EpochRow[] = [];
  let pending = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      const row = JSON.parse(line) as EpochRow;
      rows.push(row);
      log(`pytorch  epoch ${row.epoch}: loss ${row.loss.toFixed(4)}  test acc ${row.acc.toFixed(2)}%  ${row.seconds.toFixed(1)} s ` +
        `(${(Math.min(a.train, 60000) / row.seconds).toFixed(0)} samples/s)`);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => { errors += chunk.toString(); });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`torch_fashion32.py exited with ${code}: ${errors.trim().split('\n').slice(-3).join(' | ')}`));
      else resolve(rows);
    });
  });
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const log = (line: string): void => { process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`); };
  log(`fashion32 parity: ${a.epochs} epochs, ${a.train} train, ${a.test} test, batch ${BATCH}, ${a.threads} thread(s) each, ` +
    `striate ${a.backend}`);
  const torch = a.torch ? startTorch(a, log) : Promise.resolve([] as EpochRow[]);
  // a rejection is read after striate finishes; keep Node from calling it unhandled meanwhile
  torch.catch(() => undefined);
  const mine = a.striate ? await runStriate(a, log) : [];
  let theirs: EpochRow[] = [];
  try {
    theirs = await torch;
  } catch (e) {
    log(`pytorch failed: ${(e as Error).message}`);
  }
  log('epoch | striate loss | striate acc % | striate s | pytorch loss | pytorch acc % | pytorch s');
  for (let e = 1; e <= a.epochs; e++) {
    const m = mine.find((r) => r.epoch === e);
    const t = theirs.find((r) => r.epoch === e);
    const f = (v: number | undefined, d: number): string => (v === undefined ? '-' : v.toFixed(d));
    log(`${e} | ${f(m?.loss, 4)} | ${f(m?.acc, 2)} | ${f(m?.seconds, 1)} | ${f(t?.loss, 4)} | ${f(t?.acc, 2)} | ${f(t?.seconds, 1)}`);
  }
  const m = mine[mine.length - 1];
  const t = theirs[theirs.length - 1];
  if (m && t) {
    const diff = m.acc - t.acc;
    log(`after ${a.epochs} epochs: striate ${m.acc.toFixed(2)}% - pytorch ${t.acc.toFixed(2)}% = ${diff >= 0 ? '+' : ''}${diff.toFixed(2)} points ` +
      `(target: within 1 point: ${Math.abs(diff) <= 1 || diff > 0 ? 'met' : 'not met'})`);
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
