/**
 * Weight regularizers, Keras formulas: `st.regularizers.l2({ l2: 0.01 })`. A regularizer turns a
 * weight into a scalar penalty that training adds to the loss: l1 * sum(|w|) + l2 * sum(w^2).
 */
import { hasApply, resolveIdentifier } from './lookup.js';
import { strictFactory } from '../tensor/options.js';
import { Tensor } from '../tensor/tensor.js';
import { scalar } from '../tensor/creation.js';
import { abs, add, mul, square, sum } from '../ops/index.js';

export interface Regularizer {
  /** Keras class name, as written in saved configs: 'L1', 'L2', 'L1L2' */
  readonly className: string;
  /** The scalar penalty for `weight` (differentiable, so its gradient reaches the weight). */
  apply(weight: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
}

/** What `getRegularizer` accepts: a name, a regularizer, or a saved `{ className, config }`. */
export type RegularizerIdentifier = string | Regularizer | { className: string; config?: Record<string, unknown> };

export interface L1Args { l1?: number }
export interface L2Args { l2?: number }
export interface L1L2Args { l1?: number; l2?: number }

function factor(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new Error(`${where}: ${name} must be a non-negative finite number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function checkWeight(where: string, w: unknown): Tensor {
  if (!(w instanceof Tensor)) throw new Error(`${where}: expected a weight Tensor, got ${typeof w}`);
  return w;
}

/** l1 * sum(|w|) + l2 * sum(w^2), leaving out zero terms. */
function penalty(w: Tensor, l1: number, l2: number): Tensor {
  let total: Tensor | null = null;
  if (l1 > 0) total = mul(sum(abs(w)), l1);
  if (l2 > 0) {
    const t = mul(sum(square(w)), l2);
    total = total ? add(total, t) : t;
  }
  return total ?? scalar(0, w.dtype === 'float64' ? 'float64' : 'float32');
}

/** l1 * sum(|w|); l1 defaults to 0.01. */
export class L1 implements Regularizer {
  readonly className = 'L1';
  readonly l1: number;
  constructor(args: L1Args = {}) {
    this.l1 = factor('l1 regularizer', 'l1', args.l1 ?? 0.01);
  }
  apply(weight: Tensor): Tensor {
    return penalty(checkWeight('l1 regularizer', weight), this.l1, 0);
  }
  getConfig(): Record<string, unknown> { return { l1: this.l1 }; }
}

/** l2 * sum(w^2) (no 1/2, as Keras); l2 defaults to 0.01. */
export class L2 implements Regularizer {
  readonly className = 'L2';
  readonly l2: number;
  constructor(args: L2Args = {}) {
    this.l2 = factor('l2 regularizer', 'l2', args.l2 ?? 0.01);
  }
  apply(weight: Tensor): Tensor {
    return penalty(checkWeight('l2 regularizer', weight), 0, this.l2);
  }
  getConfig(): Record<string, unknown> { return { l2: this.l2 }; }
}

/** l1 * sum(|w|) + l2 * sum(w^2); both default to 0.01 (TensorFlow.js' and Keras 2's l1_l2). */
export class L1L2 implements Regularizer {
  readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(args: L1L2Args = {}) {
    this.l1 = factor('l1l2 regularizer', 'l1', args.l1 ?? 0.01);
    this.l2 = factor('l1l2 regularizer', 'l2', args.l2 ?? 0.01);
  }
  apply(weight: Tensor): Tensor {
    return penalty(checkWeight('l1l2 regularizer', weight), this.l1, this.l2);
  }
  getConfig(): Record<string, unknown> { return { l1: this.l1, l2: this.l2 }; }
}

// each checks its options; getRegularizer keeps only these keys from saved configs
/**
 * @example
 * ```ts
 * st.regularizers.l1({ l1: 0.1 }).apply(st.tensor1d([1, -2])).print(); // 0.3
 * ```
 */
export const l1 = strictFactory('regularizers.l1', ['l1'], (args: L1Args = {}): Regularizer => new L1(args));
/**
 * @example
 * ```ts
 * st.regularizers.l2({ l2: 0.1 }).apply(st.tensor1d([1, -2])).print(); // 0.5
 * ```
 */
export const l2 = strictFactory('regularizers.l2', ['l2'], (args: L2Args = {}): Regularizer => new L2(args));
/**
 * @example
 * ```ts
 * st.regularizers.l1l2({ l1: 0.1, l2: 0.1 }).apply(st.tensor1d([1, -2])).print(); // 0.8
 * ```
 */
export const l1l2 = strictFactory('regularizers.l1l2', ['l1', 'l2'], (args: L1L2Args = {}): Regularizer => new L1L2(args));

/** The factories as one object, TensorFlow.js style. */
export const regularizers = { l1, l2, l1l2 };

type Factory = (args?: Record<string, unknown>) => Regularizer;
/**
 * A regularizer from a name ('l1', 'l2', 'l1l2', 'l1_l2', 'L1L2'), a regularizer (returned as is)
 * or a saved `{ className, config }`; undefined or null means none (undefined is returned).
 *
 * @example
 * ```ts
 * const reg = st.regularizers.getRegularizer('l2')!;
 * reg.apply(st.tensor1d([1, 2])).print(); // 0.01 * (1 + 4)
 * ```
 */
export function getRegularizer(identifier: RegularizerIdentifier | null | undefined,
  where = 'getRegularizer'): Regularizer | undefined {
  if (identifier === undefined || identifier === null) return undefined;
  return resolveIdentifier('regularizer', identifier, regularizers as unknown as Record<string, Factory>, hasApply<Regularizer>, where);
}
