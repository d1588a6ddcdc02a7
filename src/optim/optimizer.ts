/**
 * The optimizer base: gradients in, variables updated in place. Three doors, for three habits:
 * `minimize(() => loss)` (TensorFlow.js), `applyGradients(grads)` (after `variableGrads` or
 * `valueAndGrads`), and `step(variables)` (after `loss.backward()`, PyTorch).
 */
import { Tensor, Variable } from '../tensor/tensor.js';
import { variableGrads } from '../autograd/gradients.js';
import { noGrad } from '../autograd/tape.js';
import { keep } from '../tensor/engine.js';
import { arraysEqual } from '../backend/shape_util.js';
import { clipByValue, div, maximum, mul, sqrt, square } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { clone } from '../ops/transform.js';
import { Serializable } from '../tensor/serializable.js';
import { scalar } from '../tensor/creation.js';
import type { LearningRate } from './schedules.js';

export interface OptimizerOptions {
  learningRate?: LearningRate;
  /** clip each gradient to this L2 norm (Keras' clipnorm) */
  clipNorm?: number;
  /** clip each gradient element to [-clipValue, clipValue] (Keras' clipvalue) */
  clipValue?: number;
  /** clip all gradients together to this global L2 norm (Keras' global_clipnorm) */
  globalClipNorm?: number;
}

/** A tensor with a name (TensorFlow.js' NamedTensor), as optimizer weights and gradient lists come. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/**
 * Gradients keyed by variable name (as `variableGrads` returns), as TensorFlow.js' list of
 * `{name, tensor}`, or paired with their variables.
 */
export type GradientsInput = Record<string, Tensor> | Map<Variable, Tensor> | [Variable, Tensor][] | NamedTensor[];

export abstract class Optimizer extends Serializable {
  private iterationCount = 0;
  learningRate: LearningRate;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly globalClipNorm?: number;
  /** per-variable state (moments, accumulators), made on first use */
  protected readonly slots = new Map<Variable, Tensor[]>();
  private readonly byName = new Map<string, Variable>();

  constructor(readonly name: string, options: OptimizerOptions, defaultLearningRate: number) {
    super();
    this.learningRate = options.learningRate ?? defaultLearningRate;
    if (typeof this.learningRate === 'number' && !(this.learningRate > 0)) {
      throw new Error(`${name}: learningRate must be a positive number, got ${this.learningRate}`);
    }
    for (const key of ['clipNorm', 'clipValue', 'globalClipNorm'] as const) {
      const v = options[key];
      if (v !== undefined && !(typeof v === 'number' && v > 0)) {
        throw new Error(`${name}: ${key} must be a positive number, got ${v}`);
      }
    }
    this.clipNorm = options.clipNorm;
    this.clipValue = options.clipValue;
    this.globalClipNorm = options.globalClipNorm;
  }

  /** The learning rate for the current update. */
  currentLearningRate(): number {
    return typeof this.learningRate === 'number' ? this.learningRate : this.learningRate(this.iterations);
  }

  /** The update rule for one variable; `slots` are its state, made by `makeSlots`. */
  protected abstract update(variable: Variable, grad: Tensor, slots: Tensor[], lr: number, step: number): void;

  /** Initial state of a variable (zeros by default, one per moment). */
  protected abstract makeSlots(variable: Variable): Tensor[];

  /** The name TensorFlow.js writes for this optimizer ('Adam', 'RMSProp', ...). */
  override getClassName(): string {
    const cls = this.constructor as unknown as { className?: string; name: string };
    return cls.className ?? cls.name;
  }

  /** The options that rebuild this optimizer (the learning rate in force now, for a schedule). */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { learningRate: this.currentLearningRate() };
    if (this.clipNorm !== undefined) config.clipNorm = this.clipNorm;
    if (this.clipValue !== undefined) config.clipValue = this.clipValue;
    if (this.globalClipNorm !== undefined) config.globalClipNorm = this.globalClipNorm;
    return config;
  }

  /** Computes `f()`, differentiates it w.r.t. the variables (all trainable ones it uses by default) and updates them. */
  minimize(f: () => Tensor, returnCost = false, varList?: Variable[]): Tensor | null {
    const { value, grads } = this.computeGradients(f, varList);
    this.applyGradients(grads);
    // the gradients are spent; the cost is returned only when asked for
    for (const g of Object.values(grads)) g.dispose();
    if (!returnCost) {
      value.dispose();
      return null;
    }
    return value;
  }

  /**
   * `f()` and its gradients w.r.t. `varList` (by default every trainable variable `f` uses),
   * keyed by variable name, without updating anything (TensorFlow.js' computeGradients).
   */
  computeGradients(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: Record<string, Tensor> } {
    if (typeof f !== 'function') throw new Error(`${this.name}.computeGradients: expected a function returning a scalar, got ${typeof f}`);
    if (varList !== undefined && (!Array.isArray(varList) || !varList.every((v) => v instanceof Variable))) {
      throw new Error(`${this.name}.computeGradients: varList must be a list of Variables`);
    }
    return variableGrads(f, varList);
  }

  /** PyTorch's door: applies each variable's `.grad` (left as is: reset it with `v.grad = null`). */
  step(variables: Variable[]): void {
    const pairs: [Variable, Tensor][] = [];
    for (const v of variables) if (v.grad) pairs.push([v, v.grad]);
    this.applyGradients(pairs);
  }

  applyGradients(grads: GradientsInput): void {
    let pairs = this.pairsOf(grads);
    noGrad(() => {
      pairs = pairs.map(([v, g]) => [v, this.clipOne(g)]);
      if (this.globalClipNorm !== undefined) pairs = this.clipGlobal(pairs, this.globalClipNorm);
      const lr = this.currentLearningRate();
      const step = this.iterations + 1;
      for (const [v, g] of pairs) {
        if (!v.trainable) continue;
        let slots = this.slots.get(v);
        if (!slots) {
          slots = this.makeSlots(v).map(keep);
          this.slots.set(v, slots);
        }
        const before = [...slots];
        this.update(v, g.dtype === v.dtype ? g : g.cast(v.dtype), slots, lr, step);
        // the new state outlives any tidy() around the step; the old state is dead now
        slots.forEach((s, i) => {
          if (s === before[i]) return;
          keep(s);
          before[i].dispose();
        });
      }
    });
    this.iterations++;
  }

  private variableNamed(name: string, door: string): Variable {
    const v = this.byName.get(name) ?? Variable.find(name);
    if (!v) throw new Error(`${this.name}.${door}: no variable named "${name}"`);
    this.byName.set(name, v);
    return v;
  }

  private pairsOf(grads: GradientsInput): [Variable, Tensor][] {
    let pairs: [Variable, Tensor][];
    if (grads instanceof Map) pairs = [...grads.entries()];
    else if (Array.isArray(grads)) {
      pairs = (grads as unknown[]).map((item, i) => {
        if (Array.isArray(item)) return item as [Variable, Tensor];
        const named = item as NamedTensor;
        if (named === null || typeof named !== 'object' || typeof named.name !== 'string') {
          throw new Error(`${this.name}.applyGradients: item ${i} must be {name, tensor} or [variable, gradient], got ${typeof item}`);
        }
        return [this.variableNamed(named.name, 'applyGradients'), named.tensor];
      });
    } else if (grads !== null && typeof grads === 'object') {
      pairs = Object.entries(grads).map(([name, g]) => [this.variableNamed(name, 'applyGradients'), g]);
    } else {
      throw new Error(`${this.name}.applyGradients: expected gradients by variable name, got ${grads === null ? 'null' : typeof grads}`);
    }
    for (const [v, g] of pairs) {
      if (!(v instanceof Variable)) throw new Error(`${this.name}.applyGradients: expected Variables, got ${typeof v}`);
      if (!(g instanceof Tensor) || !arraysEqual(g.shape, v.shape)) {
        throw new Error(`${this.name}.applyGradients: gradient of "${v.name}" must have shape [${v.shape}], ` +
          `got ${g instanceof Tensor ? `[${g.shape}]` : typeof g}`);
      }
    }
    return pairs;
  }

  private clipOne(g: Tensor): Tensor {
    if (this.clipValue !== undefined) g = clipByValue(g, -this.clipValue, this.clipValue);
    if (this.clipNorm !== undefined) {
      const norm = sqrt(sum(square(g)));
      g = div(mul(g, this.clipNorm), maximum(norm, this.clipNorm));
    }
    return g;
  }

  private clipGlobal(pairs: [Variable, Tensor][], limit: number): [Variable, Tensor][] {
    let total = 0;
    for (const [, g] of pairs) total += sum(square(g)).dataSync()[0];
    const norm = Math.sqrt(total);
    if (norm <= limit) return pairs;
    return pairs.map(([v, g]) => [v, mul(g, limit / norm)]);
  }

  /**
   * The optimizer's state as TensorFlow.js gives it: `iter` (the update count) first, then each
   * variable's slots as `${variable}/slot${i}`. Copies; async as in TensorFlow.js.
   */
  async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [{ name: 'iter', tensor: scalar(this.iterations, 'int32') }];
    for (const [v, slots] of this.slots) slots.forEach((t, i) => out.push({ name: `${v.name}/slot${i}`, tensor: clone(t) }));
    return out;
  }

  /** Restores what getWeights gave (the variables are found by name). */
  async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const door = 'setWeights';
    if (!Array.isArray(weightValues)) throw new Error(`${this.name}.${door}: expected a list of {name, tensor}, got ${typeof weightValues}`);
    const byVariable = new Map<Variable, Tensor[]>();
    let iterations = this.iterations;
    for (const item of weightValues) {
      if (item === null || typeof item !== 'object' || typeof item.name !== 'string' || !(item.tensor instanceof Tensor)) {
        throw new Error(`${this.name}.${door}: expected items {name, tensor}, got ${JSON.stringify(item)}`);
      }
      if (item.name === 'iter') {
        iterations = item.tensor.dataSync()[0];
        continue;
      }
      const m = /^(.*)\/slot(\d+)$/.exec(item.name);
      if (!m) throw new Error(`${this.name}.${door}: unexpected weight name "${item.name}" (expected "iter" or "<variable>/slot<i>")`);
      const v = this.variableNamed(m[1], door);
      const list = byVariable.get(v) ?? [];
      list[Number(m[2])] = item.tensor;
      byVariable.set(v, list);
    }
    const variables = [...byVariable.keys()];
    this.setState(variables, { iterations, slots: variables.map((v) => byVariable.get(v)!) });
  }

  /** Updates applied so far (Keras' and TensorFlow.js' `iterations`). */
  get iterations(): number {
    return this.iterationCount;
  }

  set iterations(n: number) {
    this.iterationCount = n;
  }

  /** Counts one more update (TensorFlow.js' name; the optimizers call it after each step). */
  incrementIterations(): void {
    this.iterationCount++;
  }

  /** The update count as TensorFlow.js saves it: `{name: 'iter', tensor}` (an int32 scalar). */
  async saveIterations(): Promise<NamedTensor> {
    return { name: 'iter', tensor: scalar(this.iterationCount, 'int32') };
  }

  /** Takes the update count from the first of saved weights and returns the rest. */
  async extractIterations(weightValues: NamedTensor[]): Promise<NamedTensor[]> {
    if (!Array.isArray(weightValues) || weightValues.length === 0 || !(weightValues[0]?.tensor instanceof Tensor)) {
      throw new Error(`${this.name}.extractIterations: expected a list of {name, tensor} starting with the iteration count`);
    }
    this.iterationCount = weightValues[0].tensor.dataSync()[0];
    return weightValues.slice(1);
  }

  /** Frees the state tensors; the optimizer starts afresh if used again. */
  dispose(): void {
    for (const slots of this.slots.values()) for (const t of slots) if (!t.isDisposed) t.dispose();
    this.slots.clear();
  }

  /** The variables this optimizer holds state for (those it has updated or been given state for). */
  stateVariables(): Variable[] {
    return [...this.slots.keys()];
  }

  /**
   * The state behind the next update of `variables`, in that order, for checkpoints: iterations
   * and each variable's slots (made now if the variable has not been updated yet).
   */
  getState(variables: Variable[]): { iterations: number; slots: Tensor[][] } {
    const slots = variables.map((v) => {
      let s = this.slots.get(v);
      if (!s) {
        s = this.makeSlots(v).map(keep);
        this.slots.set(v, s);
      }
      return s;
    });
    return { iterations: this.iterations, slots };
  }

  /** Restores what `getState(variables)` gave; the tensors are copied into the optimizer's own. */
  setState(variables: Variable[], state: { iterations: number; slots: Tensor[][] }): void {
    if (!Number.isInteger(state.iterations) || state.iterations < 0 || state.slots.length !== variables.length) {
      throw new Error(`${this.name}.setState: expected iterations and slots for ${variables.length} variables, ` +
        `got ${state.slots.length} with iterations ${state.iterations}`);
    }
    variables.forEach((v, i) => {
      const want = this.makeSlots(v);
      const given = state.slots[i];
      if (given.length !== want.length || given.some((t, j) => t.shape.join() !== want[j].shape.join())) {
        throw new Error(`${this.name}.setState: variable "${v.name}" needs ${want.length} slots of shape [${v.shape}], ` +
          `got ${given.length}${given.length ? ` of shape [${given[0].shape}]` : ''}`);
      }
      want.forEach((t) => t.dispose());
      for (const old of this.slots.get(v) ?? []) old.dispose();
      this.slots.set(v, given.map((t) => keep(clone(t))));
    });
    this.iterations = state.iterations;
  }

  /** Drops all state (moments, accumulators, iterations). */
  reset(): void {
    this.slots.clear();
    this.iterations = 0;
  }
}
