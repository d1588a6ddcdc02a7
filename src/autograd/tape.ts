/**
 * The tape. Each op that reads a tracked tensor records a `TapeNode` on its output: the inputs
 * and the local backward rule (micrograd's idea). The tape is therefore the graph hanging off
 * the tensors themselves: whatever the program no longer refers to, the collector takes, so a
 * forward pass that is never differentiated leaks nothing, and `backward()` releases the nodes
 * it walked.
 */
import type { Tensor, TapeNode } from '../tensor/tensor.js';

let recordingDisabled = 0;
/** Tensors the functional front doors watch besides those with requiresGrad. */
const watched = new Set<Tensor>();

/**
 * @example
 * ```ts
 * console.log(st.isRecording());
 * ```
 */
export function isRecording(): boolean {
  return recordingDisabled === 0;
}

/**
 * Runs `fn` without recording anything on the tape (inference, weight updates).
 *
 * @example
 * ```ts
 * const y = st.noGrad(() => st.mul(st.tensor([1, 2]), 3));
 * y.print();
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  recordingDisabled++;
  try {
    return fn();
  } finally {
    recordingDisabled--;
  }
}

/**
 * noGrad's two halves, for runOp's hot path (js overhead area, issue 18: no closure per op).
 * Always in pairs, the second in a `finally`.
 */
export function pauseRecording(): void {
  recordingDisabled++;
}

export function resumeRecording(): void {
  recordingDisabled--;
}

let gradientFunctionDepth = 0;

/** Counts the gradient functions (grad, grads, valueAndGrad(s), variableGrads) now running. */
export function enterGradientFunction(): number {
  return gradientFunctionDepth++;
}

export function leaveGradientFunction(): void {
  gradientFunctionDepth--;
}

/**
 * Whether a gradient function (and so optimizer.minimize) is running: inference paths that
 * normally skip the tape (model.predict) record inside one, because TensorFlow.js programs
 * differentiate through predict.
 */
export function insideGradientFunction(): boolean {
  return gradientFunctionDepth > 0;
}

export function watch(t: Tensor): void {
  watched.add(t);
}

export function unwatch(t: Tensor): void {
  watched.delete(t);
}

/** Whether gradients can flow back into `t`. */
export function isTracked(t: Tensor): boolean {
  return t.node !== null || t.requiresGrad || watched.has(t);
}

/** Whether an op reading `inputs` should be recorded. */
export function shouldRecord(inputs: readonly Tensor[]): boolean {
  if (recordingDisabled > 0) return false;
  for (const t of inputs) if (isTracked(t)) return true;
  return false;
}

export function record(
  opName: string, inputs: readonly Tensor[], output: Tensor, backward: TapeNode['backward'],
  saved?: readonly Tensor[], snapshots?: readonly Tensor[],
): void {
  output.node = { opName, inputs, backward, saved, snapshots };
}
