// The core API alone, as in TensorFlow.js's "polynomial regression (core)" example: no layers,
// no fit. The unknown cubic y = a x^3 + b x^2 + c x + d is written as a matrix product of the
// features [x, x^2, x^3] with a weight column (tf.variable, tf.matMul) plus a bias, and an
// optimizer's minimize() takes a step on the mean squared error a few hundred times inside
// tf.tidy. The data carry a little deterministic noise; the fit must recover the coefficients.
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface CorePolynomialOutcome {
  /** the true [a, b, c, d] */
  truth: number[];
  /** the learnt [a, b, c, d] */
  learnt: number[];
  firstLoss: number;
  lastLoss: number;
  /** variables alive after training, minus before (tf.tidy must leave only the cost scalars we keep) */
  leakedTensors: number;
}

export async function run(tf: any, opts: { steps?: number } = {}): Promise<CorePolynomialOutcome> {
  const steps = opts.steps ?? 300;
  const truth = [0.8, -0.4, -1.2, 0.3];
  const count = 64;
  const xsArray: number[] = [];
  const ysArray: number[] = [];
  for (let i = 0; i < count; i++) {
    const x = -1 + (2 * i) / (count - 1);
    const noise = 0.02 * Math.sin(37 * i); // a fixed wiggle, the same on every library
    xsArray.push(x);
    ysArray.push(truth[0] * x ** 3 + truth[1] * x ** 2 + truth[2] * x + truth[3] + noise);
  }
  const xs = tf.tensor1d(xsArray);
  const ys = tf.tensor2d(ysArray, [count, 1]);
  // the design matrix [x, x^2, x^3], built once
  const features = tf.tidy(() => tf.stack([xs, xs.square(), xs.pow(3)], 1));

  const weights = tf.variable(tf.randomNormal([3, 1], 0, 0.1, 'float32', 42));
  const bias = tf.variable(tf.zeros([1]));
  const predict = (input: any) => tf.tidy(() => tf.matMul(input, weights).add(bias));
  const loss = (predicted: any, labels: any) => predicted.sub(labels).square().mean();

  const optimizer = tf.train.adam(0.1);
  const before = tf.memory().numTensors;
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const cost = optimizer.minimize(() => loss(predict(features), ys), true, [weights, bias]);
    if (step === 0 || step === steps - 1) losses.push(cost.dataSync()[0]);
    cost.dispose();
  }
  const leakedTensors = tf.memory().numTensors - before;

  const w = weights.dataSync();
  const learnt = [w[2], w[1], w[0], bias.dataSync()[0]];
  tf.dispose([xs, ys, features, weights, bias]);
  optimizer.dispose();
  return { truth, learnt, firstLoss: losses[0], lastLoss: losses[1], leakedTensors };
}
