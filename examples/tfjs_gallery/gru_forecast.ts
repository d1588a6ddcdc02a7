// A recurrent forecaster the way TensorFlow.js's Jena-weather example builds its GRU model: a
// series is cut into windows of past readings, each window paired with the reading that comes
// next; a tf.layers.gru reads the window and a dense unit predicts; model.fit holds out the end
// of the training windows with validationSplit. The held-out test windows (the last stretch of
// the series, never seen in training) are scored against the naive forecast "tomorrow is like
// today" (the window's last reading), the baseline the weather example also beats.
//
// The series: a daily cycle of 12 readings on a slower 60-reading season, plus Gaussian noise
// of standard deviation 0.1, seeded.
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface GruForecastOutcome {
  modelMse: number;
  naiveMse: number;
  /** validation loss after the first and the last epoch */
  firstValLoss: number;
  lastValLoss: number;
  trainWindows: number;
  testWindows: number;
}

export interface GruForecastOptions {
  epochs?: number;
  seed?: number;
}

const LOOKBACK = 8;

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seasonalSeries(length: number, random: () => number): number[] {
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const series: number[] = [];
  for (let t = 0; t < length; t++) {
    series.push(Math.sin((2 * Math.PI * t) / 12) + 0.6 * Math.sin((2 * Math.PI * t) / 60) + 0.1 * gaussian());
  }
  return series;
}

/** Windows of LOOKBACK readings [n, LOOKBACK, 1] and the next reading [n, 1]. */
function makeWindows(series: number[]): { windows: number[][][]; targets: number[][] } {
  const windows: number[][][] = [];
  const targets: number[][] = [];
  for (let start = 0; start + LOOKBACK < series.length; start++) {
    windows.push(series.slice(start, start + LOOKBACK).map((v) => [v]));
    targets.push([series[start + LOOKBACK]]);
  }
  return { windows, targets };
}

export async function run(tf: any, opts: GruForecastOptions = {}): Promise<GruForecastOutcome> {
  const epochs = opts.epochs ?? 8;
  const seed = opts.seed ?? 5;
  const series = seasonalSeries(420, seededRandom(seed));
  const split = 320;
  const train = makeWindows(series.slice(0, split));
  // the test windows start where the training series ends (their inputs may reach back into it)
  const test = makeWindows(series.slice(split - LOOKBACK));

  const model = tf.sequential();
  model.add(tf.layers.gru({
    units: 16, inputShape: [LOOKBACK, 1],
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }),
  }));
  model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }));
  model.compile({ optimizer: tf.train.rmsprop(0.01), loss: 'meanSquaredError' });

  const xs = tf.tensor3d(train.windows);
  const ys = tf.tensor2d(train.targets);
  const history = await model.fit(xs, ys, { epochs, batchSize: 32, validationSplit: 0.15, verbose: 0 });

  const testXs = tf.tensor3d(test.windows);
  const testYs = tf.tensor2d(test.targets);
  const modelMse = tf.tidy(() => tf.losses.meanSquaredError(testYs, model.predict(testXs)).dataSync()[0]);
  const naive = test.windows.map((w) => [w[LOOKBACK - 1][0]]);
  const naiveMse = tf.tidy(() => tf.losses.meanSquaredError(testYs, tf.tensor2d(naive)).dataSync()[0]);
  const valLoss: number[] = history.history.val_loss;
  tf.dispose([xs, ys, testXs, testYs]);
  return {
    modelMse, naiveMse,
    firstValLoss: valLoss[0], lastValLoss: valLoss[valLoss.length - 1],
    trainWindows: train.windows.length, testWindows: test.windows.length,
  };
}
