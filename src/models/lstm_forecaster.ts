/**
 * Next-value prediction for time series (the seeds' "predict the next sensor reading"): a
 * window of past readings [steps, features] -> LSTM (stacked when `units` has several widths)
 * -> dense linear output of the next `horizon` values. Train with loss 'meanSquaredError'.
 */
import { sequential, type Sequential } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';

export interface LstmForecasterArgs {
  /** readings per input window */
  windowSize: number;
  /** values per reading (default 1) */
  features?: number;
  /** LSTM widths, one layer each (default [32]) */
  units?: number[] | number;
  /** how many future values to predict (default 1) */
  horizon?: number;
  name?: string;
}

/**
 * @example
 * ```ts
 * const model = st.models.lstmForecaster({ windowSize: 10 });
 * model.predict(st.zeros([1, 10, 1])).print();
 * ```
 */
export function lstmForecaster(args: LstmForecasterArgs): Sequential {
  const { windowSize, features = 1, horizon = 1 } = args ?? {};
  const units = typeof args?.units === 'number' ? [args.units] : args?.units ?? [32];
  for (const [key, v] of Object.entries({ windowSize, features, horizon })) {
    if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`models.lstmForecaster: ${key} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  if (!Array.isArray(units) || units.length === 0 || units.some((u) => !Number.isInteger(u) || u < 1)) {
    throw new Error(`models.lstmForecaster: units must be a positive width or a list of them, got ${JSON.stringify(args.units)}`);
  }
  const model = sequential({ name: args.name ?? 'lstm_forecaster' });
  units.forEach((u, i) => model.add(layers.lstm({
    units: u, returnSequences: i < units.length - 1, ...(i === 0 ? { inputShape: [windowSize, features] } : {}),
  })));
  model.add(layers.dense({ units: horizon }));
  return model;
}
