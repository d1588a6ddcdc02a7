// A custom layer written the way TensorFlow.js's gallery writes one: a class extending
// tf.layers.Layer with build (a trainable weight), computeOutputShape, call, getConfig and a
// static className, registered with tf.serialization.registerClass so that a saved model
// naming it loads again. The layer is an "antirectifier" (centre each sample's features,
// scale them to unit length, then keep both the positive and the negative part, doubling the
// width) with a learnt gain per output feature. A small model with it learns to tell the
// inside of a disc from a ring around it; the trained model is saved to memory, loaded back
// and must predict exactly what it predicted before.
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface CustomLayerOutcome {
  /** training-set accuracy after fit */
  accuracy: number;
  firstLoss: number;
  lastLoss: number;
  /** largest |prediction before save - prediction after load| */
  reloadMaxDiff: number;
  /** the class name the reloaded model's middle layer reports */
  reloadedClassName: string;
  /** the `epsilon` option read back from the reloaded layer's config */
  reloadedEpsilon: number;
  /** the layer's computed output shape for a [null, 8] input */
  outputShape: (number | null)[];
}

/** Points in [-1, 1]^2 from a small linear congruential generator: identical on every library. */
function discAndRing(count: number, seed: number): { points: number[][]; labels: number[] } {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const points: number[][] = [];
  const labels: number[] = [];
  while (points.length < count) {
    const inner = points.length % 2 === 0;
    const radius = inner ? 0.5 * Math.sqrt(next()) : 0.7 + 0.3 * next();
    const angle = 2 * Math.PI * next();
    points.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
    labels.push(inner ? 0 : 1);
  }
  return { points, labels };
}

export async function run(tf: any, opts: { epochs?: number } = {}): Promise<CustomLayerOutcome> {
  const epochs = opts.epochs ?? 40;

  class Antirectifier extends tf.layers.Layer {
    static className = 'Antirectifier';
    epsilon: number;
    gain: any;

    constructor(config: any = {}) {
      super(config);
      this.epsilon = config.epsilon ?? 1e-6;
    }

    build(inputShape: any) {
      const width = inputShape[inputShape.length - 1];
      this.gain = this.addWeight('gain', [2 * width], 'float32', tf.initializers.ones());
      this.built = true;
    }

    computeOutputShape(inputShape: any) {
      return [inputShape[0], 2 * inputShape[1]];
    }

    call(inputs: any) {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        const centred = tf.sub(x, tf.mean(x, 1, true));
        const length = tf.sqrt(tf.add(tf.sum(tf.square(centred), 1, true), this.epsilon));
        const unit = tf.div(centred, length);
        return tf.mul(tf.concat([tf.relu(unit), tf.relu(tf.neg(unit))], 1), this.gain.read());
      });
    }

    getConfig() {
      return { ...super.getConfig(), epsilon: this.epsilon };
    }
  }
  tf.serialization.registerClass(Antirectifier);

  const { points, labels } = discAndRing(200, 7);
  const xs = tf.tensor2d(points);
  const ys = tf.tensor2d(labels, [labels.length, 1]);

  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 8, inputShape: [2], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  model.add(new Antirectifier({ epsilon: 1e-5 }));
  model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });

  const losses: number[] = [];
  await model.fit(xs, ys, {
    epochs,
    batchSize: 100,
    verbose: 0,
    shuffle: false,
    callbacks: { onEpochEnd: async (_epoch: number, logs: any) => { losses.push(logs.loss); } },
  });

  const [, accuracyTensor] = model.evaluate(xs, ys);
  const accuracy = (await accuracyTensor.data())[0];
  const before = model.predict(xs);

  // save to memory and load back: the loader finds the class through registerClass
  let artifacts: any;
  await model.save(tf.io.withSaveHandler(async (saved: any) => {
    artifacts = saved;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const reloaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const after = reloaded.predict(xs);
  const reloadMaxDiff = tf.max(tf.abs(tf.sub(before, after))).dataSync()[0];
  const middle = reloaded.layers[1];

  const outcome: CustomLayerOutcome = {
    accuracy,
    firstLoss: losses[0],
    lastLoss: losses[losses.length - 1],
    reloadMaxDiff,
    reloadedClassName: middle.getClassName(),
    reloadedEpsilon: middle.getConfig().epsilon,
    outputShape: new Antirectifier({}).computeOutputShape([null, 8]),
  };
  tf.dispose([xs, ys, before, after, accuracyTensor]);
  return outcome;
}
