/**
 * Callbacks: hooks into `fit`. A callback is any object with some of `onTrainBegin`,
 * `onEpochBegin`, `onBatchBegin`, `onBatchEnd`, `onEpochEnd`, `onTrainEnd` (each may be async);
 * `model.stopTraining = true` ends training after the current batch. The built-ins are
 * `callbacks.earlyStopping`, `reduceLROnPlateau`, `terminateOnNaN` and `csvLogger`.
 * Epochs and batches passed to hooks count from 0, as in Keras.
 */

import type { LayersModel } from '../nn/model.js';
import type { TrainingParams } from './history.js';

/** Values logged per batch or epoch: loss, metrics, val_ versions (numbers), size and batch. */
export type Logs = Record<string, number>;

export interface CallbackModel extends LayersModel {
  stopTraining: boolean;
}

/**
 * What fit accepts as a callback: any object with some of the hooks (TensorFlow.js'
 * CustomCallbackArgs), or an instance of a callback class.
 */
export interface CallbackHooks {
  /** set by fit before onTrainBegin */
  model?: LayersModel;
  params?: TrainingParams;
  setModel?(model: LayersModel): void;
  setParams?(params: TrainingParams): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  /** called when fit lets other work run (see fit's yieldEvery), with the epoch, batch and logs so far */
  onYield?(epoch: number, batch: number, logs: Logs): void | Promise<void>;
}

/** TensorFlow.js' name for a callback given as an object of hooks. */
export type CustomCallbackArgs = CallbackHooks;

type Hook = 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd' | 'onYield';
const HOOKS: Hook[] = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onYield'];

/** Runs every callback's hook in order, awaiting each. */
export class CallbackList {
  readonly callbacks: CallbackHooks[];

  private model?: LayersModel;
  private params?: TrainingParams;

  constructor(callbacks: CallbackHooks[] | CallbackHooks | undefined, model?: LayersModel, params?: TrainingParams) {
    const list = callbacks === undefined || callbacks === null ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
    list.forEach((c, i) => {
      if (c === null || typeof c !== 'object') {
        throw new Error(`fit: callbacks[${i}] must be an object with hooks such as onEpochEnd, got ${c === null ? 'null' : typeof c}`);
      }
      const bad = Object.keys(c).filter((k) => /^on[A-Z]/.test(k) && !HOOKS.includes(k as Hook));
      if (bad.length) throw new Error(`fit: callbacks[${i}] has unknown hook ${bad[0]}; known: ${HOOKS.join(', ')}`);
      for (const h of HOOKS) {
        if (c[h] !== undefined && typeof c[h] !== 'function') throw new Error(`fit: callbacks[${i}].${h} must be a function`);
      }
    });
    this.callbacks = list;
    if (model) this.setModel(model);
    if (params) this.setParams(params);
  }

  /** Adds a callback at the end (it gets the model and params already set). */
  append(callback: CallbackHooks): void {
    this.callbacks.push(callback);
    if (this.model) attachModel(callback, this.model);
    if (this.params) attachParams(callback, this.params);
  }

  /** Hands every callback the model being trained. */
  setModel(model: LayersModel): void {
    this.model = model;
    for (const c of this.callbacks) attachModel(c, model);
  }

  /** Hands every callback the training parameters (epochs, steps, metrics...). */
  setParams(params: TrainingParams): void {
    this.params = params;
    for (const c of this.callbacks) attachParams(c, params);
  }

  private async run(hook: Hook, ...args: unknown[]): Promise<void> {
    for (const c of this.callbacks) {
      const fn = c[hook] as ((...a: unknown[]) => unknown) | undefined;
      if (fn) await fn.apply(c, args);
    }
  }

  onTrainBegin(logs: Logs = {}): Promise<void> { return this.run('onTrainBegin', logs); }
  onTrainEnd(logs: Logs = {}): Promise<void> { return this.run('onTrainEnd', logs); }
  onEpochBegin(epoch: number, logs: Logs = {}): Promise<void> { return this.run('onEpochBegin', epoch, logs); }
  onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> { return this.run('onEpochEnd', epoch, logs); }
  onBatchBegin(batch: number, logs: Logs = {}): Promise<void> { return this.run('onBatchBegin', batch, logs); }
  onBatchEnd(batch: number, logs: Logs = {}): Promise<void> { return this.run('onBatchEnd', batch, logs); }
  onYield(epoch: number, batch: number, logs: Logs = {}): Promise<void> { return this.run('onYield', epoch, batch, logs); }
  /**
   * Whether any callback listens to batch ends or yields, which get the running loss and metrics
   * (without one, fit on a GPU reads them at the epoch's end only). A callback that reads them
   * only now and then, during its onBatchEnd (`readsBatchLogsLazily`, the progress bar), does not
   * count: it gets values read back when it looks.
   */
  get wantsBatchLogs(): boolean {
    return this.callbacks.some((c) => typeof c.onYield === 'function' ||
      (typeof c.onBatchEnd === 'function' && !(c as { readsBatchLogsLazily?: boolean }).readsBatchLogsLazily));
  }
  /** Whether any callback listens for onYield (so fit need not track when it yields otherwise). */
  get wantsYield(): boolean {
    return this.callbacks.some((c) => typeof c.onYield === 'function');
  }
}

function attachModel(c: CallbackHooks, model: LayersModel): void {
  if (c.setModel) c.setModel(model);
  else c.model = model;
}

function attachParams(c: CallbackHooks, params: TrainingParams): void {
  if (c.setParams) c.setParams(params);
  else c.params = params;
}

/** A base for built-in callbacks: keeps the model and params. */
export abstract class BaseCallback implements CallbackHooks {
  model?: LayersModel;
  params?: TrainingParams;

  setModel(model: LayersModel): void {
    this.model = model;
  }

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  protected get trainingModel(): CallbackModel {
    if (!this.model) throw new Error(`${this.constructor.name}: not attached to a model (pass it in fit's callbacks)`);
    return this.model as CallbackModel;
  }
}

export type Mode = 'auto' | 'min' | 'max';

/** Whether larger is better for `monitor` under `mode` ('auto': accuracies and AUC are maximised). */
export function maximises(owner: string, monitor: string, mode: Mode): boolean {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') {
    throw new Error(`${owner}: mode must be 'auto', 'min' or 'max', got ${JSON.stringify(mode)}`);
  }
  if (mode === 'auto') return /(^|_)(acc|accuracy|auc|precision|recall)$/.test(monitor) || /accuracy$/i.test(monitor);
  return mode === 'max';
}

export function checkNumber(owner: string, name: string, value: unknown, min: number, integer = false): number {
  if (typeof value !== 'number' || !(value >= min) || (integer && !Number.isInteger(value))) {
    throw new Error(`${owner}: ${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}


/**
 * TensorFlow.js' `Callback`: the class to extend for a callback of one's own; override the
 * hooks wanted (`async onEpochEnd(epoch, logs) {...}`), `this.model` is the model being fitted.
 */
export class Callback extends BaseCallback {
  // the hooks do nothing until overridden
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
}

/** TensorFlow.js' `CustomCallback`: a callback made from an object of hook functions. */
export class CustomCallback extends Callback {
  constructor(args: CustomCallbackArgs) {
    super();
    if (args === null || typeof args !== 'object') {
      throw new Error(`CustomCallback: expected an object of hooks such as {onEpochEnd}, got ${args === null ? 'null' : typeof args}`);
    }
    for (const key of Object.keys(args)) {
      if (!HOOKS.includes(key as Hook)) {
        throw new Error(`CustomCallback: unknown hook "${key}"; the hooks are ${HOOKS.join(', ')}`);
      }
      const fn = args[key as Hook];
      if (fn !== undefined && typeof fn !== 'function') throw new Error(`CustomCallback: ${key} must be a function, got ${typeof fn}`);
      if (fn) (this as unknown as Record<string, unknown>)[key] = fn;
    }
  }
}

type CallbackConstructor = new () => CallbackHooks;
const registeredConstructors = new Map<number, CallbackConstructor[]>();

/**
 * Adds a callback class that every fit and fitDataset run with `verbose >= verbosityLevel`
 * makes a fresh instance of (TensorFlow.js' registerCallbackConstructor).
 *
 * @example
 * ```ts
 * class Quiet extends st.Callback {}
 * st.registerCallbackConstructor(1, Quiet); // added to every fit with verbose >= 1
 * ```
 */
export function registerCallbackConstructor(verbosityLevel: number, callbackConstructor: CallbackConstructor): void {
  if (!Number.isInteger(verbosityLevel) || verbosityLevel < 0) {
    throw new Error(`registerCallbackConstructor: verbosityLevel must be a non-negative integer, got ${JSON.stringify(verbosityLevel)}`);
  }
  if (typeof callbackConstructor !== 'function') {
    throw new Error(`registerCallbackConstructor: expected a callback class, got ${typeof callbackConstructor}`);
  }
  const list = registeredConstructors.get(verbosityLevel) ?? [];
  if (list.includes(callbackConstructor)) {
    throw new Error(`registerCallbackConstructor: ${callbackConstructor.name || 'this class'} is already registered at verbosity ${verbosityLevel}`);
  }
  registeredConstructors.set(verbosityLevel, [...list, callbackConstructor]);
}

/** Fresh instances of the registered callback classes for a run at `verbose`. */
export function registeredCallbacks(verbose: number): CallbackHooks[] {
  return [...registeredConstructors.entries()].sort(([a], [b]) => a - b)
    .filter(([level]) => verbose >= level).flatMap(([, ctors]) => ctors.map((C) => new C()));
}
