/**
 * TensorFlow.js' optimizer classes, with its positional constructors (`new AdamOptimizer(0.01,
 * 0.9, 0.999)`) and class names, over striate's optimizers: the update rules stay Keras 3's
 * (DESIGN.md), where TensorFlow.js differs in small ways (where epsilon sits, Adagrad's start).
 * `st.train.*` makes these.
 */
import { Adadelta, Adagrad, Adam, Adamax, RMSprop, SGD } from './optimizers.js';
import type { LearningRate } from './schedules.js';
import type { ConfigDict, Serializable, SerializableConstructor } from '../tensor/serializable.js';

type Positional<T extends Serializable> = SerializableConstructor<T> & (new (...args: unknown[]) => T);
const num = (config: ConfigDict, key: string): number | undefined => (typeof config[key] === 'number' ? config[key] as number : undefined);

/** Plain gradient descent: `new SGDOptimizer(learningRate)`. */
export class SGDOptimizer extends SGD {
  static override className = 'SGD';
  constructor(learningRate: LearningRate) {
    super({ learningRate });
  }
  static override fromConfig<T extends Serializable>(cls: SerializableConstructor<T>, config: ConfigDict): T {
    return new (cls as Positional<T>)(num(config, 'learningRate'));
  }
}

/** Gradient descent with momentum: `new MomentumOptimizer(learningRate, momentum, useNesterov)`. */
export class MomentumOptimizer extends SGD {
  static override className = 'Momentum';
  constructor(learningRate: LearningRate, momentum: number, useNesterov = false) {
    if (typeof momentum !== 'number') throw new Error(`MomentumOptimizer: momentum must be a number, got ${typeof momentum}`);
    super({ learningRate, momentum, nesterov: useNesterov });
  }
  // TensorFlow.js names this class Momentum even when the momentum is 0
  override getClassName(): string {
    return 'Momentum';
  }
  override getConfig(): Record<string, unknown> {
    return { learningRate: this.currentLearningRate(), momentum: this.momentum, useNesterov: this.nesterov };
  }
  static override fromConfig<T extends Serializable>(cls: SerializableConstructor<T>, config: ConfigDict): T {
    return new (cls as Positional<T>)(num(config, 'learningRate'), num(config, 'momentum'), config.useNesterov === true);
  }
}

/** `new AdamOptimizer(learningRate, beta1, beta2, epsilon?)`. */
export class AdamOptimizer extends Adam {
  static override className = 'Adam';
  constructor(learningRate: LearningRate, beta1: number, beta2: number, epsilon?: number | null) {
    super({ learningRate, beta1, beta2, epsilon: epsilon ?? undefined });
  }
  static override fromConfig<T extends Serializable>(cls: SerializableConstructor<T>, config: ConfigDict): T {
    return new (cls as Positional<T>)(num(config, 'learningRate'), num(config, 'beta1'), num(config, 'beta2'), num(config, 'epsilon'));
  }
}

/**
 * `new AdamaxOptimizer(learningRate, beta1, beta2, epsilon?, decay = 0)`; `decay` shrinks the
 * rate as TensorFlow.js does, learningRate / (1 + decay * iterations).
 */
export class AdamaxOptimizer extends Adamax {
  static override className = 'Adamax';
  readonly decay: number;
  private readonly baseRate: number;
  constructor(learningRate: number, beta1: number, beta2: number, epsilon?: number | null, decay = 0) {
    if (typeof decay !== 'number' || !(decay >= 0)) throw new Error(`AdamaxOptimizer: decay must be a number >= 0, got ${decay}`);
    const rate: LearningRate = decay === 0 ? learningRate
      : Object.assign((step: number) => learningRate / (1 + decay * step), { scheduleName: 'adamaxDecay' });
    super({ learningRate: rate, beta1, beta2, epsilon: epsilon ?? undefined });
    this.decay = decay;
    this.baseRate = learningRate;
  }
  override getConfig(): Record<string, unknown> {
    // the base rate, not the decayed one in force now
    return { ...super.getConfig(), learningRate: this.baseRate, decay: this.decay };
  }
  static override fromConfig<T extends Serializable>(cls: SerializableConstructor<T>, config: ConfigDict): T {
    return new (cls as Positional<T>)(num(config, 'learningRate'), num(config, 'beta1'), num(config, 'beta2'),
      num(config, 'epsilon'), num(config, 'decay') ?? 0);
  }
}

/** `new RMSPropOptimizer(learningRate, decay = 0.9, momentum = 0, epsilon?, centered = false)`. */
export class RMSPropOptimizer extends RMSprop {
  static override className = 'RMSProp';
  constructor(learningRate: LearningRate, decay = 0.9, momentum = 0, epsilon?: number | null, centered = false) {
    super({ learningRate, rho: decay, momentum, epsilon: epsilon ?? undefined, centered });
  }
  static override fromConfig<T extends Serializable>(cls: SerializableConstructor<T>, config: ConfigDict): T {
    return new (cls as Positional<T>)(num(config, 'learningRate'), num(config, 'decay'), num(config, 'momentum'),
      num(config, 'epsilon'), config.centered === true);
  }
}

/** `new AdagradOptimizer(learningRate, initialAccumulatorValue = 0.1)`. */
export class AdagradOptimizer extends Adagrad {
  static override className = 'Adagrad';
  constructor(learningRate: LearningRate, initialAccumulatorValue = 0.1) {
    super({ learningRate, initialAccumulatorValue });
  }
  static override fromConfig<T extends Serializable>(cls: SerializableConstructor<T>, config: ConfigDict): T {
    return new (cls as Positional<T>)(num(config, 'learningRate'), num(config, 'initialAccumulatorValue'));
  }
}

/** `new AdadeltaOptimizer(learningRate, rho, epsilon?)`. */
export class AdadeltaOptimizer extends Adadelta {
  static override className = 'Adadelta';
  constructor(learningRate: LearningRate, rho: number, epsilon?: number | null) {
    super({ learningRate, rho, epsilon: epsilon ?? undefined });
  }
  static override fromConfig<T extends Serializable>(cls: SerializableConstructor<T>, config: ConfigDict): T {
    return new (cls as Positional<T>)(num(config, 'learningRate'), num(config, 'rho'), num(config, 'epsilon'));
  }
}
