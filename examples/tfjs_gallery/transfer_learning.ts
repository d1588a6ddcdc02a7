// Transfer learning the way TensorFlow.js's webcam / sentiment transfer examples do it: a base
// model is trained on one task and saved; the saved artifacts are loaded back (here through the
// in-memory tf.io.withSaveHandler / tf.io.fromMemory pair instead of a URL); its layers are
// frozen (layer.trainable = false); a new head is put on the output of one of its inner layers
// (base.getLayer(name).output) with tf.model({inputs: base.inputs, outputs}); only the head
// trains, on a new task.
//
// The tasks: points in the square [-1, 1]^2. Task A (the base): which quadrant the point is in.
// Task B (the head): whether x and y have the same sign, an XOR no linear model on the raw
// coordinates can learn, but one that a single dense layer on the base's features learns at once.
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface TransferOutcome {
  baseAccuracy: number;
  /** the largest difference between the base's and the reloaded base's predictions */
  reloadDifference: number;
  /** weights in the saved artifacts: their names in the manifest */
  savedWeightNames: string[];
  headAccuracy: number;
  /** a logistic regression on the raw coordinates, trained as long as the head, for comparison */
  rawLinearAccuracy: number;
  /** the largest change of any frozen weight while the head trained */
  frozenChange: number;
  trainableWeightCount: number;
}

export interface TransferOptions {
  seed?: number;
}

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

function points(count: number, random: () => number): number[][] {
  return Array.from({ length: count }, () => [2 * random() - 1, 2 * random() - 1]);
}

const quadrant = ([x, y]: number[]) => (x >= 0 ? 0 : 1) + (y >= 0 ? 0 : 2);
const sameSign = ([x, y]: number[]) => ((x >= 0) === (y >= 0) ? 1 : 0);

function accuracy(tf: any, model: any, xs: any, labels: number[]): number {
  return tf.tidy(() => {
    const predicted = model.predict(xs).argMax(-1);
    return predicted.equal(tf.tensor1d(labels, 'int32')).mean().dataSync()[0];
  });
}

export async function run(tf: any, opts: TransferOptions = {}): Promise<TransferOutcome> {
  const seed = opts.seed ?? 2;
  const random = seededRandom(seed);
  const trainPoints = points(400, random);
  const testPoints = points(200, random);
  const trainXs = tf.tensor2d(trainPoints);
  const testXs = tf.tensor2d(testPoints);

  // the base model, trained on task A
  const base = tf.sequential({
    layers: [
      tf.layers.dense({ units: 16, activation: 'relu', inputShape: [2], name: 'hidden', kernelInitializer: tf.initializers.heNormal({ seed }) }),
      tf.layers.dense({ units: 8, activation: 'relu', name: 'features', kernelInitializer: tf.initializers.heNormal({ seed: seed + 1 }) }),
      tf.layers.dense({ units: 4, activation: 'softmax', name: 'quadrant', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }),
    ],
  });
  base.compile({ optimizer: tf.train.adam(0.02), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await base.fit(trainXs, tf.tensor1d(trainPoints.map(quadrant)), { epochs: 30, batchSize: 32, verbose: 0 });
  const baseAccuracy = accuracy(tf, base, testXs, testPoints.map(quadrant));

  // save it and load it back, as a program would through a file or a URL
  let saved: any = null;
  await base.save(tf.io.withSaveHandler(async (artifacts: any) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
  const reloadDifference = tf.tidy(() => base.predict(testXs).sub(loaded.predict(testXs)).abs().max().dataSync()[0]);
  const savedWeightNames: string[] = saved.weightSpecs.map((spec: any) => spec.name);

  // freeze the loaded base and put a new head on its feature layer
  for (const layer of loaded.layers) layer.trainable = false;
  const features = loaded.getLayer('features').output;
  const head = tf.layers.dense({ units: 2, activation: 'softmax', name: 'same_sign', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 3 }) });
  const transfer = tf.model({ inputs: loaded.inputs, outputs: head.apply(features) });
  transfer.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const frozenBefore = loaded.getLayer('hidden').getWeights()[0].dataSync().slice();
  const taskB = tf.tensor1d(trainPoints.map(sameSign));
  await transfer.fit(trainXs, taskB, { epochs: 20, batchSize: 32, verbose: 0 });
  const frozenAfter = loaded.getLayer('hidden').getWeights()[0].dataSync();
  const frozenChange = frozenBefore.reduce((m: number, v: number, i: number) => Math.max(m, Math.abs(v - frozenAfter[i])), 0);
  const headAccuracy = accuracy(tf, transfer, testXs, testPoints.map(sameSign));

  // the same training on the raw coordinates
  const raw = tf.sequential({
    layers: [tf.layers.dense({ units: 2, activation: 'softmax', inputShape: [2], kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 4 }) })],
  });
  raw.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await raw.fit(trainXs, taskB, { epochs: 20, batchSize: 32, verbose: 0 });
  const rawLinearAccuracy = accuracy(tf, raw, testXs, testPoints.map(sameSign));

  return {
    baseAccuracy, reloadDifference, savedWeightNames, headAccuracy, rawLinearAccuracy, frozenChange,
    trainableWeightCount: transfer.trainableWeights.length,
  };
}
