// Tabular regression the way TensorFlow.js's Boston-housing example and tf.data's CSV guide do
// it: the tables are CSV files read through tf.data.csv (a file:// URL, the label column marked
// with columnConfigs { isLabel: true }); the features are normalised with the mean and standard
// deviation of the training rows (tf.moments over the dataset's rows), the model is a small
// multi-layer perceptron trained with model.fitDataset, and the test MSE comes from
// model.evaluateDataset.
//
// The data: 400 training and 100 test houses with five features on very different scales (crime
// rate, rooms, age, distance, tax); the price is a fixed linear blend of them, a mild curvature in
// the rooms, and Gaussian noise of standard deviation 1 (so an MSE near 1 is the best possible).
// The program writes the two CSV files to a fresh temporary folder first.
//
// Only the `tf` handed in is used for the learning, so the same code runs on TensorFlow.js and
// on striate.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CsvRegressionOutcome {
  testMse: number;
  /** MSE of always predicting the training rows' mean price */
  baselineMse: number;
  /** training loss after the first and the last epoch */
  firstLoss: number;
  lastLoss: number;
  featureNames: string[];
}

export interface CsvRegressionOptions {
  epochs?: number;
  seed?: number;
}

const FEATURES = ['crime', 'rooms', 'age', 'distance', 'tax'];

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

/** `count` houses as CSV text, a header line first. */
function housesCsv(count: number, random: () => number): string {
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const lines = [[...FEATURES, 'price'].join(',')];
  for (let i = 0; i < count; i++) {
    const crime = 10 * random();
    const rooms = 4 + 4 * random();
    const age = 100 * random();
    const distance = 1 + 11 * random();
    const tax = 200 + 500 * random();
    const price = 22 + 6 * (rooms - 6) + 1.5 * (rooms - 6) ** 2 - 0.05 * (age - 50) - (distance - 6)
      - 0.01 * (tax - 450) - 0.5 * crime + gaussian();
    lines.push([crime, rooms, age, distance, tax, price].map((v) => v.toFixed(4)).join(','));
  }
  return lines.join('\n') + '\n';
}

export async function run(tf: any, opts: CsvRegressionOptions = {}): Promise<CsvRegressionOutcome> {
  const epochs = opts.epochs ?? 30;
  const seed = opts.seed ?? 11;
  const random = seededRandom(seed);
  const folder = mkdtempSync(join(tmpdir(), 'gallery-csv-'));
  try {
    const trainPath = join(folder, 'train.csv');
    const testPath = join(folder, 'test.csv');
    writeFileSync(trainPath, housesCsv(400, random));
    writeFileSync(testPath, housesCsv(100, random));

    const csvConfig = { columnConfigs: { price: { isLabel: true } } };
    const trainCsv = tf.data.csv(`file://${trainPath}`, csvConfig);
    const testCsv = tf.data.csv(`file://${testPath}`, csvConfig);
    const featureNames: string[] = (await trainCsv.columnNames()).filter((name: string) => name !== 'price');

    // rows of plain numbers: {xs: {crime: .., ...}, ys: {price: ..}} -> {xs: [...], ys: [price]}
    const toArrays = ({ xs, ys }: { xs: Record<string, number>; ys: Record<string, number> }) =>
      ({ xs: featureNames.map((name) => xs[name]), ys: [ys.price] });
    const trainRows = trainCsv.map(toArrays);
    const testRows = testCsv.map(toArrays);

    // normalisation statistics from the training rows only
    const trainArrays = await trainRows.toArray();
    const { mean, variance } = tf.tidy(() => tf.moments(tf.tensor2d(trainArrays.map((r: any) => r.xs)), 0));
    const std = tf.sqrt(variance);
    const meanPrice = trainArrays.reduce((sum: number, r: any) => sum + r.ys[0], 0) / trainArrays.length;
    const normalise = ({ xs, ys }: { xs: number[]; ys: number[] }) =>
      ({ xs: tf.tensor1d(xs).sub(mean).div(std), ys: tf.tensor1d(ys) });

    const trainDataset = trainRows.map(normalise).shuffle(400, String(seed)).batch(32);
    const testDataset = testRows.map(normalise).batch(50);

    const model = tf.sequential();
    model.add(tf.layers.dense({
      inputShape: [featureNames.length], units: 32, activation: 'sigmoid',
      kernelInitializer: tf.initializers.leCunNormal({ seed }),
    }));
    model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.leCunNormal({ seed: seed + 1 }) }));
    model.compile({ optimizer: tf.train.adam(0.1), loss: 'meanSquaredError' });
    const history = await model.fitDataset(trainDataset, { epochs, verbose: 0 });

    const testLoss = await model.evaluateDataset(testDataset);
    const testMse = (Array.isArray(testLoss) ? testLoss[0] : testLoss).dataSync()[0];
    const testPrices = (await testRows.toArray()).map((r: any) => r.ys[0]);
    const baselineMse = testPrices.reduce((sum: number, p: number) => sum + (p - meanPrice) ** 2, 0) / testPrices.length;
    const losses: number[] = history.history.loss;
    return { testMse, baselineMse, firstLoss: losses[0], lastLoss: losses[losses.length - 1], featureNames };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
