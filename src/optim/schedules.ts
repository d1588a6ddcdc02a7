/** Learning-rate schedules: a function of the optimizer's step count (iterations, from 0). */

export type LearningRate = number | Schedule;

export interface Schedule {
  /** learning rate at `step` (0 for the first update) */
  (step: number): number;
  readonly scheduleName: string;
}

function schedule(name: string, f: (step: number) => number): Schedule {
  return Object.assign(f, { scheduleName: name });
}

function positive(op: string, what: string, v: number): void {
  if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
    throw new Error(`${op}: ${what} must be a positive number, got ${v}`);
  }
}

/**
 * lr * rate^(step / decaySteps), or with whole steps only when `staircase` (Keras' ExponentialDecay).
 *
 * @example
 * ```ts
 * const lr = st.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.5 });
 * console.log(lr(100)); // 0.05
 * ```
 */
export function exponentialDecay(options: {
  initialLearningRate: number; decaySteps: number; decayRate: number; staircase?: boolean;
}): Schedule {
  const { initialLearningRate, decaySteps, decayRate, staircase = false } = options;
  positive('exponentialDecay', 'initialLearningRate', initialLearningRate);
  positive('exponentialDecay', 'decaySteps', decaySteps);
  positive('exponentialDecay', 'decayRate', decayRate);
  return schedule('exponentialDecay', (step) => {
    const p = step / decaySteps;
    return initialLearningRate * decayRate ** (staircase ? Math.floor(p) : p);
  });
}

/**
 * values[i] while step <= boundaries[i] (boundaries.length + 1 values; Keras' PiecewiseConstantDecay).
 *
 * @example
 * ```ts
 * const lr = st.schedules.piecewiseConstantDecay({ boundaries: [10, 20], values: [0.1, 0.01, 0.001] });
 * console.log(lr(15)); // 0.01
 * ```
 */
export function piecewiseConstantDecay(options: { boundaries: number[]; values: number[] }): Schedule {
  const { boundaries, values } = options;
  if (!Array.isArray(boundaries) || !Array.isArray(values) || values.length !== boundaries.length + 1) {
    throw new Error(`piecewiseConstantDecay: needs one more value than boundaries, got ${values?.length} values ` +
      `and ${boundaries?.length} boundaries`);
  }
  for (let i = 1; i < boundaries.length; i++) {
    if (!(boundaries[i] > boundaries[i - 1])) throw new Error('piecewiseConstantDecay: boundaries must increase');
  }
  return schedule('piecewiseConstantDecay', (step) => {
    let i = 0;
    while (i < boundaries.length && step > boundaries[i]) i++;
    return values[i];
  });
}

/**
 * Multiplies the rate by `factor` every `stepSize` steps (a step decay).
 *
 * @example
 * ```ts
 * const lr = st.schedules.stepDecay({ initialLearningRate: 0.1, stepSize: 10, factor: 0.5 });
 * console.log(lr(25)); // 0.025
 * ```
 */
export function stepDecay(options: { initialLearningRate: number; stepSize: number; factor?: number }): Schedule {
  const { initialLearningRate, stepSize, factor = 0.1 } = options;
  positive('stepDecay', 'initialLearningRate', initialLearningRate);
  positive('stepDecay', 'stepSize', stepSize);
  return schedule('stepDecay', (step) => initialLearningRate * factor ** Math.floor(step / stepSize));
}

/**
 * Cosine from the initial rate down to alpha * initial over decaySteps (Keras' CosineDecay without warmup).
 *
 * @example
 * ```ts
 * const lr = st.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 100 });
 * console.log(lr(50)); // 0.05
 * ```
 */
export function cosineDecay(options: { initialLearningRate: number; decaySteps: number; alpha?: number }): Schedule {
  const { initialLearningRate, decaySteps, alpha = 0 } = options;
  positive('cosineDecay', 'initialLearningRate', initialLearningRate);
  positive('cosineDecay', 'decaySteps', decaySteps);
  return schedule('cosineDecay', (step) => {
    const p = Math.min(step, decaySteps) / decaySteps;
    const cosine = 0.5 * (1 + Math.cos(Math.PI * p));
    return initialLearningRate * ((1 - alpha) * cosine + alpha);
  });
}

/**
 * lr / (1 + rate * step / decaySteps) (Keras' InverseTimeDecay).
 *
 * @example
 * ```ts
 * const lr = st.schedules.inverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 1 });
 * console.log(lr(10)); // 0.05
 * ```
 */
export function inverseTimeDecay(options: {
  initialLearningRate: number; decaySteps: number; decayRate: number; staircase?: boolean;
}): Schedule {
  const { initialLearningRate, decaySteps, decayRate, staircase = false } = options;
  positive('inverseTimeDecay', 'initialLearningRate', initialLearningRate);
  positive('inverseTimeDecay', 'decaySteps', decaySteps);
  return schedule('inverseTimeDecay', (step) => {
    const p = step / decaySteps;
    return initialLearningRate / (1 + decayRate * (staircase ? Math.floor(p) : p));
  });
}
