/** The functional front doors on the tape, in TensorFlow.js' shapes. */
import { Tensor, Variable } from '../tensor/tensor.js';
import { shareStorage, tidy } from '../tensor/engine.js';
import { onesLike } from '../tensor/creation.js';
import { runBackward } from './backward.js';
import { enterGradientFunction, leaveGradientFunction, unwatch, watch } from './tape.js';

function enter(door: string): void {
  if (enterGradientFunction() > 0) {
    leaveGradientFunction();
    throw new Error(`${door}: called inside another gradient function; striate computes first derivatives ` +
      `only (second derivatives are not supported)`);
  }
}

function assertFloat(door: string, x: Tensor, what: string): void {
  if (!(x instanceof Tensor)) throw new Error(`${door}: ${what} must be a Tensor, got ${typeof x}`);
  // complex inputs get dL/dx + i dL/dy (TensorFlow's convention; complex area)
  if (x.dtype !== 'float32' && x.dtype !== 'float64' && x.dtype !== 'complex64' && x.dtype !== 'complex128') {
    throw new Error(`${door}: ${what} has dtype ${x.dtype}; gradients exist only for float32/float64/complex64 tensors`);
  }
}

function assertOutput(door: string, y: unknown): asserts y is Tensor {
  if (!(y instanceof Tensor)) {
    throw new Error(`${door}: f must return a Tensor, got ${y === null ? 'null' : typeof y}`);
  }
}

/**
 * Runs f on watched copies of xs and differentiates its result. Inputs f does not use get
 * zeros; if the result depends on none of them, that is an error (f probably closes over the
 * wrong tensor).
 */
function differentiate(door: string, f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[], dy?: Tensor): { value: Tensor; grads: Tensor[] } {
  xs.forEach((x, i) => assertFloat(door, x, `input ${i}`));
  enter(door);
  try {
    return disposingIntermediates(() => {
      const views = xs.map((x) => shareStorage(x));
      views.forEach(watch);
      try {
        const value = f(...views);
        assertOutput(door, value);
        if (value.node === null && !views.includes(value)) {
          throw new Error(`${door}: the result of f does not depend on its input(s); make sure f computes its ` +
            `output from the tensor(s) it is given`);
        }
        // as in TensorFlow.js, a non-scalar output is seeded with ones when no dy is given
        // (the gradient of the sum of its elements); loss.backward() keeps PyTorch's rule instead
        const seed = dy ?? (value.size !== 1 && (value.dtype === 'float32' || value.dtype === 'float64') ? onesLike(value) : undefined);
        const all = runBackward(value, seed);
        return { value, grads: views.map((v) => all.get(v) ?? zerosOf(v)) };
      } finally {
        views.forEach(unwatch);
      }
    });
  } finally {
    leaveGradientFunction();
  }
}

/**
 * Runs a forward pass and its backward pass in a scope of their own, as TensorFlow.js does:
 * everything they made (f's intermediates, the tape's saved tensors, partial gradients) is
 * disposed at once, so `tf.memory().numTensors` stays flat over a training loop. Only the value
 * (detached from its tape, which is gone) and the gradients come out, into the caller's scope:
 * an enclosing tidy disposes them unless it returns them, as TensorFlow.js' does (they were
 * kept from it, so `tidy(() => { optimizer.applyGradients(variableGrads(f).grads); })` leaked
 * every step's gradients).
 */
function disposingIntermediates<G extends Tensor[] | Record<string, Tensor>>(run: () => { value: Tensor; grads: G }): { value: Tensor; grads: G } {
  return tidy(() => {
    const { value, grads } = run();
    return { value: shareStorage(value), grads };
  });
}

function zerosOf(t: Tensor): Tensor {
  const values = t.backend.read(t.dataId).slice().fill(0);
  return new Tensor(t.backend.write(values, t.dtype), t.shape, t.dtype, t.backend);
}

/** The gradients, for the doors that do not return the value (disposed here, as TensorFlow.js does). */
function gradientsOnly(r: { value: Tensor; grads: Tensor[] }): Tensor[] {
  r.value.dispose();
  return r.grads;
}

/**
 * `grad(f)(x, dy?)`: df/dx for a function of one tensor.
 *
 * @example
 * ```ts
 * const dSumSquares = st.grad((x) => st.sum(st.square(x)));
 * dSumSquares(st.tensor([1, 2, 3])).print(); // [2, 4, 6]
 * ```
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => gradientsOnly(differentiate('grad', f as (...xs: Tensor[]) => Tensor, [x], dy))[0];
}

/**
 * `grads(f)([a, b], dy?)`: one gradient per argument.
 *
 * @example
 * ```ts
 * const g = st.grads((a, b) => st.sum(st.mul(a, b)));
 * const [da, db] = g([st.tensor([2, 3]), st.tensor([4, 5])]);
 * da.print(); // [4, 5]
 * ```
 */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => {
    if (!Array.isArray(xs)) throw new Error('grads: the arguments must be given as an array of tensors');
    return gradientsOnly(differentiate('grads', f, xs, dy));
  };
}

/**
 * @example
 * ```ts
 * const { value, grad } = st.valueAndGrad((x) => st.sum(st.square(x)))(st.tensor([1, 2]));
 * value.print(); // 5
 * grad.print();  // [2, 4]
 * ```
 */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const r = differentiate('valueAndGrad', f as (...xs: Tensor[]) => Tensor, [x], dy);
    return { value: r.value, grad: r.grads[0] };
  };
}

/**
 * @example
 * ```ts
 * const f = (a: st.Tensor, b: st.Tensor) => st.sum(st.mul(a, b));
 * const { value, grads } = st.valueAndGrads(f)([st.tensor([1, 2]), st.tensor([3, 4])]);
 * value.print(); // 11
 * grads[0].print(); // [3, 4]
 * ```
 */
export function valueAndGrads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (xs, dy) => {
    if (!Array.isArray(xs)) throw new Error('valueAndGrads: the arguments must be given as an array of tensors');
    return differentiate('valueAndGrads', f, xs, dy);
  };
}

/**
 * Gradients of the scalar `f()` with respect to variables, keyed by variable name. With no
 * `varList`, every trainable variable that the result depends on.
 *
 * @example
 * ```ts
 * const w = st.variable(st.tensor([1, 2]));
 * const { value, grads } = st.variableGrads(() => st.sum(st.square(w)));
 * grads[w.name].print(); // [2, 4]
 * ```
 */
export function variableGrads(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: Record<string, Tensor> } {
  const door = 'variableGrads';
  if (varList !== undefined && (!Array.isArray(varList) || !varList.every((v) => v instanceof Variable))) {
    throw new Error(`${door}: varList must be an array of Variables`);
  }
  enter(door);
  varList?.forEach(watch);
  try {
    return disposingIntermediates(() => {
      const value = f();
      assertOutput(door, value);
      if (value.size !== 1) throw new Error(`${door}: f must return a scalar, got shape [${value.shape}]`);
      const all = runBackward(value, undefined);
      const wanted = varList ?? [...all.keys()].filter((t): t is Variable => t instanceof Variable && t.trainable);
      if (wanted.length === 0 || !wanted.some((v) => all.has(v))) {
        throw new Error(`${door}: the result of f depends on none of the variables; compute it from them inside f`);
      }
      const out: Record<string, Tensor> = {};
      for (const v of wanted) out[v.name] = all.get(v) ?? zerosOf(v);
      return { value, grads: out };
    });
  } finally {
    varList?.forEach(unwatch);
    leaveGradientFunction();
  }
}
