/** fit / evaluate / predict: history, validation split, determinism, batching, errors, progress, callbacks. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as st from '../../src/index.js';
import { Dense } from '../../src/nn/layers/dense.js';
import { sequential, type LayersModel } from '../../src/nn/model.js';
import { callbacks, setProgressOutput, ProgressLogger, type CallbackHooks as Callback } from '../../src/train/index.js';
import { assertClose, testValues } from '../helpers.js';

const init = (seed: number) => ({ className: 'GlorotUniform', config: { seed } });

/** A small binary classifier 3 -> 4 -> 1 with seeded weights. */
function classifier(seed = 1): LayersModel {
  return sequential({ layers: [
    new Dense({ units: 4, activation: 'tanh', inputShape: [3], kernelInitializer: init(seed) }),
    new Dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(seed + 1) }),
  ] });
}

/** 40 samples of 3 features; label 1 when their sum is positive. */
function data(n = 40): { x: st.Tensor; y: st.Tensor } {
  const v = testValues(n * 3, 5);
  const labels = Array.from({ length: n }, (_, i) => (v[3 * i] + v[3 * i + 1] + v[3 * i + 2] > 0 ? 1 : 0));
  return { x: st.tensor(Float32Array.from(v), [n, 3]), y: st.tensor(labels, [n, 1]) };
}

const quiet = { verbose: 0 };

test('history has loss, metrics and val_ versions, one value per epoch', async () => {
  const model = classifier();
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const { x, y } = data();
  const h = await model.fit(x, y, { epochs: 3, batchSize: 8, validationSplit: 0.25, ...quiet });
  assert.deepEqual(h.epoch, [0, 1, 2]);
  assert.deepEqual(Object.keys(h.history).sort(), ['acc', 'loss', 'val_acc', 'val_loss']);
  for (const k of Object.keys(h.history)) {
    assert.equal(h.history[k].length, 3, k);
    assert.ok(h.history[k].every(Number.isFinite), `${k}: ${h.history[k]}`);
  }
  assert.ok(h.history.acc.every((a) => a >= 0 && a <= 1));
  assert.equal(h.params?.samples, 30);
  assert.equal(h.params?.steps, 4);
  const h2 = await model.fit(x, y, { epochs: 2, batchSize: 8, initialEpoch: 1, ...quiet });
  assert.deepEqual(h2.epoch, [1]);
  assert.deepEqual(Object.keys(h2.history).sort(), ['acc', 'loss']);
});

test('validationSplit holds out the last rows (before shuffling)', async () => {
  const { x, y } = data();
  const yData = Float32Array.from(y.dataSync());
  for (let i = 32; i < 40; i++) yData[i] = NaN; // the last 20%: only validation may see them
  const yNaN = st.tensor(yData, [40, 1]);
  const model = classifier();
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const h = await model.fit(x, yNaN, { epochs: 2, batchSize: 5, validationSplit: 0.2, ...quiet });
  assert.ok(h.history.loss.every(Number.isFinite), `training saw a held-out row: ${h.history.loss}`);
  assert.ok(h.history.val_loss.every(Number.isNaN));

  // val_loss equals evaluate() on the last 8 rows with the weights at the end of the epoch
  const m2 = classifier();
  m2.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const lastX = st.slice(x, [32, 0], [8, 3]);
  const lastY = st.slice(y, [32, 0], [8, 1]);
  const seen: number[] = [];
  const check: Callback = { onEpochEnd: (_e, logs) => { seen.push((m2.evaluate(lastX, lastY) as st.Tensor).dataSync()[0] - logs!.val_loss); } };
  await m2.fit(x, y, { epochs: 2, batchSize: 5, validationSplit: 0.2, callbacks: [check], ...quiet });
  assert.equal(seen.length, 2);
  for (const d of seen) assert.ok(Math.abs(d) < 1e-6, `val_loss differs from evaluate on the last rows by ${d}`);
});

async function runSeeded(seed: number, weights: st.Tensor[]): Promise<{ h: Record<string, number[]>; w: number[] }> {
  const model = classifier(9);
  model.setWeights(weights);
  model.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.3, momentum: 0.9 }), loss: 'binaryCrossentropy', metrics: ['acc'] });
  const { x, y } = data();
  const h = await model.fit(x, y, { epochs: 3, batchSize: 6, seed, ...quiet });
  return { h: h.history, w: model.getWeights().flatMap((t) => Array.from(t.dataSync())) };
}

test('the same seed gives the same history and weights; another seed other batches', async () => {
  const weights = classifier(3).getWeights();
  const a = await runSeeded(11, weights);
  const b = await runSeeded(11, weights);
  assert.deepEqual(a, b);
  const c = await runSeeded(12, weights);
  assert.notDeepEqual(a.h.loss, c.h.loss);
});

test('evaluate returns [loss, ...metrics] scalars; predict in batches equals one batch', async () => {
  const model = classifier();
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const { x, y } = data(37);
  await model.fit(x, y, { epochs: 1, batchSize: 16, ...quiet });
  const r = model.evaluate(x, y, { batchSize: 5 }) as st.Tensor[];
  assert.equal(r.length, 2);
  assert.deepEqual(r[0].shape, []);
  assert.deepEqual(r[1].shape, []);
  const whole = model.evaluate(x, y, { batchSize: 100 }) as st.Tensor[];
  assertClose(r[0], whole[0].dataSync()[0], 1e-5, 'loss by batches');
  assertClose(r[1], whole[1].dataSync()[0], 1e-6, 'acc by batches');
  const p7 = model.predict(x, { batchSize: 7 }) as st.Tensor;
  const p1 = model.predict(x, { batchSize: 1000 }) as st.Tensor;
  assert.deepEqual(p7.shape, [37, 1]);
  assertClose(p7, Array.from(p1.dataSync()), 1e-6, 'predict');
  // the loss is binary cross-entropy of the predictions, the accuracy their rounding
  assertClose(r[0], st.losses.binaryCrossentropy(y, p1).dataSync()[0], 1e-5, 'loss');
  const classes = model.predictClasses(x);
  assert.deepEqual(classes.shape, [37]);
  const yv = y.dataSync();
  const acc = Array.from(classes.dataSync()).filter((c, i) => c === yv[i]).length / 37;
  assertClose(r[1], acc, 1e-6, 'accuracy');
  const lossOnly = new Dense({ units: 1, inputShape: [3] });
  const m2 = sequential({ layers: [lossOnly] });
  m2.compile({ optimizer: 'sgd', loss: 'mse' });
  assert.ok(m2.evaluate(x, y) instanceof st.Tensor);
});

async function rejects(p: Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    for (const re of patterns) assert.match(e.message, re);
    return true;
  });
}

test('errors: not compiled, x/y batch mismatch, y not fitting the output, unknown loss', async () => {
  const model = classifier();
  const { x, y } = data();
  await rejects(model.fit(x, y, quiet), /not compiled/, /compile\(/);
  assert.throws(() => model.evaluate(x, y), /not compiled/);
  model.compile({ optimizer: 'sgd', loss: 'mean_squared_error' });
  assert.equal(model.loss, 'mean_squared_error');
  assert.ok(model.optimizer instanceof st.Optimizer);
  await rejects(model.fit(x, st.slice(y, [0, 0], [30, 1]), quiet), /same number of samples/, /40/, /30/);
  await rejects(model.fit(x, st.zeros([40, 2]), quiet), /y has shape \[40, 2\]/, /expected \[None, 1\]/);
  await rejects(model.fit(x, y, { epochs: 0 }), /epochs must be an integer >= 1/);
  await rejects(model.fit(x, y, { validationSplit: 1.5 }), /validationSplit/);
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: 'meanSquaredErr' }), /unknown loss "meanSquaredErr"/);
  assert.throws(() => model.compile({ optimizer: 'sgdd', loss: 'mse' }), /unknown optimizer/);
  assert.throws(() => model.predict(st.zeros([4, 5])), /expects shape \[None, 3\]/);
});

/** Runs fit with the progress output captured. */
async function captured(tty: boolean, verbose: number): Promise<string> {
  let text = '';
  setProgressOutput({ write: (s) => { text += s; }, isTTY: () => tty });
  const saved = ProgressLogger.redrawInterval;
  ProgressLogger.redrawInterval = 0;
  try {
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const { x, y } = data();
    await model.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.2, verbose });
  } finally {
    ProgressLogger.redrawInterval = saved;
    setProgressOutput();
  }
  return text;
}

test('progress: a Keras bar per epoch on a TTY', async () => {
  const text = await captured(true, 1);
  assert.match(text, /^Epoch 1\/2\n/);
  assert.match(text, /\nEpoch 2\/2\n/);
  const bars = text.split('\r').slice(1);
  assert.ok(bars.length >= 8, `expected a redraw per batch, got ${bars.length}`);
  assert.match(bars[0], /^1\/4 \[={6}>\.{23}\] - ETA: \d+s - loss: \d+\.\d{4} - acc: \d\.\d{4}/);
  assert.match(bars[1], /^2\/4 \[={14}>\.{15}\] - ETA: \d+s - loss: \d+\.\d{4} - acc: \d\.\d{4}/);
  assert.match(text, /\r4\/4 \[={30}\] - \d+s \d+ms\/step - loss: \d+\.\d{4} - acc: \d\.\d{4} - val_loss: \d+\.\d{4} - val_acc: \d\.\d{4}\x1b\[K\n/);
});

test('progress: one line per epoch when not a TTY, nothing at verbose 0', async () => {
  const text = await captured(false, 1);
  const lines = text.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 2, text);
  lines.forEach((l, i) => assert.match(l,
    new RegExp(`^Epoch ${i + 1}/2 - 4/4 - \\d+s - loss: \\d+\\.\\d{4} - acc: \\d\\.\\d{4} - val_loss: \\d+\\.\\d{4} - val_acc: \\d\\.\\d{4}$`)));
  assert.ok(!text.includes('\r'));
  assert.equal(await captured(true, 0), '');
  assert.equal(await captured(false, 0), '');
});

test('callbacks run in order, async ones awaited; stopTraining ends after the batch', async () => {
  const events: string[] = [];
  const model = classifier();
  model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
  const { x, y } = data(12);
  const cb: Callback = {
    onTrainBegin: () => { events.push('trainBegin'); },
    onEpochBegin: (e) => { events.push(`epochBegin ${e}`); },
    onBatchBegin: (b) => { events.push(`batchBegin ${b}`); },
    onBatchEnd: async (b, logs) => {
      await new Promise((r) => setTimeout(r, 2));
      events.push(`batchEnd ${b} ${logs!.size}`);
    },
    onEpochEnd: async (e, logs) => {
      await new Promise((r) => setTimeout(r, 2));
      events.push(`epochEnd ${e} ${Object.keys(logs!).sort().join(',')}`);
    },
    onTrainEnd: () => { events.push('trainEnd'); },
  };
  const second: Callback = { onEpochEnd: (e) => { events.push(`second ${e}`); } };
  await model.fit(x, y, { epochs: 2, batchSize: 8, validationData: [x, y], callbacks: [cb, second], ...quiet });
  assert.deepEqual(events, [
    'trainBegin',
    'epochBegin 0', 'batchBegin 0', 'batchEnd 0 8', 'batchBegin 1', 'batchEnd 1 4', 'epochEnd 0 loss,val_loss', 'second 0',
    'epochBegin 1', 'batchBegin 0', 'batchEnd 0 8', 'batchBegin 1', 'batchEnd 1 4', 'epochEnd 1 loss,val_loss', 'second 1',
    'trainEnd',
  ]);
  let batches = 0;
  const stopper: Callback = { onBatchEnd: (b) => { batches++; if (b === 1) model.stopTraining = true; } };
  const h = await model.fit(x, y, { epochs: 5, batchSize: 2, callbacks: stopper, ...quiet });
  assert.equal(batches, 2);
  assert.equal(h.epoch.length, 1);
  assert.throws(() => callbacks.earlyStopping({ mode: 'up' as 'min' }), /mode must be 'auto', 'min' or 'max', got "up"/);
});

test('terminateOnNaN stops at the first NaN loss and says which epoch and batch', async () => {
  const model = classifier();
  model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
  const { x, y } = data(20);
  const xv = Float32Array.from(x.dataSync());
  xv[3 * 13] = NaN; // sample 13: the 4th batch of 4 without shuffling
  const warnings: string[] = [];
  setProgressOutput({ warn: (m) => { warnings.push(m); } });
  let batches = 0;
  try {
    const t = callbacks.terminateOnNaN();
    const h = await model.fit(st.tensor(xv, [20, 3]), y, {
      epochs: 3, batchSize: 4, shuffle: false, callbacks: [t, { onBatchEnd: () => { batches++; } }], ...quiet,
    });
    assert.equal(h.epoch.length, 1);
    assert.equal(batches, 4);
    assert.equal(t.message, 'terminateOnNaN: loss is NaN at epoch 1/3, batch 4/5; training stopped');
  } finally {
    setProgressOutput();
  }
  assert.deepEqual(warnings, ['terminateOnNaN: loss is NaN at epoch 1/3, batch 4/5; training stopped']);
});

test('earlyStopping and reduceLROnPlateau follow Keras on given logs', () => {
  const model = classifier();
  model.compile({ optimizer: st.optimizers.sgd({ learningRate: 0.8 }), loss: 'mse' });
  const es = callbacks.earlyStopping({ patience: 2 });
  es.setModel(model);
  es.onTrainBegin();
  const vals = [5, 4, 4.5, 4.2, 3.9, 4];
  let stoppedAt = -1;
  for (let e = 0; e < vals.length && stoppedAt < 0; e++) {
    es.onEpochEnd(e, { val_loss: vals[e] });
    if (model.stopTraining) stoppedAt = e;
  }
  assert.equal(stoppedAt, 3);
  assert.equal(es.stoppedEpoch, 3);
  assert.equal(es.bestEpoch, 1);
  assert.equal(es.best, 4);
  model.stopTraining = false;

  const r = callbacks.reduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 2, cooldown: 1, minLr: 0.15 });
  r.setModel(model);
  r.onTrainBegin();
  const lrs: number[] = [];
  for (const [e, loss] of [1, 1, 1, 1, 1, 1, 1, 1].entries()) {
    r.onEpochEnd(e, { loss });
    lrs.push(model.optimizer!.learningRate as number);
  }
  // Keras: wait 1, 2 -> halve (cooldown 1); the cooldown epoch ends and counts (wait 1); wait 2 -> halve;
  // again -> the floor minLr; then nothing changes
  assert.deepEqual(lrs, [0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.15, 0.15]);
  assert.throws(() => callbacks.reduceLROnPlateau({ factor: 1 }), /factor must be < 1/);
});

test('csvLogger writes a header and a row per epoch, atomically', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'striate-csv-'));
  const filename = join(dir, 'log.csv');
  const model = classifier();
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['acc'] });
  const { x, y } = data();
  await model.fit(x, y, { epochs: 2, validationSplit: 0.2, callbacks: [callbacks.csvLogger({ filename })], ...quiet });
  const lines = readFileSync(filename, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'epoch,acc,loss,val_acc,val_loss');
  assert.equal(lines.length, 3);
  assert.match(lines[2], /^1(,[\d.e-]+){4}$/);
  await model.fit(x, y, { epochs: 1, validationSplit: 0.2, callbacks: [callbacks.csvLogger({ filename, append: true, separator: ',' })], ...quiet });
  assert.equal(readFileSync(filename, 'utf8').trim().split('\n').length, 4);
  assert.deepEqual(readdirSync(dir), ['log.csv']);
});

test('classWeight weights each sample by its class', async () => {
  const model = classifier();
  model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
  const { x, y } = data();
  const before = model.getWeights().flatMap((t) => Array.from(t.dataSync()));
  const h = await model.fit(x, y, { epochs: 2, classWeight: { 0: 0, 1: 0 }, ...quiet });
  assert.deepEqual(h.history.loss, [0, 0]);
  assert.deepEqual(model.getWeights().flatMap((t) => Array.from(t.dataSync())), before);
  const h2 = await model.fit(x, y, { epochs: 1, classWeight: { 0: 1, 1: 0 }, shuffle: false, batchSize: 40, ...quiet });
  // weight 0 for class 1: the loss is the class-0 samples' loss summed over the whole batch size
  const yv = Array.from(y.dataSync());
  const m2 = classifier();
  m2.setWeights(model.getWeights());
  m2.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
  const per = st.losses.binaryCrossentropy(y, m2.predict(x) as st.Tensor, { reduction: 'none' }).dataSync();
  const expected = yv.reduce((s, v, i) => s + (v === 0 ? per[i] : 0), 0) / 40;
  const h3 = await m2.fit(x, y, { epochs: 1, classWeight: { 0: 1, 1: 0 }, shuffle: false, batchSize: 40, ...quiet });
  assertClose(h3.history.loss[0], expected, 1e-5, 'weighted loss');
  assert.ok(h2.history.loss[0] > 0);
});

test('fitDataset trains on batches from an async iterable, with validation', async () => {
  const model = classifier();
  model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const { x, y } = data();
  const dataset = {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < 40; i += 10) yield { xs: st.slice(x, [i, 0], [10, 3]), ys: st.slice(y, [i, 0], [10, 1]) };
    },
  };
  let batches = 0;
  const h = await model.fitDataset(dataset, { epochs: 3, validationData: [x, y], callbacks: { onBatchEnd: () => { batches++; } }, ...quiet });
  assert.equal(batches, 12);
  assert.deepEqual(h.epoch, [0, 1, 2]);
  assert.deepEqual(Object.keys(h.history).sort(), ['acc', 'loss', 'val_acc', 'val_loss']);
  const ev = model.evaluate(x, y) as st.Tensor[];
  assertClose(h.history.val_loss[2], ev[0].dataSync()[0], 1e-5, 'val_loss');
  const h2 = await model.fitDataset(dataset, { epochs: 2, batchesPerEpoch: 2, ...quiet });
  assert.equal(h2.history.loss.length, 2);
});
