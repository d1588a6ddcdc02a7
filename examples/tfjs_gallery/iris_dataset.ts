// The Iris classifier of TensorFlow.js's gallery (four measurements, a dense sigmoid layer, a
// softmax over three species, adam, categorical cross-entropy), fed through tf.data instead of
// whole tensors: the training set is tf.data.zip({xs: tf.data.array(...), ys: tf.data.array(...)})
// shuffled with a seed and batched, the test set a tf.data.generator; model.fitDataset trains
// (validating on the test set each epoch), model.evaluateDataset scores, and
// model.predict(...).argMax(-1) gives the species.
//
// The flowers: 150, fifty per species, drawn from Gaussians with the per-species means and
// standard deviations of Fisher's measurements (sepal length and width, petal length and width,
// in cm), seeded; 35 of each species train and 15 test.
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface IrisOutcome {
  /** [loss, accuracy] from model.evaluateDataset on the test set */
  testLoss: number;
  testAccuracy: number;
  /** accuracy counted from model.predict(...).argMax(-1) */
  predictedAccuracy: number;
  /** confusion counts [true species][predicted species] on the test set */
  confusion: number[][];
  firstValAcc: number;
  lastValAcc: number;
}

export interface IrisOptions {
  epochs?: number;
  seed?: number;
}

const SPECIES = ['setosa', 'versicolor', 'virginica'];
// per species: [mean, standard deviation] of sepal length, sepal width, petal length, petal width
const MEASUREMENTS = [
  [[5.01, 0.35], [3.43, 0.38], [1.46, 0.17], [0.25, 0.11]],
  [[5.94, 0.52], [2.77, 0.31], [4.26, 0.47], [1.33, 0.2]],
  [[6.59, 0.64], [2.97, 0.32], [5.55, 0.55], [2.03, 0.27]],
];

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

function flowers(perSpecies: number, random: () => number): Array<{ features: number[]; species: number }> {
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const out: Array<{ features: number[]; species: number }> = [];
  for (let i = 0; i < perSpecies; i++) {
    for (let species = 0; species < SPECIES.length; species++) {
      const features = MEASUREMENTS[species].map(([mean, std]) => Math.max(0.1, mean + std * gaussian()));
      out.push({ features, species });
    }
  }
  return out;
}

const oneHot = (species: number) => SPECIES.map((_, i) => (i === species ? 1 : 0));

export async function run(tf: any, opts: IrisOptions = {}): Promise<IrisOutcome> {
  const epochs = opts.epochs ?? 40;
  const seed = opts.seed ?? 4;
  const all = flowers(50, seededRandom(seed));
  const train = all.slice(0, 105);
  const test = all.slice(105);

  const xs = tf.data.array(train.map((f) => f.features));
  const ys = tf.data.array(train.map((f) => oneHot(f.species)));
  const trainDataset = tf.data.zip({ xs, ys }).shuffle(train.length, String(seed)).batch(16);
  const testDataset = tf.data.generator(function* () {
    for (const flower of test) yield { xs: flower.features, ys: oneHot(flower.species) };
  }).batch(15);

  const model = tf.sequential();
  model.add(tf.layers.dense({
    units: 10, activation: 'sigmoid', inputShape: [4],
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
  }));
  model.add(tf.layers.dense({
    units: SPECIES.length, activation: 'softmax',
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
  }));
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fitDataset(trainDataset, { epochs, validationData: testDataset, verbose: 0 });

  const [loss, accuracy] = await model.evaluateDataset(testDataset);
  const predicted: number[] = Array.from(tf.tidy(() =>
    model.predict(tf.tensor2d(test.map((f) => f.features))).argMax(-1).dataSync()));
  const confusion = SPECIES.map(() => SPECIES.map(() => 0));
  test.forEach((flower, i) => confusion[flower.species][predicted[i]]++);
  const valAcc: number[] = history.history.val_acc;
  return {
    testLoss: loss.dataSync()[0],
    testAccuracy: accuracy.dataSync()[0],
    predictedAccuracy: predicted.filter((p, i) => p === test[i].species).length / test.length,
    confusion,
    firstValAcc: valAcc[0],
    lastValAcc: valAcc[valAcc.length - 1],
  };
}
