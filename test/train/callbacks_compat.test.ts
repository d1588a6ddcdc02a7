/**
 * Callbacks and fit options as TensorFlow.js has them: plain objects of hooks (async ones
 * awaited, in order), Callback subclasses, CustomCallback, onYield with yieldEvery,
 * registerCallbackConstructor, nextFrame, custom losses and metrics as functions, rank-1 targets,
 * and strict options naming the typo.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { setProgressOutput } from '../../src/train/index.js';
import { assertThrowsMessage } from '../helpers.js';

setProgressOutput({ write: () => {}, isTTY: () => false, warn: () => {} });

function tiny(): st.Sequential {
  const m = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
}
const X = () => st.tensor([[1, 2], [3, 4], [5, 6], [7, 8]]);

test('plain-object callbacks: every hook, async ones awaited in order, model set', async () => {
  const m = tiny();
  const events: string[] = [];
  const cb = {
    onTrainBegin: async () => { await new Promise((r) => setTimeout(r, 5)); events.push('trainBegin'); },
    onEpochBegin: (e: number) => { events.push(`epochBegin ${e}`); },
    onBatchBegin: (b: number) => { events.push(`batchBegin ${b}`); },
    onBatchEnd: async (b: number, logs?: st.Logs) => { await st.nextFrame(); events.push(`batchEnd ${b} ${typeof logs?.loss}`); },
    onEpochEnd: (e: number, logs?: st.Logs) => { events.push(`epochEnd ${e} ${typeof logs?.loss}`); },
    onYield: (e: number, b: number) => { events.push(`yield ${e} ${b}`); },
    onTrainEnd: () => { events.push('trainEnd'); },
  };
  await m.fit(X(), st.tensor([1, 2, 3, 4]), { epochs: 2, batchSize: 2, verbose: 0, callbacks: cb, yieldEvery: 'batch' });
  assert.deepEqual(events, [
    'trainBegin',
    'epochBegin 0', 'batchBegin 0', 'batchEnd 0 number', 'yield 0 0', 'batchBegin 1', 'batchEnd 1 number', 'yield 0 1', 'epochEnd 0 number',
    'epochBegin 1', 'batchBegin 0', 'batchEnd 0 number', 'yield 1 0', 'batchBegin 1', 'batchEnd 1 number', 'yield 1 1', 'epochEnd 1 number',
    'trainEnd',
  ]);
  const epochYields: string[] = [];
  await m.fit(X(), st.tensor([1, 2, 3, 4]), { epochs: 2, batchSize: 2, verbose: 0, yieldEvery: 'epoch',
    callbacks: { onYield: (e, b) => { epochYields.push(`${e}:${b}`); } } });
  assert.deepEqual(epochYields, ['0:2', '1:2']);
  const never: number[] = [];
  await m.fit(X(), st.tensor([1, 2, 3, 4]), { epochs: 1, batchSize: 1, verbose: 0, yieldEvery: 'never', callbacks: { onYield: () => { never.push(1); } } });
  assert.equal(never.length, 0);
});

test('Callback subclasses, CustomCallback and registerCallbackConstructor', async () => {
  const m = tiny();
  class Stopper extends st.Callback {
    epochs = 0;
    override async onEpochEnd(): Promise<void> {
      this.epochs++;
      if (this.epochs === 2) this.model!.stopTraining = true;
    }
  }
  const stopper = new Stopper();
  const h = await m.fit(X(), st.tensor([[1], [2], [3], [4]]), { epochs: 10, verbose: 0, callbacks: [stopper] });
  assert.equal(h.epoch.length, 2);
  assert.equal(stopper.model, m);

  const ends: number[] = [];
  const custom = new st.CustomCallback({ onEpochEnd: (e) => { ends.push(e); } });
  await m.fit(X(), st.tensor([[1], [2], [3], [4]]), { epochs: 3, verbose: 0, callbacks: custom });
  assert.deepEqual(ends, [0, 1, 2]);
  assertThrowsMessage(() => new st.CustomCallback({ onEpochEnds: () => {} } as never), 'CustomCallback: unknown hook "onEpochEnds"');

  const made: string[] = [];
  class Counter extends st.Callback {
    constructor() { super(); made.push('made'); }
    override onTrainEnd(): void { made.push('end'); }
  }
  st.registerCallbackConstructor(3, Counter);
  await m.fit(X(), st.tensor([[1], [2], [3], [4]]), { epochs: 1, verbose: 0 });
  assert.deepEqual(made, [], 'not below its verbosity level');
  await m.fit(X(), st.tensor([[1], [2], [3], [4]]), { epochs: 1, verbose: 3 });
  assert.deepEqual(made, ['made', 'end']);
  assertThrowsMessage(() => st.registerCallbackConstructor(3, Counter), 'is already registered at verbosity 3');
  assertThrowsMessage(() => st.registerCallbackConstructor(-1, Counter), 'verbosityLevel must be a non-negative integer');
});

test('custom losses and metrics as functions; rank-1 targets for a [null, 1] output', async () => {
  const m = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros' })] });
  const absError = (yTrue: st.Tensor, yPred: st.Tensor) => st.mean(st.abs(st.sub(yTrue, yPred)));
  const maxError = (yTrue: st.Tensor, yPred: st.Tensor) => st.max(st.abs(st.sub(yTrue, yPred)));
  m.compile({ optimizer: st.train.sgd(0.01), loss: absError, metrics: [maxError] });
  const h = await m.fit(X(), st.tensor([1, 2, 3, 4]), { epochs: 3, batchSize: 4, verbose: 0 });
  assert.deepEqual(Object.keys(h.history).sort(), ['loss', 'maxError']);
  // zeros initial weights: the first loss is the mean |y|, the max error max |y|
  assert.ok(Math.abs(h.history.loss[0] - 2.5) < 1e-6, `${h.history.loss[0]}`);
  assert.ok(Math.abs(h.history.maxError[0] - 4) < 1e-6);
  const ev = m.evaluate(X(), st.tensor([1, 2, 3, 4])) as st.Tensor[];
  assert.equal(ev.length, 2);
  assert.deepEqual((m.predict(st.tensor([[1, 1]])) as st.Tensor).shape, [1, 1]);
});

test('strict options: a typo is named with the nearest option', async () => {
  const m = tiny();
  const x = X();
  const y = st.tensor([1, 2, 3, 4]);
  await assert.rejects(m.fit(x, y, { batchsize: 2 } as never), /unknown option "batchsize" for fit; did you mean "batchSize"\?/);
  await assert.rejects(m.fit(x, y, { epoch: 2 } as never), /unknown option "epoch" for fit; did you mean "epochs"\?/);
  await assert.rejects(m.fit(x, y, { yieldEvery: 'sometimes' } as never), /yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number/);
  await assert.rejects(m.fit(x, y, { sampleWeight: st.ones([4]) } as never), /sampleWeight is not supported for tensors/);
  await assert.rejects(m.fitDataset([{ xs: x, ys: y }], { epochz: 1 } as never), /unknown option "epochz" for (model "[^"]+"\.)?fitDataset; did you mean "epochs"\?/);
  assertThrowsMessage(() => m.evaluate(x, y, { batchSise: 2 } as never), 'unknown option "batchSise" for evaluate; did you mean "batchSize"?');
  assertThrowsMessage(() => m.predict(x, { verbos: 0 } as never), 'unknown option "verbos" for predict; did you mean "verbose"?');
  assertThrowsMessage(() => m.compile({ optimizer: 'sgd', loss: 'mse', metric: ['mae'] } as never), 'unknown option "metric" for compile; did you mean "metrics"?');
  // fitDataset with rank-1 targets, validation batches limited
  const h = await m.fitDataset([{ xs: x, ys: y }], { epochs: 1, verbose: 0, validationData: [{ xs: x, ys: y }], validationBatches: 1 });
  assert.equal(typeof h.history.val_loss[0], 'number');
});
