/**
 * How an op is defined: `runOp` runs the forward kernels and, when a tracked tensor goes in,
 * records the op's backward rule on the tape beside it. Every op in this folder goes through
 * here, so the forward and backward of an op stand side by side in one place.
 */
import { describeValue } from '../tensor/options.js';
import type { Backend, DataId, DType } from '../backend/types.js';
import { backend as activeBackend } from '../backend/registry.js';
import { Tensor, Variable, copyStorage } from '../tensor/tensor.js';
import { closeTracking, keep, makeTensor, openTracking, shareStorage } from '../tensor/engine.js';
import { tensor, type TensorLike } from '../tensor/creation.js';
import { isRecording, isTracked, pauseRecording, record, resumeRecording, shouldRecord } from '../autograd/tape.js';

/** What ops accept where a tensor goes: a Tensor, a number, a boolean, a string or nested arrays. */
export type TensorInput = Tensor | TensorLike | number | boolean | string;

/**
 * The ops that take 'string' tensors (string_tensors.ts says how): those TensorFlow.js runs on
 * strings, plus gather, transpose, reverse, where, split and broadcastTo, which move strings the
 * same way. Every other op refuses them by name in `convert`, before any kernel could read bytes
 * as numbers.
 */
export const STRING_OPS: ReadonlySet<string> = new Set([
  'reshape', 'expandDims', 'squeeze', 'clone', 'slice', 'stridedSlice', 'concat', 'stack', 'unstack', 'split',
  'tile', 'gather', 'gatherND', 'transpose', 'reverse', 'where', 'broadcastTo',
  'slice1d', 'slice2d', 'slice3d', 'slice4d', 'concat1d', 'concat2d', 'concat3d', 'concat4d',
  'reverse1d', 'reverse2d', 'reverse3d', 'reverse4d',
  'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'unique',
  'stringNGrams', 'stringSplit', 'stringToHashBucketFast', 'staticRegexReplace',
]);

function refuseStrings(t: Tensor, op: string, arg: string): Tensor {
  if (t.dtype === 'string' && !STRING_OPS.has(op)) {
    throw new Error(`${op} does not support string tensors (argument '${arg}' has dtype string)`);
  }
  return t;
}

/** The first non-array value of nested arrays. */
function firstLeaf(x: unknown): unknown {
  while (Array.isArray(x)) x = x[0];
  return x;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x;
}

/**
 * Turns an argument into a tensor on the active backend. Plain numbers take `dtypeHint`
 * (the other operand's dtype), so `x.mul(2)` keeps x's dtype.
 *
 * @example
 * ```ts
 * const t = st.convert([1, 2, 3], 'myOp', 'x'); // numbers and arrays become tensors
 * t.print();
 * ```
 */
export function convert(x: TensorInput, op: string, arg: string, dtypeHint?: DType): Tensor {
  if (x instanceof Tensor) {
    if (x.isDisposed) throw new Error(`${op}: argument '${arg}' is a disposed tensor`);
    refuseStrings(x, op, arg);
    const b = activeBackend();
    if (x.backend === b) return x;
    const moved = new Tensor(copyStorage(x, b), x.shape, x.dtype, b);
    return moved;
  }
  if (typeof x === 'number') {
    // js overhead area (issue 18): a plain number (mean's count, a loss weight, an optimizer's
    // constant) straight to a scalar of the dtype tensor() would give it, without tensor()'s
    // walk of nested arrays; a complex hint takes the general path below
    const d = dtypeHint === 'int32' || dtypeHint === 'float64' ? dtypeHint
      : dtypeHint === undefined || dtypeHint === 'float32' || dtypeHint === 'bool' || dtypeHint === 'string' ? 'float32' : null;
    if (d !== null) {
      const data = d === 'int32' ? Int32Array.of(Math.trunc(x)) : d === 'float64' ? Float64Array.of(x) : Float32Array.of(x);
      return makeTensor(data, [], d);
    }
  }
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'string' || Array.isArray(x) || ArrayBuffer.isView(x)) {
    const hint = typeof x === 'boolean' ? 'bool' : dtypeHint === 'bool' || dtypeHint === 'string' ? undefined : dtypeHint;
    // text keeps its dtype: a numeric hint would read it as NaN, and 'string' is inferred anyway
    const hinted = (typeof x === 'number' || Array.isArray(x)) && typeof firstLeaf(x) !== 'string';
    let t: Tensor;
    try {
      t = tensor(x as TensorLike, undefined, hinted ? hint : undefined);
    } catch (e) {
      throw new Error(`${op}: argument '${arg}': ${(e as Error).message}`);
    }
    return refuseStrings(t, op, arg);
  }
  throw new Error(`${op}: argument '${arg}' must be a Tensor, a number or an array, got ${describe(x)}`);
}

/** A fresh tensor over a buffer a kernel just wrote. */
export function wrap(b: Backend, dataId: DataId, shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(dataId, shape, dtype, b);
}

/**
 * The backward rule of an op: the output gradient and the op's inputs and output in, one gradient
 * per input out. `needed[k]` says whether input k's gradient is used at all (a model's input
 * images need none): a rule may skip that work and return null there.
 */
export type GradRule = (dy: Tensor, inputs: readonly Tensor[], output: Tensor, needed: readonly boolean[]) =>
  readonly (Tensor | null)[];

/**
 * Runs `forward(backend, inputs)` and records `grad` when any input is tracked.
 * Variables are read through a snapshot of their current storage, so a later `assign()`
 * cannot change what the backward rule sees; gradients still flow to the variable itself.
 * The backward pass disposes the snapshots, unless `userCode` says the forward and grad are the
 * user's (customGrad), who may keep the tensors they were handed.
 */
export function runOp(
  name: string,
  inputs: readonly Tensor[],
  forward: (b: Backend, inputs: readonly Tensor[]) => Tensor,
  grad?: GradRule,
  userCode = false,
): Tensor {
  if (opWatchers.length > 0) return watchedOp(name, inputs, forward, grad, userCode);
  for (let i = 0; i < inputs.length; i++) {
    const dtype = inputs[i].dtype;
    // string tensors reach kernels only as int32 stand-ins (string_tensors.ts); this catches a caller that skipped convert
    if (dtype === 'string') throw new Error(`${name} does not support string tensors (input ${i} has dtype string)`);
    // complex storage holds two slots per element: only the ops written for it may read it
    if ((dtype === 'complex64' || dtype === 'complex128') && !COMPLEX_OPS.has(name)) {
      throw new Error(`${name} does not support ${dtype} tensors`);
    }
  }
  const recording = grad !== undefined && shouldRecord(inputs);
  const b = activeBackend();
  // js overhead area (issue 18): the scope and the tape's pause are opened and closed by hand
  // here rather than through trackCreated/noGrad, with plain loops for the snapshots: no closure
  // or result object per op (about a tenth of a small op's cost); the same tensors, the same order
  if (!recording) {
    // nothing will read a snapshot or the intermediates later (inference, noGrad, constants):
    // skip the per-op copies of the variables' handles and the scope that lists what was made,
    // which at batch 1 cost more than the kernels
    let output: Tensor;
    if (isRecording()) {
      pauseRecording();
      try {
        output = forward(b, inputs);
      } finally {
        resumeRecording();
      }
    } else output = forward(b, inputs);
    // an op that passes a variable through still returns a tensor of its own to dispose
    return output instanceof Variable ? shareStorage(output) : output;
  }
  const n = inputs.length;
  const seen = new Array<Tensor>(n);
  let output: Tensor;
  let created: Tensor[];
  openTracking();
  try {
    for (let i = 0; i < n; i++) {
      const t = inputs[i];
      seen[i] = t instanceof Variable ? shareStorage(t) : t;
    }
    pauseRecording();
    try {
      output = forward(b, seen);
    } finally {
      resumeRecording();
    }
  } finally {
    created = closeTracking();
  }
  // the backward rule may read anything the forward pass made: tidy() keeps it as long as
  // the output survives, and frees it with the output otherwise
  let snapshots: Tensor[] | undefined;
  if (!userCode) {
    for (let i = 0; i < n; i++) {
      const t = seen[i];
      if (t !== inputs[i] && t !== output) (snapshots ??= []).push(t);
    }
  }
  const saved: Tensor[] = [];
  for (const t of created) if (t !== output) saved.push(t);
  const rule = grad!;
  record(name, inputs, output, (dy) => rule(dy, seen, output, inputs.map(isTracked)), saved, snapshots);
  return output;
}

/** The ops that accept complex inputs (complex area); every other op refuses them by name. */
const COMPLEX_OPS: ReadonlySet<string> = new Set([
  'reshape', 'clone', 'real', 'imag', 'complexAbs', 'complex.add', 'complex.sub', 'complex.mul', 'fft', 'ifft',
]);

/** What a watcher of ops (profile, time, debug mode) hears after each op. */
export interface OpEvent {
  name: string;
  inputs: readonly Tensor[];
  output: Tensor;
  /** milliseconds the op took, forward pass and recording */
  ms: number;
}

/** Functions called after every op while any is present (profile, time, debug mode). */
export const opWatchers: ((event: OpEvent) => void)[] = [];

function watchedOp(name: string, inputs: readonly Tensor[], forward: (b: Backend, inputs: readonly Tensor[]) => Tensor,
  grad: GradRule | undefined, userCode: boolean): Tensor {
  const watchers = opWatchers.splice(0);
  const start = performance.now();
  let output: Tensor;
  try {
    output = runOp(name, inputs, forward, grad, userCode);
  } finally {
    opWatchers.push(...watchers);
  }
  const event = { name, inputs, output, ms: performance.now() - start };
  for (const w of watchers) w(event);
  return output;
}

// ---- validation shared by the ops ----

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function assertFloat(op: string, x: Tensor, arg = 'x'): void {
  if (!isFloat(x.dtype)) {
    throw new Error(`${op}: expected '${arg}' to be float32 or float64, got ${x.dtype}`);
  }
}

export function assertRank(op: string, x: Tensor, ranks: number | readonly number[], arg = 'x', layout = ''): void {
  const allowed = typeof ranks === 'number' ? [ranks] : ranks;
  if (!allowed.includes(x.rank)) {
    const want = allowed.map((r) => `rank ${r}`).join(' or ');
    throw new Error(`${op}: expected '${arg}' of ${want}${layout ? ` ${layout}` : ''}, got shape [${x.shape}]`);
  }
}

/** Normalises an axis (negative counts from the end) and checks its range. */
export function normalizeAxis(op: string, axis: number, rank: number, arg = 'axis'): number {
  // a wrong type (a string, a tensor) is named as such, not as an axis out of range
  if (typeof axis !== 'number') throw new Error(`${op}: expected '${arg}' to be an integer, got ${describeValue(axis)}`);
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new Error(`${op}: ${arg} ${axis} is out of range for a tensor of rank ${rank} ` +
      `(expected an integer in [${-rank}, ${Math.max(rank - 1, 0)}])`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Sorted unique axes; undefined or null means all axes. */
export function normalizeAxes(op: string, axis: number | readonly number[] | null | undefined, rank: number): number[] {
  if (axis === undefined || axis === null) {
    const all = new Array<number>(rank);
    for (let i = 0; i < rank; i++) all[i] = i;
    return all;
  }
  // js overhead area (issue 18): one axis (mean over the batch, argMax over classes) without a Set
  if (typeof axis === 'number') return [normalizeAxis(op, axis, rank)];
  const list = [...axis];
  const result = list.map((a) => normalizeAxis(op, a, rank));
  if (new Set(result).size !== result.length) {
    throw new Error(`${op}: axis ${JSON.stringify(axis)} names an axis twice`);
  }
  return result.sort((a, b) => a - b);
}

/** The dtype both operands are computed in: bool < int32 < float32 < float64. */
export function upcast(a: DType, b: DType): DType {
  if (a === 'string' || b === 'string') {
    if (a === b) return a;
    throw new Error(`cannot combine a ${a} tensor with a ${b} tensor (strings only meet strings)`);
  }
  if (a === 'complex64' || a === 'complex128' || b === 'complex64' || b === 'complex128') {
    return [a, b].some((d) => d === 'float64' || d === 'complex128') ? 'complex128' : 'complex64';
  }
  const order: DType[] = ['bool', 'int32', 'float32', 'float64'];
  return order[Math.max(order.indexOf(a), order.indexOf(b))];
}

/**
 * Adds ops as methods, `x.add(y)` for `add(x, y)`. Each op file lists its own methods next to
 * the ops, with a `declare module` block that types them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function chainable(methods: Record<string, (x: Tensor, ...args: any[]) => unknown>): void {
  for (const [name, fn] of Object.entries(methods)) {
    Object.defineProperty(Tensor.prototype, name, {
      value(this: Tensor, ...args: unknown[]) {
        return fn(this, ...args);
      },
      writable: true,
      configurable: true,
    });
  }
}
