/**
 * Training for models: adds `compile`, `fit`, `fitDataset`, `evaluateDataset`, `evaluate`, `predict`,
 * `predictClasses` and the `optimizer`, `loss`, `stopTraining` fields to `LayersModel` (and so
 * to `Sequential`), and exports the callbacks and `History`.
 */
import { LayersModel } from '../nn/model.js';
import type { Optimizer } from '../optim/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { CompileArgs, LossIdentifier, compileModel, getCompiled, isCompiled, setOptimizer } from './compile.js';
import { predictOnBatch, trainOnBatch } from './model_api.js';
import { FitArgs, fit } from './fit.js';
import { Dataset, EvaluateDatasetArgs, FitDatasetArgs, evaluateDataset, fitDataset } from './dataset.js';
import { EvaluateArgs, PredictArgs, evaluate, predict, predictClasses } from './evaluate.js';
import type { History } from './history.js';

export { History, type TrainingParams } from './history.js';
export {
  callbacks, BaseCallback, CallbackList, EarlyStopping, ReduceLROnPlateau, TerminateOnNaN, CSVLogger,
  Callback, CustomCallback, registerCallbackConstructor,
  type CallbackHooks, type CustomCallbackArgs, type Logs, type EarlyStoppingArgs, type ReduceLROnPlateauArgs, type CSVLoggerArgs,
} from './callbacks.js';
export { nextFrame, type YieldEvery } from './fit.js';
export { ProgressLogger, setOutput as setProgressOutput, type ProgressOutput } from './progress.js';
export type { CompileArgs, LossIdentifier, MetricIdentifier, LossFn, MetricFn } from './compile.js';
export type { FitArgs, FitResumeState } from './fit.js';
export { fitProgress } from './fit.js';
export type { FitDatasetArgs, EvaluateDatasetArgs, Dataset, Batch } from './dataset.js';
export type { EvaluateArgs, PredictArgs } from './evaluate.js';

declare module '../nn/model.js' {
  interface LayersModel {
    /** set by compile; assigning replaces the optimizer of a compiled model */
    optimizer: Optimizer | undefined;
    /** the loss given to compile (a name or function; a list for several outputs) */
    readonly loss: LossIdentifier | LossIdentifier[] | undefined;
    /** set it to true (from a callback) to end fit after the current batch */
    stopTraining: boolean;
    /** 'loss' then the metrics' names, as evaluate returns them */
    readonly metricsNames: string[];
    compile(args: CompileArgs): void;
    fit(x: Tensor | Tensor[], y: Tensor | Tensor[], args?: FitArgs): Promise<History>;
    fitDataset(dataset: Dataset, args?: FitDatasetArgs): Promise<History>;
    evaluateDataset(dataset: Dataset, args?: EvaluateDatasetArgs): Promise<Tensor | Tensor[]>;
    evaluate(x: Tensor | Tensor[], y: Tensor | Tensor[], args?: EvaluateArgs): Tensor | Tensor[];
    predict(x: Tensor | Tensor[], args?: PredictArgs): Tensor | Tensor[];
    predictClasses(x: Tensor | Tensor[], args?: PredictArgs): Tensor;
    /** one optimizer step; the loss, or [loss, ...metrics] */
    trainOnBatch(x: Tensor | Tensor[], y: Tensor | Tensor[]): Promise<number | number[]>;
    /** the outputs for x in one pass */
    predictOnBatch(x: Tensor | Tensor[]): Tensor | Tensor[];
    /** loss (and metrics) over a dataset's batches */
    evaluateDataset(dataset: Dataset, args?: EvaluateDatasetArgs): Promise<Tensor | Tensor[]>;
  }
}

const proto = LayersModel.prototype as unknown as Record<string, unknown>;

const methods: Record<string, (this: LayersModel, ...args: never[]) => unknown> = {
  compile(this: LayersModel, args: CompileArgs) { compileModel(this, args); },
  fit(this: LayersModel, x: Tensor | Tensor[], y: Tensor | Tensor[], args?: FitArgs) { return fit(this, x, y, args); },
  fitDataset(this: LayersModel, dataset: Dataset, args?: FitDatasetArgs) { return fitDataset(this, dataset, args); },
  evaluateDataset(this: LayersModel, dataset: Dataset, args?: EvaluateDatasetArgs) { return evaluateDataset(this, dataset, args); },
  evaluate(this: LayersModel, x: Tensor | Tensor[], y: Tensor | Tensor[], args?: EvaluateArgs) { return evaluate(this, x, y, args); },
  predict(this: LayersModel, x: Tensor | Tensor[], args?: PredictArgs) { return predict(this, x, args); },
  predictClasses(this: LayersModel, x: Tensor | Tensor[], args?: PredictArgs) { return predictClasses(this, x, args); },
  trainOnBatch(this: LayersModel, x: Tensor | Tensor[], y: Tensor | Tensor[]) { return trainOnBatch(this, x, y); },
  predictOnBatch(this: LayersModel, x: Tensor | Tensor[]) { return predictOnBatch(this, x); },
};
for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
}

Object.defineProperty(proto, 'optimizer', {
  get(this: LayersModel) { return isCompiled(this) ? getCompiled(this, 'optimizer').optimizer : undefined; },
  set(this: LayersModel, optimizer: Optimizer | string) { setOptimizer(this, optimizer); },
  configurable: true,
});
Object.defineProperty(proto, 'loss', {
  get(this: LayersModel) {
    if (!isCompiled(this)) return undefined;
    const ids = getCompiled(this, 'loss').lossIdentifiers;
    return ids.length === 1 ? ids[0] : ids;
  },
  configurable: true,
});
Object.defineProperty(proto, 'metricsNames', {
  get(this: LayersModel) {
    return isCompiled(this) ? ['loss', ...getCompiled(this, 'metricsNames').metrics.map((m) => m.name)] : ['loss'];
  },
  configurable: true,
});
const stopFlags = new WeakMap<LayersModel, boolean>();
Object.defineProperty(proto, 'stopTraining', {
  get(this: LayersModel) { return stopFlags.get(this) ?? false; },
  set(this: LayersModel, v: boolean) { stopFlags.set(this, !!v); },
  configurable: true,
});
