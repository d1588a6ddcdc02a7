/**
 * TensorFlow.js' tools around ops: `profile` (the ops a function ran, with bytes, tensors and
 * time), `time`, `op` (a named function whose ops run in one tidy scope), `engine()` (scopes by
 * hand, memory, variables), and debug mode's NaN check, all through the op watcher of op.ts.
 */
import { Tensor, Variable } from '../tensor/tensor.js';
import { disposeVariables, endScope, memory, startScope, tidy, keep, dispose, type TensorContainer } from '../tensor/engine.js';
import { ENV } from '../tensor/environment.js';
import { getBackendName, backend } from '../backend/registry.js';
import { opWatchers, type OpEvent } from './op.js';

export interface KernelInfo {
  name: string;
  bytesAdded: number;
  totalBytesSnapshot: number;
  tensorsAdded: number;
  totalTensorsSnapshot: number;
  inputShapes: number[][];
  outputShapes: number[][];
  kernelTimeMs: number;
  extraInfo: string;
}

export interface ProfileInfo {
  newBytes: number;
  newTensors: number;
  peakBytes: number;
  kernels: KernelInfo[];
  result: TensorContainer;
  kernelNames: string[];
}

function watching<T>(watcher: (e: OpEvent) => void, fn: () => T): T {
  opWatchers.push(watcher);
  try {
    return fn();
  } finally {
    opWatchers.splice(opWatchers.indexOf(watcher), 1);
  }
}

/**
 * Runs `f` and reports every op it ran: shapes, bytes and tensors added, time.
 *
 * @example
 * ```ts
 * const info = await st.profile(() => st.matMul(st.ones([8, 8]), st.ones([8, 8])));
 * console.log(info.newTensors, info.kernelNames);
 * ```
 */
export async function profile(f: () => TensorContainer | Promise<TensorContainer>): Promise<ProfileInfo> {
  const before = memory();
  let peak = before.numBytes;
  const kernels: KernelInfo[] = [];
  let last = before;
  const result = await watching((e) => {
    const now = memory();
    peak = Math.max(peak, now.numBytes);
    kernels.push({
      name: e.name, bytesAdded: now.numBytes - last.numBytes, totalBytesSnapshot: now.numBytes,
      tensorsAdded: now.numTensors - last.numTensors, totalTensorsSnapshot: now.numTensors,
      inputShapes: e.inputs.map((t) => [...t.shape]), outputShapes: [[...e.output.shape]], kernelTimeMs: e.ms, extraInfo: '',
    });
    last = now;
  }, () => f());
  const after = memory();
  return {
    newBytes: after.numBytes - before.numBytes, newTensors: after.numTensors - before.numTensors, peakBytes: peak,
    kernels, result, kernelNames: [...new Set(kernels.map((k) => k.name))],
  };
}

export interface TimingInfo {
  /** time inside ops */
  kernelMs: number;
  /** time of the whole call */
  wallMs: number;
}

/**
 * Runs `f` once and says how long it took, in all and inside ops.
 *
 * @example
 * ```ts
 * const timing = await st.time(() => st.matMul(st.ones([64, 64]), st.ones([64, 64])));
 * console.log(`${timing.wallMs} ms`);
 * ```
 */
export async function time(f: () => void): Promise<TimingInfo> {
  let kernelMs = 0;
  const start = performance.now();
  watching((e) => { kernelMs += e.ms; }, f);
  return { kernelMs, wallMs: performance.now() - start };
}

/**
 * Wraps a function as an op, TensorFlow.js style: `const f = st.op({ myOp: (x) => ... })`.
 * The tensors it makes inside are freed when it returns (a tidy scope), but its result.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
/**
 * @example
 * ```ts
 * const squarePlusOne = st.op({ squarePlusOne: (x: st.Tensor) => st.add(st.square(x), 1) });
 * squarePlusOne(st.tensor1d([1, 2])).print(); // [2, 5]
 * ```
 */
export function op<T extends (...args: any[]) => any>(f: { [name: string]: T }): T {
  const keys = Object.keys(f ?? {});
  if (keys.length !== 1 || typeof f[keys[0]] !== 'function') {
    throw new Error(`op: expected an object with exactly one function, got keys [${keys.join(', ')}]`);
  }
  const fn = f[keys[0]];
  const wrapped = (...args: unknown[]) => tidy(() => fn(...args));
  Object.defineProperty(wrapped, 'name', { value: keys[0] });
  return wrapped as unknown as T;
}

// debug mode: every op's output is checked for NaN and Infinity, naming the op
function checkFinite(e: OpEvent): void {
  const t = e.output;
  if (t.dtype !== 'float32' && t.dtype !== 'float64') return;
  const values = t.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(`debug mode: the result of '${e.name}' (shape [${t.shape}]) has ${values[i]} at element ${i}; ` +
        `its inputs had shapes ${e.inputs.map((x) => `[${x.shape}]`).join(', ')}`);
    }
  }
}
ENV.registerFlag('DEBUG', () => false, (on) => {
  const at = opWatchers.indexOf(checkFinite);
  if (on && at < 0) opWatchers.push(checkFinite);
  if (!on && at >= 0) opWatchers.splice(at, 1);
});

/** The parts of TensorFlow.js' engine that programs call (`tf.engine().startScope()`, ...). */
export interface Engine {
  startScope(name?: string): void;
  endScope(result?: TensorContainer): void;
  tidy: typeof tidy;
  keep<T extends Tensor>(t: T): T;
  dispose(x: TensorContainer): void;
  disposeVariables(): void;
  memory(): ReturnType<typeof memory>;
  readonly registeredVariables: Record<string, Variable>;
  readonly backendName: string;
  readonly backend: ReturnType<typeof backend>;
}

const theEngine: Engine = {
  startScope: () => startScope(),
  endScope: (result) => endScope(result),
  tidy, keep, dispose, disposeVariables, memory,
  get registeredVariables() {
    return Object.fromEntries(Variable.live().map((v) => [v.name, v]));
  },
  get backendName() {
    return getBackendName();
  },
  get backend() {
    return backend();
  },
};

/**
 * @example
 * ```ts
 * console.log(st.engine().backendName);
 * ```
 */
export function engine(): Engine {
  return theEngine;
}
