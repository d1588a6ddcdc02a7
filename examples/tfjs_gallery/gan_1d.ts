// A generative adversarial network on one-dimensional data, written with TensorFlow.js's core
// training API: the generator and the discriminator are tf.sequential models, and each
// training step updates them in turn on their own variables only — the discriminator through
// tf.variableGrads + optimizer.applyGradients, the generator through optimizer.minimize with a
// varList. The data are draws from a Gaussian N(4, 0.5^2); the generator starts near 0 and its
// samples must move toward the data.
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface Gan1dOutcome {
  /** the data's mean and standard deviation */
  dataMean: number;
  dataStd: number;
  /** mean of 500 generated samples before and after training */
  meanBefore: number;
  meanAfter: number;
  stdAfter: number;
  /** the discriminator's mean output on real data after training (near 0.5 once fooled) */
  discriminatorOnReal: number;
  steps: number;
}

export async function run(tf: any, opts: { steps?: number } = {}): Promise<Gan1dOutcome> {
  const steps = opts.steps ?? 150;
  const batchSize = 32;
  const dataMean = 4;
  const dataStd = 0.5;
  const noiseSize = 2;

  const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
  const generator = tf.sequential({
    layers: [
      tf.layers.dense({ units: 16, activation: 'relu', inputShape: [noiseSize], kernelInitializer: seeded(1) }),
      tf.layers.dense({ units: 1, kernelInitializer: seeded(2) }),
    ],
  });
  const discriminator = tf.sequential({
    layers: [
      tf.layers.dense({ units: 16, activation: 'relu', inputShape: [1], kernelInitializer: seeded(3) }),
      tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: seeded(4) }),
    ],
  });
  const generatorVars = generator.trainableWeights.map((w: any) => w.read());
  const discriminatorVars = discriminator.trainableWeights.map((w: any) => w.read());
  const generatorOptimizer = tf.train.adam(0.02, 0.5);
  const discriminatorOptimizer = tf.train.adam(0.02, 0.5);
  const epsilon = 1e-6;

  const sampleStats = (seed: number) => tf.tidy(() => {
    const samples = generator.predict(tf.randomNormal([500, noiseSize], 0, 1, 'float32', seed));
    const { mean, variance } = tf.moments(samples);
    return [mean.dataSync()[0], Math.sqrt(variance.dataSync()[0])];
  });
  const [meanBefore] = sampleStats(999);

  for (let step = 0; step < steps; step++) {
    tf.tidy(() => {
      const real = tf.randomNormal([batchSize, 1], dataMean, dataStd, 'float32', 10_000 + step);
      const noise = tf.randomNormal([batchSize, noiseSize], 0, 1, 'float32', 20_000 + step);

      // discriminator: real -> 1, generated -> 0
      const { grads } = tf.variableGrads(() => {
        const onReal = discriminator.apply(real, { training: true });
        const onFake = discriminator.apply(generator.apply(noise), { training: true });
        return tf.neg(tf.add(tf.mean(tf.log(tf.add(onReal, epsilon))), tf.mean(tf.log(tf.add(tf.sub(1, onFake), epsilon)))));
      }, discriminatorVars);
      discriminatorOptimizer.applyGradients(grads);

      // generator: make the discriminator call its samples real
      generatorOptimizer.minimize(() => {
        const onFake = discriminator.apply(generator.apply(noise, { training: true }));
        return tf.neg(tf.mean(tf.log(tf.add(onFake, epsilon))));
      }, false, generatorVars);
    });
    if (step % 50 === 0) await tf.nextFrame();
  }

  const [meanAfter, stdAfter] = sampleStats(999);
  const discriminatorOnReal = tf.tidy(() =>
    tf.mean(discriminator.predict(tf.randomNormal([500, 1], dataMean, dataStd, 'float32', 5))).dataSync()[0]);
  return { dataMean, dataStd, meanBefore, meanAfter, stdAfter, discriminatorOnReal, steps };
}
