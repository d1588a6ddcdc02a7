// Predict the next sensor reading (the seeds' recurrent-network example): a noisy signal made
// of two sines is cut into windows of past readings, and an LSTM learns the next value. The
// yardstick is the naive forecast "the next reading equals the last one"; the series is split
// in time (train on the past, test on the future), never shuffled across the cut.
// Run: npm run build && node dist/examples/time_series.js [epochs]
import * as st from 'striate';
import { isMain } from './data_files.js';

export interface SeriesOptions {
  /** readings in the whole series (default 1200) */
  length?: number;
  /** standard deviation of the sensor noise (default 0.1) */
  noise?: number;
  seed?: number;
}

/** A seeded reading per step: sin(2πt/25) + 0.5 sin(2πt/9 + 1) + noise. */
export function sensorSeries(options: SeriesOptions = {}): number[] {
  const { length = 1200, noise = 0.1, seed = 3 } = options;
  const random = new st.Random(seed);
  return Array.from({ length }, (_, t) =>
    Math.sin((2 * Math.PI * t) / 25) + 0.5 * Math.sin((2 * Math.PI * t) / 9 + 1) + noise * random.normal());
}

/** Windows of `size` readings, each paired with the reading that follows it. */
export function windows(series: readonly number[], size: number): { xs: st.Tensor; ys: st.Tensor; last: number[] } {
  const n = series.length - size;
  const x: number[] = [];
  const y: number[] = [];
  const last: number[] = [];
  for (let i = 0; i < n; i++) {
    x.push(...series.slice(i, i + size));
    y.push(series[i + size]);
    last.push(series[i + size - 1]);
  }
  return { xs: st.tensor(x, [n, size, 1]), ys: st.tensor(y, [n, 1]), last };
}

export interface ForecastResult {
  testWindows: number;
  modelMse: number;
  naiveMse: number;
  /** the noise variance: no forecast of a noisy reading can do better on average */
  noiseFloor: number;
}

export async function forecast(options: { epochs?: number; seed?: number; verbose?: number; windowSize?: number } = {}): Promise<ForecastResult> {
  const { epochs = 15, seed = 1, verbose = 0, windowSize = 20 } = options;
  const noise = 0.1;
  const series = sensorSeries({ noise });
  const cut = Math.floor(series.length * 0.75);
  // the test windows start after the cut, so no test target was seen in training
  const train = windows(series.slice(0, cut), windowSize);
  const test = windows(series.slice(cut), windowSize);

  const model = st.models.lstmForecaster({ windowSize, units: 32 });
  model.compile({ optimizer: st.train.adam(0.01), loss: 'meanSquaredError' });
  await model.fit(train.xs, train.ys, { epochs, batchSize: 32, seed, verbose });

  const predicted = (model.predict(test.xs) as st.Tensor).dataSync();
  const actual = test.ys.dataSync();
  let modelSq = 0;
  let naiveSq = 0;
  for (let i = 0; i < actual.length; i++) {
    modelSq += (predicted[i] - actual[i]) ** 2;
    naiveSq += (test.last[i] - actual[i]) ** 2;
  }
  return { testWindows: actual.length, modelMse: modelSq / actual.length, naiveMse: naiveSq / actual.length, noiseFloor: noise ** 2 };
}

if (isMain(import.meta.url)) {
  const r = await forecast({ epochs: Number(process.argv[2] ?? 15), verbose: 1 });
  console.log(`${r.testWindows} held-out windows: LSTM MSE ${r.modelMse.toFixed(4)}, ` +
    `repeat-last-value MSE ${r.naiveMse.toFixed(4)} (${(r.naiveMse / r.modelMse).toFixed(1)}x worse), noise floor ${r.noiseFloor.toFixed(4)}`);
}
