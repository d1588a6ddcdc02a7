/** The optimizers, with Keras 3's update formulas and defaults. */
import { fusedAdam, fusedSgdRmsprop } from './fused.js';
import { Tensor, Variable } from '../tensor/tensor.js';
import { fill, zerosLike } from '../tensor/creation.js';
import { abs, add, div, maximum, mul, sqrt, square, sub } from '../ops/arithmetic.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

function check(name: string, what: string, v: number, lo: number, hi: number, loOpen = false): void {
  if (typeof v !== 'number' || Number.isNaN(v) || (loOpen ? v <= lo : v < lo) || v > hi) {
    throw new Error(`${name}: ${what} must be in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${v}`);
  }
}

export interface SGDOptions extends OptimizerOptions {
  momentum?: number;
  nesterov?: boolean;
}

/** Plain SGD: p -= lr g. With momentum (the seeds'): v = m v - lr g; p += v. Nesterov: p += m v - lr g. */
export class SGD extends Optimizer {
  static className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  constructor(options: SGDOptions = {}) {
    super('sgd', options, 0.01);
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    check('sgd', 'momentum', this.momentum, 0, 1);
  }
  /** TensorFlow.js has a class of its own for SGD with momentum. */
  override getClassName(): string {
    return this.momentum > 0 ? 'Momentum' : 'SGD';
  }
  override getConfig(): Record<string, unknown> {
    return this.momentum > 0 ? { ...super.getConfig(), momentum: this.momentum, useNesterov: this.nesterov } : super.getConfig();
  }
  protected makeSlots(v: Variable): Tensor[] {
    return this.momentum > 0 ? [zerosLike(v)] : [];
  }
  protected update(p: Variable, g: Tensor, slots: Tensor[], lr: number): void {
    if (this.momentum === 0) {
      p.assign(sub(p, mul(g, lr)));
      return;
    }
    if (!this.nesterov && fusedSgdRmsprop('sgdMomentum', p, g, slots[0], lr, this.momentum, 0)) return;
    const velocity = sub(mul(slots[0], this.momentum), mul(g, lr));
    slots[0] = velocity;
    p.assign(this.nesterov ? add(p, sub(mul(velocity, this.momentum), mul(g, lr))) : add(p, velocity));
  }
}

export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}

/**
 * Adam as Keras 3 writes it: m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
 * p -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps): epsilon is added to the square root
 * of the uncorrected second moment, the bias correction folded into the step size.
 */
export class Adam extends Optimizer {
  static className = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  constructor(options: AdamOptions = {}, name = 'adam') {
    super(name, options, 0.001);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.amsgrad = options.amsgrad ?? false;
    check(name, 'beta1', this.beta1, 0, 1);
    check(name, 'beta2', this.beta2, 0, 1);
    check(name, 'epsilon', this.epsilon, 0, Infinity);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
  protected makeSlots(v: Variable): Tensor[] {
    return this.amsgrad ? [zerosLike(v), zerosLike(v), zerosLike(v)] : [zerosLike(v), zerosLike(v)];
  }
  protected update(p: Variable, g: Tensor, slots: Tensor[], lr: number, t: number): void {
    const alpha = lr * Math.sqrt(1 - this.beta2 ** t) / (1 - this.beta1 ** t);
    if (!this.amsgrad && fusedAdam(p, g, slots[0], slots[1], alpha, this.beta1, this.beta2, this.epsilon)) return;
    const m = add(slots[0], mul(sub(g, slots[0]), 1 - this.beta1));
    const v = add(slots[1], mul(sub(square(g), slots[1]), 1 - this.beta2));
    slots[0] = m;
    slots[1] = v;
    let vUsed = v;
    if (this.amsgrad) {
      vUsed = maximum(slots[2], v);
      slots[2] = vUsed;
    }
    p.assign(sub(p, div(mul(m, alpha), add(sqrt(vUsed), this.epsilon))));
  }
}

export interface AdamWOptions extends AdamOptions {
  /** decoupled weight decay (Keras' default 0.004) */
  weightDecay?: number;
}

/** AdamW: p -= lr * weightDecay * p, then Adam's step (Keras 3). */
export class AdamW extends Adam {
  static override className = 'AdamW';
  readonly weightDecay: number;
  constructor(options: AdamWOptions = {}) {
    super(options, 'adamw');
    this.weightDecay = options.weightDecay ?? 0.004;
    check('adamw', 'weightDecay', this.weightDecay, 0, Infinity);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
  protected override update(p: Variable, g: Tensor, slots: Tensor[], lr: number, t: number): void {
    p.assign(sub(p, mul(p, lr * this.weightDecay)));
    super.update(p, g, slots, lr, t);
  }
}

/** Adamax (Keras 3): m = b1 m + (1 - b1) g; u = max(b2 u, |g|); p -= lr / (1 - b1^t) * m / (u + eps). */
export class Adamax extends Optimizer {
  static className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  constructor(options: AdamOptions = {}) {
    super('adamax', options, 0.001);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    check('adamax', 'beta1', this.beta1, 0, 1);
    check('adamax', 'beta2', this.beta2, 0, 1);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
  protected makeSlots(v: Variable): Tensor[] {
    return [zerosLike(v), zerosLike(v)];
  }
  protected update(p: Variable, g: Tensor, slots: Tensor[], lr: number, t: number): void {
    const m = add(mul(slots[0], this.beta1), mul(g, 1 - this.beta1));
    const u = maximum(mul(slots[1], this.beta2), abs(g));
    slots[0] = m;
    slots[1] = u;
    p.assign(sub(p, div(mul(m, lr / (1 - this.beta1 ** t)), add(u, this.epsilon))));
  }
}

export interface RMSpropOptions extends OptimizerOptions {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/**
 * RMSprop (Keras 3): v = rho v + (1 - rho) g^2; step = lr g / sqrt(v + eps) (epsilon inside the
 * root; centered subtracts the squared mean gradient there); with momentum, m = momentum m + step.
 */
export class RMSprop extends Optimizer {
  static className = 'RMSProp';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  constructor(options: RMSpropOptions = {}) {
    super('rmsprop', options, 0.001);
    this.rho = options.rho ?? 0.9;
    this.momentum = options.momentum ?? 0;
    this.epsilon = options.epsilon ?? 1e-7;
    this.centered = options.centered ?? false;
    check('rmsprop', 'rho', this.rho, 0, 1);
    check('rmsprop', 'momentum', this.momentum, 0, 1);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), decay: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
  protected makeSlots(v: Variable): Tensor[] {
    return [zerosLike(v), zerosLike(v), zerosLike(v)]; // mean square, momentum, mean gradient
  }
  protected update(p: Variable, g: Tensor, slots: Tensor[], lr: number): void {
    if (!this.centered && this.momentum === 0 &&
        fusedSgdRmsprop('rmsprop', p, g, slots[0], lr, this.rho, this.epsilon)) return;
    const v = add(mul(slots[0], this.rho), mul(square(g), 1 - this.rho));
    slots[0] = v;
    let denominator = v;
    if (this.centered) {
      const mg = add(mul(slots[2], this.rho), mul(g, 1 - this.rho));
      slots[2] = mg;
      denominator = sub(v, square(mg));
    }
    const increment = div(mul(g, lr), sqrt(add(denominator, this.epsilon)));
    if (this.momentum > 0) {
      const m = add(mul(slots[1], this.momentum), increment);
      slots[1] = m;
      p.assign(sub(p, m));
    } else {
      p.assign(sub(p, increment));
    }
  }
}

export interface AdagradOptions extends OptimizerOptions {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Adagrad (Keras 3): acc += g^2 (starting at 0.1); p -= lr g / sqrt(acc + eps). */
export class Adagrad extends Optimizer {
  static className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  constructor(options: AdagradOptions = {}) {
    super('adagrad', options, 0.001);
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-7;
    check('adagrad', 'initialAccumulatorValue', this.initialAccumulatorValue, 0, Infinity);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
  protected makeSlots(v: Variable): Tensor[] {
    return [fill(v.shape, this.initialAccumulatorValue, v.dtype)];
  }
  protected update(p: Variable, g: Tensor, slots: Tensor[], lr: number): void {
    const acc = add(slots[0], square(g));
    slots[0] = acc;
    p.assign(sub(p, div(mul(g, lr), sqrt(add(acc, this.epsilon)))));
  }
}

export interface AdadeltaOptions extends OptimizerOptions {
  rho?: number;
  epsilon?: number;
}

/**
 * Adadelta (Keras 3): Eg = rho Eg + (1 - rho) g^2; d = -sqrt(Ex + eps) / sqrt(Eg + eps) g;
 * Ex = rho Ex + (1 - rho) d^2; p += lr d.
 */
export class Adadelta extends Optimizer {
  static className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;
  constructor(options: AdadeltaOptions = {}) {
    super('adadelta', options, 0.001);
    this.rho = options.rho ?? 0.95;
    this.epsilon = options.epsilon ?? 1e-7;
    check('adadelta', 'rho', this.rho, 0, 1);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
  protected makeSlots(v: Variable): Tensor[] {
    return [zerosLike(v), zerosLike(v)];
  }
  protected update(p: Variable, g: Tensor, slots: Tensor[], lr: number): void {
    const eg = add(mul(slots[0], this.rho), mul(square(g), 1 - this.rho));
    const delta = mul(div(sqrt(add(slots[1], this.epsilon)), sqrt(add(eg, this.epsilon))), mul(g, -1));
    const ex = add(mul(slots[1], this.rho), mul(square(delta), 1 - this.rho));
    slots[0] = eg;
    slots[1] = ex;
    p.assign(add(p, mul(delta, lr)));
  }
}

