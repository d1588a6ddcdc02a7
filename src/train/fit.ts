/**
 * `fit` and `fitDataset`: the training loop. Per batch: forward in training mode, the mean loss
 * plus regularisation penalties, gradients of the trainable weights, one optimizer step, weight
 * constraints, then callbacks. Between batches the loop yields to the event loop.
 */
import type { LayersModel } from '../nn/model.js';
import { Tensor, Variable } from '../tensor/tensor.js';
import { variableGrads } from '../autograd/gradients.js';
import { noGrad } from '../autograd/tape.js';
import { add, gather, mul, slice } from '../ops/index.js';
import { getGlobalRandomState, randomFor, setGlobalRandomState } from '../tensor/random.js';
import { keep, tidy } from '../tensor/engine.js';
import { tensor } from '../tensor/creation.js';
import { backend } from '../backend/registry.js';
import { CallbackHooks, CallbackList, Logs, registeredCallbacks } from './callback_base.js';
import { checkOptions } from '../tensor/options.js';
import { History, TrainingParams } from './history.js';
import { ProgressLogger, READ_LOGS_LATER } from './progress.js';
import { Compiled, batchLoss, batchMetricValues, checkData, classWeights, expandRank1, getCompiled, tensorList } from './compile.js';
import { evaluateCompiled } from './evaluate.js';

export type ClassWeight = Record<number, number> | number[];

export interface FitArgs {
  /** passes over the data (default 1) */
  epochs?: number;
  /** samples per gradient step (default 32) */
  batchSize?: number;
  /** shuffle the training samples before each epoch (default true) */
  shuffle?: boolean;
  /** the last fraction of x and y (taken before shuffling, as Keras) held out for validation */
  validationSplit?: number;
  /** [xVal, yVal] to validate on after each epoch (wins over validationSplit) */
  validationData?: [Tensor | Tensor[], Tensor | Tensor[]];
  /** the epoch to start at, for resuming (default 0) */
  initialEpoch?: number;
  /** {class: weight}: weights each sample's loss by its class */
  classWeight?: ClassWeight;
  callbacks?: CallbackHooks | CallbackHooks[];
  /**
   * When callbacks' onYield runs (TensorFlow.js' yieldEvery): 'auto' (at most every 125 ms),
   * 'batch', 'epoch', 'never' (and no pause between batches at all), or a number of milliseconds
   */
  yieldEvery?: YieldEvery;
  /** TensorFlow.js' option; not supported there either (use classWeight) */
  sampleWeight?: never;
  /** TensorFlow.js' option for datasets; for tensors the batches per epoch follow from batchSize */
  stepsPerEpoch?: never;
  validationSteps?: never;
  /** 0 silent, 1 progress (bar in a terminal, a line per epoch otherwise) (default 1) */
  verbose?: number;
  /** seed for shuffling; the same seed gives the same batches */
  seed?: number;
  /** batch size for validation (default batchSize) */
  validationBatchSize?: number;
  /**
   * Transforms each training batch's inputs before the step (not validation data): data
   * augmentation, e.g. `st.data.imageAugmenter({...}).augment`. Only for single-input models.
   */
  augment?: (x: Tensor) => Tensor;
  /**
   * Continue an interrupted fit exactly: the state `fitProgress(model)` gave at a batch or epoch
   * end, with the same data and options and the model and optimizer restored to that moment.
   */
  resume?: FitResumeState;
}

/** Where a fit is, to the batch, with the random states that decide what comes next. */
export interface FitResumeState {
  /** the epoch (0-based) to continue in */
  epoch: number;
  /** batches of that epoch already done */
  batch: number;
  /** the shuffle generator's state before this epoch's shuffle */
  shuffleState: number[];
  /** the global random stream (dropout, unseeded draws) at this moment */
  globalRandomState: number[];
  /** the epoch's running loss/metric sums so far */
  averager: { sums: Record<string, number>; count: number };
}

interface LiveFit {
  epoch: number;
  batch: number;
  shuffleState: number[];
  averager: LogAverager;
}

const liveFits = new WeakMap<LayersModel, LiveFit>();

/**
 * A snapshot of a running fit (call it from a callback's onBatchEnd or onEpochEnd) that `fit`'s
 * `resume` option continues from; undefined when the model is not in a fit.
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [1] })] });
 * console.log(st.fitProgress(model)); // undefined: no fit has been interrupted
 * ```
 */
export function fitProgress(model: LayersModel): FitResumeState | undefined {
  const live = liveFits.get(model);
  if (!live) return undefined;
  return {
    epoch: live.epoch, batch: live.batch, shuffleState: [...live.shuffleState],
    globalRandomState: getGlobalRandomState(), averager: live.averager.getState(),
  };
}

type Trainable = LayersModel & { stopTraining: boolean; isTraining?: boolean };

export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** The options fit reads; any other key is an error (a typo would otherwise train with a default). */
export const FIT_OPTIONS = ['epochs', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'initialEpoch',
  'classWeight', 'callbacks', 'verbose', 'seed', 'validationBatchSize', 'augment', 'resume', 'yieldEvery',
  'sampleWeight', 'stepsPerEpoch', 'validationSteps'] as const;

/** Lets other work (I/O, timers, a UI) run between batches. */
export function nextTick(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * TensorFlow.js' `nextFrame()`: resolves at the next animation frame in a browser, on the next
 * turn of the event loop elsewhere; `await st.nextFrame()` in a loop keeps a page responsive.
 *
 * @example
 * ```ts
 * await st.nextFrame(); // lets the page (or the event loop) breathe between steps
 * ```
 */
export function nextFrame(): Promise<void> {
  const raf = (globalThis as { requestAnimationFrame?: (f: () => void) => unknown }).requestAnimationFrame;
  return typeof raf === 'function' ? new Promise((resolve) => { raf(() => resolve()); }) : nextTick();
}

/** Decides, per fit's yieldEvery, when to pause between batches and when to call onYield. */
export class Yielder {
  private last = Date.now();
  private readonly every: YieldEvery;

  constructor(door: string, every: YieldEvery | undefined, private readonly callbacks: CallbackList) {
    this.every = every ?? 'auto';
    const ok = ['auto', 'batch', 'epoch', 'never'].includes(this.every as string) ||
      (typeof this.every === 'number' && this.every >= 0);
    if (!ok) {
      throw new Error(`${door}: yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds, ` +
        `got ${JSON.stringify(every)}`);
    }
  }

  /** After a batch: pauses (unless 'never') and calls onYield when due. */
  async afterBatch(epoch: number, batch: number, logs: Logs): Promise<void> {
    if (this.every === 'never') return;
    await nextTick();
    const due = this.every === 'batch' ||
      (this.every === 'auto' && Date.now() - this.last >= 125) ||
      (typeof this.every === 'number' && Date.now() - this.last >= this.every);
    if (due) await this.fire(epoch, batch, logs);
  }

  /** After an epoch: calls onYield for 'epoch'. */
  async afterEpoch(epoch: number, batch: number, logs: Logs): Promise<void> {
    if (this.every === 'epoch') await this.fire(epoch, batch, logs);
    if (this.every !== 'never') await nextTick();
  }

  private async fire(epoch: number, batch: number, logs: Logs): Promise<void> {
    this.last = Date.now();
    if (this.callbacks.wantsYield) await this.callbacks.onYield(epoch, batch, logs);
  }
}

/** Rows `indices` (or a contiguous range) of each tensor. */
export function takeRows(ts: Tensor[], start: number, end: number, order?: Int32Array): Tensor[] {
  if (!order) return ts.map((t) => slice(t, [start, ...new Array(t.rank - 1).fill(0)], [end - start, ...t.shape.slice(1)]));
  // mlp speed area: one int32 index tensor for all the inputs and targets (a plain array was
  // flattened, checked and converted again for each of them, every batch)
  const idx = tensor(order.slice(start, end), [end - start], 'int32');
  return ts.map((t) => gather(t, idx, 0));
}

/** One optimizer step on a batch; returns the logs (loss, metrics). */
export function trainStep(model: LayersModel, c: Compiled, xs: Tensor[], ys: Tensor[], classWeight?: ClassWeight): Logs {
  return readValues(trainStepValues(model, c, xs, ys, classWeight));
}

/** The numbers of a step's scalar tensors (which are disposed). */
export function readValues(values: Record<string, Tensor>): Logs {
  const logs: Logs = {};
  for (const [k, v] of Object.entries(values)) {
    logs[k] = v.dataSync()[0];
    v.dispose();
  }
  return logs;
}

/**
 * Adds a step's values to the running means: read at once where callbacks want each batch's
 * numbers or reading costs nothing (CPU backends), else summed on the backend (see readsEveryBatch).
 */
export function addStep(averager: LogAverager, callbacks: CallbackList, values: Record<string, Tensor>, batchLogs: Logs): Logs {
  const size = batchLogs.size;
  if (!readsEveryBatch(callbacks)) {
    averager.addValues(values, size);
    return averager.lazyResult(batchLogs);
  }
  averager.add(readValues(values), size);
  return { ...batchLogs, ...averager.result() };
}

/**
 * One optimizer step on a batch; the loss and each metric as scalar tensors still on the backend
 * (kept out of any tidy: the caller disposes them), so that a GPU need not be waited for.
 */
export function trainStepValues(model: LayersModel, c: Compiled, xs: Tensor[], ys: Tensor[],
  classWeight?: ClassWeight): Record<string, Tensor> {
  const weights = model.trainableWeights;
  const sampleWeights = classWeight ? ys.map((y) => classWeights(y, classWeight)) : undefined;
  let metricValues: Tensor[] = [];
  const forward = (): Tensor => {
    const preds = model.execute(xs.length === 1 ? xs[0] : xs, { training: true });
    // measured here: variableGrads disposes the predictions with the rest of the forward pass
    // (the metric values are kept: they are read after the step)
    metricValues = noGrad(() => batchMetricValues(c, ys, preds)).map((m) => keep(m));
    return batchLoss(model, c, ys, preds, sampleWeights);
  };
  let loss: Tensor;
  if (weights.length === 0) {
    loss = noGrad(forward);
  } else {
    const { value, grads } = variableGrads(forward, weights);
    loss = value;
    c.optimizer.applyGradients(weights.map((v): [Variable, Tensor] => [v, grads[v.name]]));
    model.applyConstraints();
    // the step is done with the gradients: freed now, not at the end of an enclosing tidy
    for (const v of weights) grads[v.name].dispose();
  }
  const values: Record<string, Tensor> = { loss: keep(loss) };
  c.metrics.forEach((m, i) => (values[m.name] = metricValues[i]));
  return values;
}

/**
 * Running means of logged values, weighted by batch size (Keras' epoch averages). Values given
 * as scalar tensors (addValues) are summed on their backend and read only when a number is
 * asked for (result, getState): on a GPU, no readback per batch.
 */
export class LogAverager {
  private sums: Record<string, number> = {};
  private pending: Record<string, Tensor> = {};
  private count = 0;

  add(logs: Logs, size: number): void {
    for (const [k, v] of Object.entries(logs)) this.sums[k] = (this.sums[k] ?? 0) + v * size;
    this.count += size;
  }

  /** Adds a batch's scalar tensors (disposing them), weighted by `size`, without reading them. */
  addValues(values: Record<string, Tensor>, size: number): void {
    for (const [k, v] of Object.entries(values)) {
      const before = this.pending[k];
      this.pending[k] = keep(tidy(() => (before ? add(before, mul(v, size)) : mul(v, size))));
      before?.dispose();
      v.dispose();
    }
    this.count += size;
  }

  /** Reads the sums still on the backend (one readback each) into the running numbers. */
  private settle(): void {
    for (const [k, v] of Object.entries(this.pending)) {
      this.sums[k] = (this.sums[k] ?? 0) + v.dataSync()[0];
      v.dispose();
    }
    this.pending = {};
  }

  result(): Logs {
    this.settle();
    const out: Logs = {};
    for (const [k, v] of Object.entries(this.sums)) out[k] = v / this.count;
    return out;
  }

  /**
   * `base` with the running means as properties read on access (the sums still on the backend
   * are read then): for callbacks that look now and then, during the hook they were given it in.
   */
  lazyResult(base: Logs): Logs {
    const out: Logs = { ...base };
    for (const k of new Set([...Object.keys(this.sums), ...Object.keys(this.pending)])) {
      Object.defineProperty(out, k, { enumerable: true, configurable: true, get: () => this.result()[k] });
    }
    Object.defineProperty(out, READ_LOGS_LATER, { enumerable: false, value: () => this.peek() });
    return out;
  }

  /**
   * The running means without waiting for the backend: copies of the sums still there are read
   * asynchronously (the progress bar's numbers on a GPU), and nothing is settled.
   */
  async peek(): Promise<Logs> {
    const count = this.count;
    const sums = { ...this.sums };
    const keys = Object.keys(this.pending);
    const copies = keys.map((k) => keep(tidy(() => mul(this.pending[k], 1))));
    try {
      const read = await Promise.all(copies.map((c) => c.data()));
      keys.forEach((k, i) => (sums[k] = (sums[k] ?? 0) + Number(read[i][0])));
    } finally {
      for (const c of copies) c.dispose();
    }
    const out: Logs = {};
    if (count > 0) for (const [k, v] of Object.entries(sums)) out[k] = v / count;
    return out;
  }

  getState(): { sums: Record<string, number>; count: number } {
    this.settle();
    return { sums: { ...this.sums }, count: this.count };
  }

  setState(state: { sums: Record<string, number>; count: number }): void {
    for (const v of Object.values(this.pending)) v.dispose();
    this.pending = {};
    this.sums = { ...state.sums };
    this.count = state.count;
  }
}

/**
 * Whether fit must read a batch's numbers as soon as the batch ends: on backends whose reads
 * cost nothing (the CPU), always (the float64 running sums stay as they were); on a GPU only
 * when a callback listens to batch ends or yields.
 */
export function readsEveryBatch(callbacks: CallbackList): boolean {
  // deferredReads: true where a read waits for a device (the webgpu backend says so)
  return !(backend() as { deferredReads?: boolean }).deferredReads || callbacks.wantsBatchLogs;
}

function checkPositiveInt(door: string, name: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new Error(`${door}: ${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function metricNames(c: Compiled, validate: boolean): string[] {
  const base = ['loss', ...c.metrics.map((m) => m.name)];
  return validate ? [...base, ...base.map((k) => `val_${k}`)] : base;
}

/** Runs the epoch loop around `runEpoch`, with callbacks and history; shared by fit and fitDataset. */
export async function trainingLoop(
  model: LayersModel, door: string, params: TrainingParams, callbackArgs: CallbackHooks | CallbackHooks[] | undefined,
  runEpoch: (epoch: number, callbacks: CallbackList, yielder: Yielder) => Promise<Logs>, yieldEvery?: YieldEvery,
): Promise<History> {
  const m = model as Trainable;
  if (m.isTraining) throw new Error(`${door}: model "${model.name}" is already training (another fit has not finished)`);
  const history = new History();
  history.params = params;
  const user = callbackArgs === undefined ? [] : Array.isArray(callbackArgs) ? callbackArgs : [callbackArgs];
  const list: CallbackHooks[] = params.verbose > 0 ? [new ProgressLogger(params.verbose), ...user] : [...user];
  list.push(...registeredCallbacks(params.verbose));
  const callbacks = new CallbackList(list, model, params);
  const yielder = new Yielder(door, yieldEvery, callbacks);
  m.isTraining = true;
  m.stopTraining = false;
  try {
    await callbacks.onTrainBegin();
    for (let epoch = params.initialEpoch; epoch < params.epochs; epoch++) {
      await callbacks.onEpochBegin(epoch);
      const logs = await runEpoch(epoch, callbacks, yielder);
      await callbacks.onEpochEnd(epoch, logs);
      history.record(epoch, logs);
      await yielder.afterEpoch(epoch, params.steps ?? 0, logs);
      if (m.stopTraining) break;
    }
    await callbacks.onTrainEnd();
  } finally {
    m.isTraining = false;
  }
  return history;
}

export async function fit(model: LayersModel, x: Tensor | Tensor[], y: Tensor | Tensor[], args: FitArgs = {}): Promise<History> {
  const door = `model "${model.name}".fit`;
  const c = getCompiled(model, 'fit');
  if (args === null || typeof args !== 'object') throw new Error(`${door}: options must be an object`);
  checkOptions('fit', args, FIT_OPTIONS);
  for (const key of ['sampleWeight', 'stepsPerEpoch', 'validationSteps'] as const) {
    if (args[key] !== undefined && args[key] !== null) {
      throw new Error(`${door}: ${key} is not supported for tensors` +
        (key === 'sampleWeight' ? ' (nor by TensorFlow.js); weigh classes with classWeight' : '; use fitDataset for a set number of batches'));
    }
  }
  const epochs = checkPositiveInt(door, 'epochs', args.epochs ?? 1);
  const batchSize = checkPositiveInt(door, 'batchSize', args.batchSize ?? 32);
  const initialEpoch = checkPositiveInt(door, 'initialEpoch', args.initialEpoch ?? 0, 0);
  const verbose = args.verbose ?? 1;
  const shuffle = args.shuffle ?? true;
  let xs = tensorList(door, 'x', x);
  let ys = tensorList(door, 'y', y);
  ensureBuilt(model, xs);
  [xs, ys] = expandRank1(model, xs, ys, c);
  let n = checkData(model, door, xs, ys, c);

  let val: [Tensor[], Tensor[]] | null = null;
  if (args.validationData) {
    const vd = args.validationData;
    if (!Array.isArray(vd) || vd.length < 2) throw new Error(`${door}: validationData must be [xVal, yVal]`);
    val = expandRank1(model, tensorList(door, 'validationData x', vd[0]), tensorList(door, 'validationData y', vd[1]), c);
    checkData(model, `${door} (validationData)`, val[0], val[1], c);
  } else if (args.validationSplit !== undefined && args.validationSplit !== 0) {
    const split = args.validationSplit;
    if (typeof split !== 'number' || !(split > 0 && split < 1)) {
      throw new Error(`${door}: validationSplit must be a number between 0 and 1, got ${JSON.stringify(split)}`);
    }
    const at = Math.floor(n * (1 - split));
    if (at <= 0 || at >= n) {
      throw new Error(`${door}: validationSplit ${split} of ${n} samples leaves ${at} for training and ${n - at} ` +
        `for validation; both need at least one`);
    }
    val = [takeRows(xs, at, n), takeRows(ys, at, n)];
    xs = takeRows(xs, 0, at);
    ys = takeRows(ys, 0, at);
    n = at;
  }

  const steps = Math.ceil(n / batchSize);
  const params: TrainingParams = {
    epochs, initialEpoch, samples: n, steps, batchSize, verbose, doValidation: val !== null,
    metrics: metricNames(c, val !== null),
  };
  const random = randomFor(args.seed);
  const validationBatchSize = args.validationBatchSize ?? batchSize;
  const m = model as Trainable;

  const augment = args.augment;
  if (augment !== undefined && (typeof augment !== 'function' || xs.length !== 1)) {
    throw new Error(`${door}: augment must be a function of one input batch (and the model must have one input)`);
  }
  const resume = args.resume;
  if (resume !== undefined) checkResume(door, resume, initialEpoch, epochs, steps);
  const live: LiveFit = { epoch: initialEpoch, batch: 0, shuffleState: random.getState(), averager: new LogAverager() };

  liveFits.set(model, live);
  try {
    return await trainingLoop(model, door, params, args.callbacks, async (epoch, callbacks, yielder) => {
      const resuming = resume !== undefined && epoch === resume.epoch;
      if (resuming) random.setState(resume.shuffleState);
      Object.assign(live, { epoch, batch: 0, shuffleState: random.getState(), averager: new LogAverager() });
      let order: Int32Array | undefined;
      if (shuffle) {
        order = new Int32Array(n);
        for (let i = 0; i < n; i++) order[i] = i;
        random.shuffle(order);
      }
      const averager = live.averager;
      let first = 0;
      if (resuming) {
        // after the shuffle: when no seed is given, the shuffle draws from the global stream too
        setGlobalRandomState(resume.globalRandomState);
        averager.setState(resume.averager);
        first = resume.batch;
      }
      for (let b = first; b < steps; b++) {
        const start = b * batchSize;
        const end = Math.min(n, start + batchSize);
        const batchLogs: Logs = { batch: b, size: end - start };
        await callbacks.onBatchBegin(b, batchLogs);
        // tidy: a step's intermediates are freed at once, so the wasm heap stays flat without GC
        const values = tidy(() => {
          let batchXs = takeRows(xs, start, end, order);
          if (augment) batchXs = [augment(batchXs[0])];
          return trainStepValues(model, c, batchXs, takeRows(ys, start, end, order), args.classWeight);
        });
        // the running means are read only when someone looks (no readback per batch on a GPU)
        const soFar = addStep(averager, callbacks, values, batchLogs);
        live.batch = b + 1;
        await callbacks.onBatchEnd(b, soFar);
        if (m.stopTraining) break;
        await yielder.afterBatch(epoch, b, soFar);
      }
      const logs = averager.result();
      if (val) {
        const v = evaluateCompiled(model, c, val[0], val[1], validationBatchSize);
        logs.val_loss = v[0];
        c.metrics.forEach((mt, i) => (logs[`val_${mt.name}`] = v[i + 1]));
      }
      if (live.batch === steps) {
        // from here a resume starts the next epoch afresh
        Object.assign(live, { epoch: epoch + 1, batch: 0, shuffleState: random.getState(), averager: new LogAverager() });
      }
      return logs;
    }, args.yieldEvery);
  } finally {
    liveFits.delete(model);
  }
}

function checkResume(door: string, r: FitResumeState, initialEpoch: number, epochs: number, steps: number): void {
  const ok = r && typeof r === 'object' && Number.isInteger(r.epoch) && Number.isInteger(r.batch) &&
    Array.isArray(r.shuffleState) && Array.isArray(r.globalRandomState) && r.averager && typeof r.averager === 'object';
  if (!ok) throw new Error(`${door}: resume must be the object fitProgress(model) returned`);
  if (r.epoch !== initialEpoch) {
    throw new Error(`${door}: resume is at epoch ${r.epoch + 1} but initialEpoch is ${initialEpoch}; give initialEpoch: ${r.epoch}`);
  }
  if (r.epoch >= epochs) throw new Error(`${door}: resume is at epoch ${r.epoch + 1}, past the last epoch (${epochs})`);
  if (r.batch < 0 || r.batch > steps) {
    throw new Error(`${door}: resume is at batch ${r.batch} but an epoch here has ${steps} batches ` +
      '(resume with the same data and batch size)');
  }
}

/** A Sequential model without an input shape is built on one sample first, so y can be checked. */
export function ensureBuilt(model: LayersModel, xs: Tensor[]): void {
  if (model.outputs.length > 0) return;
  const first = takeRows(xs, 0, 1);
  noGrad(() => model.execute(first.length === 1 ? first[0] : first, { training: false }));
}
