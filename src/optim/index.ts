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

export { Optimizer, type OptimizerOptions, type GradientsInput, type NamedTensor } from './optimizer.js';
export * from './tfjs_optimizers.js';
export * from './optimizers.js';
export * as schedules from './schedules.js';
export type { LearningRate, Schedule } from './schedules.js';

const byName: Record<string, (options?: object) => Optimizer> = {
  sgd: (o) => new SGD(o),
  adam: (o) => new Adam(o),
  adamw: (o) => new AdamW(o),
  adamax: (o) => new Adamax(o),
  rmsprop: (o) => new RMSprop(o),
  adagrad: (o) => new Adagrad(o),
  adadelta: (o) => new Adadelta(o),
};

/** Keras-style constructors and lookup by name (`optimizers.get('adam')`). */
export const optimizers = {
  sgd: (o?: SGDOptions) => new SGD(o),
  adam: (o?: AdamOptions) => new Adam(o),
  adamw: (o?: AdamWOptions) => new AdamW(o),
  adamax: (o?: AdamOptions) => new Adamax(o),
  rmsprop: (o?: RMSpropOptions) => new RMSprop(o),
  adagrad: (o?: AdagradOptions) => new Adagrad(o),
  adadelta: (o?: AdadeltaOptions) => new Adadelta(o),
  /** An optimizer from a name (case-insensitive) with options, or the optimizer itself. */
  get(identifier: string | Optimizer, options?: object): Optimizer {
    if (identifier instanceof Optimizer) return identifier;
    const make = typeof identifier === 'string' ? byName[identifier.toLowerCase()] : undefined;
    if (!make) {
      throw new Error(`optimizers.get: unknown optimizer ${JSON.stringify(identifier)}; ` +
        `known: ${Object.keys(byName).join(', ')}`);
    }
    return make(options);
  },
};

/** TensorFlow.js' `tf.train.*` factories, positional arguments in its order and defaults. */
export const train = {
  sgd: (learningRate: LearningRate) => new SGDOptimizer(learningRate),
  momentum: (learningRate: LearningRate, momentum: number, useNesterov = false) =>
    new MomentumOptimizer(learningRate, momentum, useNesterov),
  adam: (learningRate: LearningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null) =>
    new AdamOptimizer(learningRate, beta1, beta2, epsilon),
  adamax: (learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null, decay = 0) =>
    new AdamaxOptimizer(learningRate, beta1, beta2, epsilon, decay),
  rmsprop: (learningRate: LearningRate, decay = 0.9, momentum = 0, epsilon: number | null = null, centered = false) =>
    new RMSPropOptimizer(learningRate, decay, momentum, epsilon, centered),
  adagrad: (learningRate: LearningRate, initialAccumulatorValue = 0.1) =>
    new AdagradOptimizer(learningRate, initialAccumulatorValue),
  adadelta: (learningRate: LearningRate = 0.001, rho = 0.95, epsilon: number | null = null) =>
    new AdadeltaOptimizer(learningRate, rho, epsilon),
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
