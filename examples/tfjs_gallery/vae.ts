// A variational autoencoder, after TensorFlow.js's "fashion-mnist VAE" example: the encoder
// maps a picture to the mean and log-variance of a 2-D latent Gaussian, a custom layer draws
// z = mean + exp(logVar / 2) * epsilon (the reparameterisation trick, epsilon from
// tf.randomNormal with a seed that changes every call), and the decoder maps z back to pixels.
// The models are built with the functional API (tf.input, tf.model) and trained with a custom
// loss — reconstruction (binary cross-entropy summed over the pixels) plus the KL divergence of
// the latent Gaussian from N(0, 1) — through optimizer.minimize. The data are the 8 bar
// pictures of a 4x4 grid (one full row or one full column lit).
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface VaeOutcome {
  /** mean loss per picture over the first and the last epoch */
  firstLoss: number;
  lastLoss: number;
  /** the KL term alone at the end (it must stay above 0: the latent code is used) */
  lastKl: number;
  /** share of pixels right (rounded) when the 8 pictures go through encoder mean -> decoder */
  reconstructionAccuracy: number;
  /** distinct latent means (rounded to 0.1) of the 8 pictures: the code tells them apart */
  distinctCodes: number;
}

const SIDE = 4;
const PIXELS = SIDE * SIDE;

function barPictures(): number[][] {
  const pictures: number[][] = [];
  for (let k = 0; k < SIDE; k++) {
    pictures.push(Array.from({ length: PIXELS }, (_, i) => (Math.floor(i / SIDE) === k ? 1 : 0)));
    pictures.push(Array.from({ length: PIXELS }, (_, i) => (i % SIDE === k ? 1 : 0)));
  }
  return pictures;
}

export async function run(tf: any, opts: { epochs?: number } = {}): Promise<VaeOutcome> {
  const epochs = opts.epochs ?? 40;
  const latentSize = 2;
  const batchSize = 32;

  class ZLayer extends tf.layers.Layer {
    static className = 'ZLayer';
    seed: number;

    constructor(config: any = {}) {
      super(config);
      this.seed = config.seed ?? 0;
    }

    computeOutputShape(inputShape: any) {
      return inputShape[0];
    }

    call(inputs: any) {
      const [zMean, zLogVar] = inputs;
      return tf.tidy(() => {
        const epsilon = tf.randomNormal(zMean.shape, 0, 1, 'float32', this.seed++);
        return tf.add(zMean, tf.mul(tf.exp(tf.mul(0.5, zLogVar)), epsilon));
      });
    }

    getConfig() {
      return { ...super.getConfig(), seed: this.seed };
    }
  }
  tf.serialization.registerClass(ZLayer);

  const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
  const encoderInput = tf.input({ shape: [PIXELS], name: 'encoder_input' });
  const hidden = tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: seeded(1) }).apply(encoderInput);
  const zMean = tf.layers.dense({ units: latentSize, name: 'z_mean', kernelInitializer: seeded(2) }).apply(hidden);
  const zLogVar = tf.layers.dense({ units: latentSize, name: 'z_log_var', kernelInitializer: seeded(3) }).apply(hidden);
  const z = new ZLayer({ name: 'z', seed: 100 }).apply([zMean, zLogVar]);
  const encoder = tf.model({ inputs: encoderInput, outputs: [zMean, zLogVar, z], name: 'encoder' });

  const decoderInput = tf.input({ shape: [latentSize], name: 'z_sampling' });
  const decoderHidden = tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: seeded(4) }).apply(decoderInput);
  const decoderOutput = tf.layers.dense({ units: PIXELS, activation: 'sigmoid', kernelInitializer: seeded(5) }).apply(decoderHidden);
  const decoder = tf.model({ inputs: decoderInput, outputs: decoderOutput, name: 'decoder' });

  const vaeOutputs = decoder.apply(encoder.apply(encoderInput)[2]);
  const vae = tf.model({ inputs: encoderInput, outputs: [vaeOutputs, ...encoder.outputs.slice(0, 2)], name: 'vae' });

  const klTerm = (mean: any, logVar: any) =>
    tf.mean(tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mean), tf.exp(logVar))), -1)));
  const vaeLoss = (inputs: any, [decoded, mean, logVar]: any[]) => tf.tidy(() => {
    const reconstruction = tf.mul(tf.metrics.binaryCrossentropy(inputs, decoded), PIXELS);
    return tf.add(tf.mean(reconstruction), klTerm(mean, logVar));
  });

  const pictures = barPictures();
  const data = tf.tensor2d(Array.from({ length: 4 * batchSize }, (_, i) => pictures[i % pictures.length]));
  const batches = Math.ceil(data.shape[0] / batchSize);
  const optimizer = tf.train.adam(0.01);
  const epochLosses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    let total = 0;
    for (let b = 0; b < batches; b++) {
      const batch = data.slice([b * batchSize, 0], [batchSize, PIXELS]);
      const cost = optimizer.minimize(() => vaeLoss(batch, vae.apply(batch, { training: true })), true);
      total += cost.dataSync()[0];
      tf.dispose([batch, cost]);
    }
    epochLosses.push(total / batches);
    await tf.nextFrame();
  }

  const { lastKl, reconstructionAccuracy, codes } = tf.tidy(() => {
    const inputs = tf.tensor2d(pictures);
    const [mean, logVar] = encoder.predict(inputs);
    const decoded = decoder.predict(mean);
    const right = tf.equal(tf.round(decoded), inputs).sum().dataSync()[0];
    return {
      lastKl: klTerm(mean, logVar).dataSync()[0],
      reconstructionAccuracy: right / (pictures.length * PIXELS),
      codes: mean.arraySync() as number[][],
    };
  });
  data.dispose();
  return {
    firstLoss: epochLosses[0],
    lastLoss: epochLosses[epochLosses.length - 1],
    lastKl,
    reconstructionAccuracy,
    distinctCodes: new Set(codes.map((c: number[]) => c.map((v: number) => v.toFixed(1)).join())).size,
  };
}
