/**
 * What `compile` was given, as TensorFlow.js' `trainingConfig` (loss, metrics and
 * `optimizer_config` with TensorFlow.js' optimizer class names and option names), and the
 * optimizer's state (iterations and slot tensors), so that a loaded model trains on exactly
 * as the saved one would have.
 */
import { LayersModel as LayersModelClass, type LayersModel } from '../nn/model.js';
import { toCamelCase, toSnakeCase } from '../nn/serialization.js';
import { Adadelta, Adagrad, Adam, Adamax, AdamW, Optimizer, RMSprop, SGD } from '../optim/index.js';
import { getCompiled, isCompiled } from '../train/compile.js';
import type { Tensor, Variable } from '../tensor/tensor.js';

export interface TrainingConfig {
  loss: string | string[];
  metrics?: string[];
  optimizer_config: { class_name: string; config: Record<string, unknown> };
}

function clipping(o: Optimizer): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  if (o.clipNorm !== undefined) c.clipNorm = o.clipNorm;
  if (o.clipValue !== undefined) c.clipValue = o.clipValue;
  if (o.globalClipNorm !== undefined) c.globalClipNorm = o.globalClipNorm;
  return c;
}

/** `{class_name, config}` for an optimizer; TensorFlow.js reads the classes it has (all but AdamW). */
export function optimizerConfig(o: Optimizer): TrainingConfig['optimizer_config'] {
  // a schedule is a function and cannot be written; the rate in force now is
  const learningRate = o.currentLearningRate();
  const base = { learningRate, ...clipping(o) };
  if (o instanceof AdamW) {
    return { class_name: 'AdamW', config: { ...base, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, amsgrad: o.amsgrad, weightDecay: o.weightDecay } };
  }
  if (o instanceof Adam) return { class_name: 'Adam', config: { ...base, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, amsgrad: o.amsgrad } };
  if (o instanceof SGD) {
    return o.momentum > 0
      ? { class_name: 'Momentum', config: { ...base, momentum: o.momentum, useNesterov: o.nesterov } }
      : { class_name: 'SGD', config: base };
  }
  if (o instanceof Adamax) return { class_name: 'Adamax', config: { ...base, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, decay: 0 } };
  if (o instanceof RMSprop) {
    return { class_name: 'RMSProp', config: { ...base, decay: o.rho, momentum: o.momentum, epsilon: o.epsilon, centered: o.centered } };
  }
  if (o instanceof Adagrad) {
    return { class_name: 'Adagrad', config: { ...base, initialAccumulatorValue: o.initialAccumulatorValue, epsilon: o.epsilon } };
  }
  if (o instanceof Adadelta) return { class_name: 'Adadelta', config: { ...base, rho: o.rho, epsilon: o.epsilon } };
  throw new Error(`save: cannot write optimizer "${o.name}" (${o.constructor.name}) into a model file`);
}

/** An optimizer from `optimizer_config`; `where` names the file in errors. */
export function optimizerFromConfig(spec: TrainingConfig['optimizer_config'], where: string): Optimizer {
  const c = (spec?.config ?? {}) as Record<string, number & boolean>;
  const clip = { clipNorm: c.clipNorm, clipValue: c.clipValue, globalClipNorm: c.globalClipNorm };
  const lr = { learningRate: c.learningRate, ...clip };
  switch (spec?.class_name) {
    case 'Adam': return new Adam({ ...lr, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon, amsgrad: c.amsgrad });
    case 'AdamW': return new AdamW({ ...lr, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon, amsgrad: c.amsgrad, weightDecay: c.weightDecay });
    case 'SGD': return new SGD(lr);
    case 'Momentum': return new SGD({ ...lr, momentum: c.momentum, nesterov: c.useNesterov });
    case 'Adamax': return new Adamax({ ...lr, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon });
    case 'RMSProp': return new RMSprop({ ...lr, rho: c.decay, momentum: c.momentum, epsilon: c.epsilon, centered: c.centered });
    case 'Adagrad': return new Adagrad({ ...lr, initialAccumulatorValue: c.initialAccumulatorValue, epsilon: c.epsilon });
    case 'Adadelta': return new Adadelta({ ...lr, rho: c.rho, epsilon: c.epsilon });
    default:
      throw new Error(`${where}: unsupported optimizer class ${JSON.stringify(spec?.class_name)} in trainingConfig ` +
        `(striate reads Adam, AdamW, SGD, Momentum, Adamax, RMSProp, Adagrad, Adadelta)`);
  }
}

/** The training config of a compiled model, or null when it cannot be written (custom loss) or is not compiled. */
export function trainingConfigOf(model: LayersModel): TrainingConfig | null {
  if (!isCompiled(model)) return null;
  const c = getCompiled(model, 'save');
  if (c.lossNames.some((n) => n === null)) return null;
  const losses = c.lossNames.map((n) => toSnakeCase(n!));
  const metrics = c.metrics.map((m) => (m.name === 'acc' ? 'accuracy' : toSnakeCase(m.name)));
  return {
    loss: losses.length === 1 ? losses[0] : losses,
    metrics,
    optimizer_config: optimizerConfig(c.optimizer),
  };
}

/** Compiles `model` as `config` says. */
export function compileFromTrainingConfig(model: LayersModel, config: TrainingConfig, where: string): void {
  if (!config || typeof config !== 'object' || config.loss === undefined) {
    throw new Error(`${where}: trainingConfig has no loss`);
  }
  const loss = Array.isArray(config.loss) ? config.loss.map(toCamelCase) : toCamelCase(config.loss);
  const metrics = Array.isArray(config.metrics) ? config.metrics.map(toCamelCase) : undefined;
  const optimizer = optimizerFromConfig(config.optimizer_config, where);
  try {
    model.compile({ optimizer, loss, metrics });
  } catch (e) {
    throw new Error(`${where}: cannot compile the model with its trainingConfig: ${(e as Error).message}`);
  }
}

/** The optimizer's state as named tensors: `${variable}/slot${i}` for each slot of each variable. */
export function optimizerState(o: Optimizer): { iterations: number; tensors: { name: string; tensor: Tensor }[] } {
  const variables = o.stateVariables();
  const state = o.getState(variables);
  const tensors: { name: string; tensor: Tensor }[] = [];
  variables.forEach((v, k) => state.slots[k].forEach((t, i) => tensors.push({ name: `${v.name}/slot${i}`, tensor: t })));
  return { iterations: state.iterations, tensors };
}

/** Puts saved state into `o` for the variables of `variables`, by name. */
export function restoreOptimizerState(o: Optimizer, variables: Variable[], iterations: number,
  tensors: Map<string, Tensor>, where: string): void {
  const used = new Set<string>();
  const withState: Variable[] = [];
  const slots: Tensor[][] = [];
  for (const v of variables) {
    const list: Tensor[] = [];
    for (let i = 0; tensors.has(`${v.name}/slot${i}`); i++) {
      const name = `${v.name}/slot${i}`;
      const t = tensors.get(name)!;
      if (t.shape.join() !== v.shape.join()) {
        throw new Error(`${where}: optimizer state "${name}" has shape [${t.shape}], the variable has [${v.shape}]`);
      }
      list.push(t);
      used.add(name);
    }
    if (list.length > 0) {
      withState.push(v);
      slots.push(list);
    }
  }
  const stray = [...tensors.keys()].filter((n) => !used.has(n));
  if (stray.length > 0) throw new Error(`${where}: optimizer state for variables the model does not have: ${stray.slice(0, 5).join(', ')}`);
  o.reset();
  try {
    o.setState(withState, { iterations, slots });
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

// ---- TensorFlow.js' model.getTrainingConfig() / model.loadTrainingConfig(config) ----

declare module '../nn/model.js' {
  interface LayersModel {
    /** What compile was given, as model.json's trainingConfig (loss, metrics, optimizer_config). */
    getTrainingConfig(): TrainingConfig;
    /** Compiles the model as a trainingConfig (from getTrainingConfig or a model.json) says. */
    loadTrainingConfig(trainingConfig: TrainingConfig): void;
  }
}

Object.defineProperty(LayersModelClass.prototype, 'getTrainingConfig', {
  value: function getTrainingConfig(this: LayersModel): TrainingConfig {
    const door = `model "${this.name}".getTrainingConfig`;
    if (!isCompiled(this)) throw new Error(`${door}: the model is not compiled yet; call model.compile(...) first`);
    const config = trainingConfigOf(this);
    if (!config) throw new Error(`${door}: a loss given as a function cannot be written into a training config`);
    return config;
  },
  writable: true, configurable: true,
});

Object.defineProperty(LayersModelClass.prototype, 'loadTrainingConfig', {
  value: function loadTrainingConfig(this: LayersModel, trainingConfig: TrainingConfig): void {
    const door = `model "${this.name}".loadTrainingConfig`;
    for (const key of ['weighted_metrics', 'loss_weights', 'sample_weight_mode'] as const) {
      if ((trainingConfig as unknown as Record<string, unknown>)?.[key] != null) {
        throw new Error(`${door}: ${key} is not supported (nor by TensorFlow.js)`);
      }
    }
    compileFromTrainingConfig(this, trainingConfig, door);
  },
  writable: true, configurable: true,
});
