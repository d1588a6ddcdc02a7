/**
 * Weight constraints, Keras formulas: `st.constraints.maxNorm({ maxValue: 2 })`. After each
 * optimizer step a constrained weight is replaced by `constraint.apply(weight)`.
 * Norms are taken over `axis` (default 0: for a dense kernel [in, out], each unit's incoming
 * weights; for a conv kernel use axis [0, 1, 2]).
 */
import { hasApply, resolveIdentifier } from './lookup.js';
import { strictFactory } from '../tensor/options.js';
import { Tensor } from '../tensor/tensor.js';
import { add, cast, clipByValue, div, greaterEqual, mul, sqrt, square, sum } from '../ops/index.js';

/** Keras' backend epsilon, added to norms before dividing. */
export const EPSILON = 1e-7;

export interface Constraint {
  /** Keras class name, as written in saved configs: 'MaxNorm', 'NonNeg', 'UnitNorm', 'MinMaxNorm' */
  readonly className: string;
  apply(w: Tensor): Tensor;
  getConfig(): Record<string, unknown>;
}

/** What `getConstraint` accepts: a name, a constraint, or a saved `{ className, config }`. */
export type ConstraintIdentifier = string | Constraint | { className: string; config?: Record<string, unknown> };

export type ConstraintAxis = number | number[];
export interface MaxNormArgs { maxValue?: number; axis?: ConstraintAxis }
export interface UnitNormArgs { axis?: ConstraintAxis }
export interface MinMaxNormArgs { minValue?: number; maxValue?: number; rate?: number; axis?: ConstraintAxis }

function nonNegative(where: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new Error(`${where}: ${name} must be a non-negative finite number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function checkAxis(where: string, axis: unknown): ConstraintAxis {
  const ok = Number.isInteger(axis) || (Array.isArray(axis) && axis.length > 0 && axis.every((a) => Number.isInteger(a)));
  if (!ok) throw new Error(`${where}: axis must be an integer or a non-empty array of integers, got ${JSON.stringify(axis)}`);
  return Array.isArray(axis) ? [...axis] : axis as number;
}

function checkWeight(where: string, w: unknown): Tensor {
  if (!(w instanceof Tensor)) throw new Error(`${where}: expected a weight Tensor, got ${typeof w}`);
  return w;
}

/** sqrt(sum(w^2)) over `axis`, kept as size-1 dims so it broadcasts back against w. */
function norms(w: Tensor, axis: ConstraintAxis): Tensor {
  return sqrt(sum(square(w), axis, true));
}

/** Rescales w so that its norms are `desired`: w * desired / (epsilon + norms). */
function rescale(w: Tensor, n: Tensor, desired: Tensor): Tensor {
  return mul(w, div(desired, add(n, EPSILON)));
}

/** Norms above maxValue are scaled down to it: w * clip(n, 0, maxValue) / (epsilon + n). */
export class MaxNorm implements Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: ConstraintAxis;
  constructor(args: MaxNormArgs = {}) {
    this.maxValue = nonNegative('maxNorm constraint', 'maxValue', args.maxValue ?? 2);
    this.axis = checkAxis('maxNorm constraint', args.axis ?? 0);
  }
  apply(w: Tensor): Tensor {
    checkWeight('maxNorm constraint', w);
    const n = norms(w, this.axis);
    return rescale(w, n, clipByValue(n, 0, this.maxValue));
  }
  getConfig(): Record<string, unknown> { return { maxValue: this.maxValue, axis: this.axis }; }
}

/** Negative values become 0. */
export class NonNeg implements Constraint {
  readonly className = 'NonNeg';
  apply(w: Tensor): Tensor {
    checkWeight('nonNeg constraint', w);
    return mul(w, cast(greaterEqual(w, 0), w.dtype));
  }
  getConfig(): Record<string, unknown> { return {}; }
}

/** w / (epsilon + norm). */
export class UnitNorm implements Constraint {
  readonly className = 'UnitNorm';
  readonly axis: ConstraintAxis;
  constructor(args: UnitNormArgs = {}) {
    this.axis = checkAxis('unitNorm constraint', args.axis ?? 0);
  }
  apply(w: Tensor): Tensor {
    checkWeight('unitNorm constraint', w);
    return div(w, add(norms(w, this.axis), EPSILON));
  }
  getConfig(): Record<string, unknown> { return { axis: this.axis }; }
}

/**
 * Norms are moved toward [minValue, maxValue]: desired = rate * clip(n, min, max) + (1 - rate) * n,
 * then w * desired / (epsilon + n). rate 1 enforces the range exactly.
 */
export class MinMaxNorm implements Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: ConstraintAxis;
  constructor(args: MinMaxNormArgs = {}) {
    const where = 'minMaxNorm constraint';
    this.minValue = nonNegative(where, 'minValue', args.minValue ?? 0);
    this.maxValue = nonNegative(where, 'maxValue', args.maxValue ?? 1);
    if (this.maxValue < this.minValue) {
      throw new Error(`${where}: maxValue (${this.maxValue}) must not be less than minValue (${this.minValue})`);
    }
    this.rate = nonNegative(where, 'rate', args.rate ?? 1);
    if (this.rate > 1) throw new Error(`${where}: rate must be in [0, 1], got ${this.rate}`);
    this.axis = checkAxis(where, args.axis ?? 0);
  }
  apply(w: Tensor): Tensor {
    checkWeight('minMaxNorm constraint', w);
    const n = norms(w, this.axis);
    const desired = add(mul(clipByValue(n, this.minValue, this.maxValue), this.rate), mul(n, 1 - this.rate));
    return rescale(w, n, desired);
  }
  getConfig(): Record<string, unknown> {
    return { minValue: this.minValue, maxValue: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

// each checks its options; getConstraint keeps only these keys from saved configs
/**
 * @example
 * ```ts
 * st.constraints.maxNorm({ maxValue: 1, axis: 0 }).apply(st.tensor2d([[3], [4]])).print(); // [[0.6], [0.8]]
 * ```
 */
export const maxNorm = strictFactory('constraints.maxNorm', ['maxValue', 'axis'], (args: MaxNormArgs = {}): Constraint => new MaxNorm(args));
/**
 * @example
 * ```ts
 * st.constraints.nonNeg().apply(st.tensor1d([-1, 2])).print(); // [0, 2]
 * ```
 */
export const nonNeg = strictFactory('constraints.nonNeg', [], (): Constraint => new NonNeg());
/**
 * @example
 * ```ts
 * st.constraints.unitNorm({ axis: 0 }).apply(st.tensor2d([[3], [4]])).print(); // [[0.6], [0.8]]
 * ```
 */
export const unitNorm = strictFactory('constraints.unitNorm', ['axis'], (args: UnitNormArgs = {}): Constraint => new UnitNorm(args));
/**
 * @example
 * ```ts
 * st.constraints.minMaxNorm({ minValue: 1, maxValue: 2, axis: 0 }).apply(st.tensor2d([[0.3], [0.4]])).print(); // scaled up to norm 1
 * ```
 */
export const minMaxNorm = strictFactory('constraints.minMaxNorm', ['minValue', 'maxValue', 'rate', 'axis'],
  (args: MinMaxNormArgs = {}): Constraint => new MinMaxNorm(args));

/** The factories as one object, TensorFlow.js style. */
export const constraints = { maxNorm, nonNeg, unitNorm, minMaxNorm };

type Factory = (args?: Record<string, unknown>) => Constraint;
/**
 * A constraint from a name ('maxNorm', 'max_norm', 'MaxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm'),
 * a constraint (returned as is) or a saved `{ className, config }`; undefined or null means none.
 *
 * @example
 * ```ts
 * const c = st.constraints.getConstraint('nonNeg')!;
 * c.apply(st.tensor1d([-1, 2])).print(); // [0, 2]
 * ```
 */
export function getConstraint(identifier: ConstraintIdentifier | null | undefined,
  where = 'getConstraint'): Constraint | undefined {
  if (identifier === undefined || identifier === null) return undefined;
  return resolveIdentifier('constraint', identifier, constraints as unknown as Record<string, Factory>, hasApply<Constraint>, where);
}
