/** `st.optimizers` (Keras-style options, and by name) and `st.train` (TensorFlow.js' positional factories). */
import {
  Adadelta, Adagrad, Adam, Adamax, AdamW, RMSprop, SGD,
  type AdadeltaOptions, type AdagradOptions, type AdamOptions, type AdamWOptions, type RMSpropOptions,
  type SGDOptions,
} from './optimizers.js';
import { Optimizer } from './optimizer.js';
import {
  AdadeltaOptimizer, AdagradOptimizer, AdamOptimizer, AdamaxOptimizer, MomentumOptimizer, RMSPropOptimizer, SGDOptimizer,
} from './tfjs_optimizers.js';
import { registerClass } from '../tensor/serializable.js';
import type { LearningRate } from './schedules.js';
import { nearestName, strictFactory, typedArgs, type ArgSpec } from '../tensor/options.js';

export { Optimizer, type OptimizerOptions, type GradientsInput, type NamedTensor } from './optimizer.js';
export * from './tfjs_optimizers.js';
export * from './optimizers.js';
export * as schedules from './schedules.js';
export type { LearningRate, Schedule } from './schedules.js';

/** Keras-style option keys of each optimizer (learningRate and the clipping options are shared). */
const COMMON = ['learningRate', 'clipNorm', 'clipValue', 'globalClipNorm'];
const ADAM = [...COMMON, 'beta1', 'beta2', 'epsilon', 'amsgrad'];
const strict = <O extends object, T>(name: string, keys: readonly string[], make: (o?: O) => T) =>
  strictFactory(`optimizers.${name}`, keys, make);

const byName: Record<string, (options?: object) => Optimizer> = {
  sgd: strict('sgd', [...COMMON, 'momentum', 'nesterov'], (o?: SGDOptions) => new SGD(o)),
  adam: strict('adam', ADAM, (o?: AdamOptions) => new Adam(o)),
  adamw: strict('adamw', [...ADAM, 'weightDecay'], (o?: AdamWOptions) => new AdamW(o)),
  adamax: strict('adamax', ADAM, (o?: AdamOptions) => new Adamax(o)),
  rmsprop: strict('rmsprop', [...COMMON, 'rho', 'momentum', 'epsilon', 'centered'], (o?: RMSpropOptions) => new RMSprop(o)),
  adagrad: strict('adagrad', [...COMMON, 'initialAccumulatorValue', 'epsilon'], (o?: AdagradOptions) => new Adagrad(o)),
  adadelta: strict('adadelta', [...COMMON, 'rho', 'epsilon'], (o?: AdadeltaOptions) => new Adadelta(o)),
};

/**
 * Keras-style constructors (options checked) and lookup by name (`optimizers.get('adam')`).
 * @namespace
 */
export const optimizers = {
  /**
   * @example
   * ```ts
   * const opt = st.optimizers.sgd({ learningRate: 0.1 });
   * const w = st.variable(st.tensor1d([1]));
   * opt.minimize(() => st.sum(st.square(w)));
   * w.print(); // [0.8]
   * ```
   */
  sgd: byName.sgd as (o?: SGDOptions) => SGD,
  /**
   * @example
   * ```ts
   * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [1] })] });
   * model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
   * ```
   */
  adam: byName.adam as (o?: AdamOptions) => Adam,
  /**
   * @example
   * ```ts
   * const opt = st.optimizers.adamw({ learningRate: 0.001, weightDecay: 0.01 });
   * console.log(opt.getClassName());
   * ```
   */
  adamw: byName.adamw as (o?: AdamWOptions) => AdamW,
  /**
   * @example
   * ```ts
   * const opt = st.optimizers.adamax({ learningRate: 0.002 });
   * console.log(opt.getClassName());
   * ```
   */
  adamax: byName.adamax as (o?: AdamOptions) => Adamax,
  /**
   * @example
   * ```ts
   * const opt = st.optimizers.rmsprop({ learningRate: 0.001 });
   * console.log(opt.getClassName());
   * ```
   */
  rmsprop: byName.rmsprop as (o?: RMSpropOptions) => RMSprop,
  /**
   * @example
   * ```ts
   * const opt = st.optimizers.adagrad({ learningRate: 0.01 });
   * console.log(opt.getClassName());
   * ```
   */
  adagrad: byName.adagrad as (o?: AdagradOptions) => Adagrad,
  /**
   * @example
   * ```ts
   * const opt = st.optimizers.adadelta({ learningRate: 1 });
   * console.log(opt.getClassName());
   * ```
   */
  adadelta: byName.adadelta as (o?: AdadeltaOptions) => Adadelta,
  /**
   * An optimizer from a name (case-insensitive) with options, or the optimizer itself.
   *
   * @example
   * ```ts
   * const opt = st.optimizers.get('adam', { learningRate: 0.01 });
   * console.log(opt.getClassName());
   * ```
   */
  get(identifier: string | Optimizer, options?: object): Optimizer {
    if (identifier instanceof Optimizer) return identifier;
    const make = typeof identifier === 'string' ? byName[identifier.toLowerCase()] : undefined;
    if (!make) {
      const near = typeof identifier === 'string' ? nearestName(identifier, Object.keys(byName)) : undefined;
      throw new Error(`optimizers.get: unknown optimizer ${JSON.stringify(identifier)}; ` +
        (near ? `did you mean "${near}"?` : `known: ${Object.keys(byName).join(', ')}`));
    }
    return make(options);
  },
};

/** `st.train.*`'s positional parameters, checked before the optimizer is made. */
const LR: ArgSpec = ['learningRate', 'number|function'];
const EPSILON: ArgSpec = ['epsilon', 'number?'];

/**
 * TensorFlow.js' `tf.train.*` factories, positional arguments in its order and defaults.
 * @namespace
 */
export const train = {
  /**
   * @example
   * ```ts
   * const w = st.variable(st.tensor1d([1]));
   * st.train.sgd(0.1).minimize(() => st.sum(st.square(w)));
   * w.print(); // [0.8]
   * ```
   */
  sgd: typedArgs('train.sgd', [LR], (learningRate: LearningRate) => new SGDOptimizer(learningRate)),
  /**
   * @example
   * ```ts
   * const w = st.variable(st.tensor1d([1]));
   * st.train.momentum(0.1, 0.9).minimize(() => st.sum(st.square(w)));
   * w.print();
   * ```
   */
  momentum: typedArgs('train.momentum', [LR, ['momentum', 'number'], ['useNesterov', 'boolean?']],
    (learningRate: LearningRate, momentum: number, useNesterov = false) => new MomentumOptimizer(learningRate, momentum, useNesterov)),
  /**
   * @example
   * ```ts
   * const w = st.variable(st.tensor1d([1]));
   * const opt = st.train.adam(0.01);
   * for (let i = 0; i < 3; i++) opt.minimize(() => st.sum(st.square(w)));
   * w.print(); // about 0.97
   * ```
   */
  adam: typedArgs('train.adam', [['learningRate', 'number|function?'], ['beta1', 'number?'], ['beta2', 'number?'], EPSILON],
    (learningRate: LearningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null) =>
      new AdamOptimizer(learningRate, beta1, beta2, epsilon)),
  /**
   * @example
   * ```ts
   * const w = st.variable(st.tensor1d([1]));
   * st.train.adamax(0.01).minimize(() => st.sum(st.square(w)));
   * w.print();
   * ```
   */
  adamax: typedArgs('train.adamax', [['learningRate', 'number?'], ['beta1', 'number?'], ['beta2', 'number?'], EPSILON, ['decay', 'number?']],
    (learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null, decay = 0) =>
      new AdamaxOptimizer(learningRate, beta1, beta2, epsilon, decay)),
  /**
   * @example
   * ```ts
   * const w = st.variable(st.tensor1d([1]));
   * st.train.rmsprop(0.01).minimize(() => st.sum(st.square(w)));
   * w.print();
   * ```
   */
  rmsprop: typedArgs('train.rmsprop', [LR, ['decay', 'number?'], ['momentum', 'number?'], EPSILON, ['centered', 'boolean?']],
    (learningRate: LearningRate, decay = 0.9, momentum = 0, epsilon: number | null = null, centered = false) =>
      new RMSPropOptimizer(learningRate, decay, momentum, epsilon, centered)),
  /**
   * @example
   * ```ts
   * const w = st.variable(st.tensor1d([1]));
   * st.train.adagrad(0.1).minimize(() => st.sum(st.square(w)));
   * w.print();
   * ```
   */
  adagrad: typedArgs('train.adagrad', [LR, ['initialAccumulatorValue', 'number?']],
    (learningRate: LearningRate, initialAccumulatorValue = 0.1) => new AdagradOptimizer(learningRate, initialAccumulatorValue)),
  /**
   * @example
   * ```ts
   * const w = st.variable(st.tensor1d([1]));
   * st.train.adadelta(1).minimize(() => st.sum(st.square(w)));
   * w.print();
   * ```
   */
  adadelta: typedArgs('train.adadelta', [['learningRate', 'number|function?'], ['rho', 'number?'], EPSILON],
    (learningRate: LearningRate = 0.001, rho = 0.95, epsilon: number | null = null) => new AdadeltaOptimizer(learningRate, rho, epsilon)),
};

// model files and serialization.deserialize-style lookups find the optimizers by TensorFlow.js' names
for (const cls of [SGDOptimizer, MomentumOptimizer, AdamOptimizer, AdamaxOptimizer, RMSPropOptimizer, AdagradOptimizer, AdadeltaOptimizer]) {
  registerClass(cls as never);
}

/** TensorFlow.js' `OptimizerConstructors`: the `tf.train` factories as static methods. */
export class OptimizerConstructors {
  static sgd = train.sgd;
  static momentum = train.momentum;
  static adam = train.adam;
  static adamax = train.adamax;
  static rmsprop = train.rmsprop;
  static adagrad = train.adagrad;
  static adadelta = train.adadelta;
}
