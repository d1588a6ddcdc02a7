// Image preprocessing with tf.image feeding a small convolutional network, as TensorFlow.js
// programs prepare pictures: a batch of 12x12 RGB images is resized (bilinear, in its three
// corner conventions, and nearest-neighbour), cropped and resized from boxes (cropAndResize,
// both methods, a box reaching outside the image), flipped left-right, and the results are
// stacked into one batch for a conv2d -> maxPooling2d -> dense classifier. The network starts
// from fixed weights (setWeights) and trains a few epochs of plain SGD without shuffling, so
// every number the program produces is determined: the outcome is all of them, to be compared
// between libraries.
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface ImagePipelineOutcome {
  /** every intermediate image batch, flattened */
  images: Record<string, number[]>;
  shapes: Record<string, number[]>;
  /** softmax outputs of the untrained and the trained network on the stacked batch */
  predictionsBefore: number[];
  predictionsAfter: number[];
  losses: number[];
}

/** A deterministic value in [0, 1) for every index: the same weights on every library. */
const pattern = (i: number, salt: number) => {
  const v = Math.sin(12.9898 * i + 78.233 * salt) * 43758.5453;
  return v - Math.floor(v);
};

export async function run(tf: any, opts: { epochs?: number } = {}): Promise<ImagePipelineOutcome> {
  const epochs = opts.epochs ?? 5;
  const [count, height, width, channels] = [4, 12, 12, 3];
  const pixels: number[] = [];
  for (let b = 0; b < count; b++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < channels; c++) {
          // a gradient, a stripe pattern per image and a little texture
          pixels.push(255 * (0.4 * (x / width) + 0.3 * ((y + b * c) % 3 === 0 ? 1 : 0) + 0.3 * pattern(((b * height + y) * width + x) * channels + c, 1)));
        }
      }
    }
  }
  const images = tf.tensor4d(pixels, [count, height, width, channels]).div(255);
  const size: [number, number] = [8, 8];

  const steps: Record<string, any> = {};
  steps.bilinear = tf.image.resizeBilinear(images, size);
  steps.bilinearAlignCorners = tf.image.resizeBilinear(images, size, true);
  steps.bilinearHalfPixel = tf.image.resizeBilinear(images, size, false, true);
  steps.nearest = tf.image.resizeNearestNeighbor(images, size);
  steps.nearestAlignCorners = tf.image.resizeNearestNeighbor(images, size, true);
  steps.nearestHalfPixel = tf.image.resizeNearestNeighbor(images, size, false, true);
  const boxes = tf.tensor2d([[0, 0, 0.5, 0.5], [0.25, 0.25, 1, 1], [0.1, 0.2, 0.9, 0.7], [-0.2, 0.3, 0.6, 1.2]]);
  const boxInd = tf.tensor1d([0, 1, 2, 3], 'int32');
  steps.cropBilinear = tf.image.cropAndResize(images, boxes, boxInd, size, 'bilinear', 0.5);
  steps.cropNearest = tf.image.cropAndResize(images, boxes, boxInd, size, 'nearest');
  steps.flipped = tf.image.flipLeftRight(steps.bilinear);

  const batch = tf.concat([steps.bilinear, steps.flipped, steps.cropBilinear], 0);
  // label: was the picture mirrored (the crops count as not mirrored)
  const labels = tf.oneHot(tf.tensor1d([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0], 'int32'), 2);

  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 3] }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
  model.setWeights(model.getWeights().map((w: any, k: number) => {
    const values = Array.from({ length: w.size }, (_, i) => 0.4 * (pattern(i, 10 + k) - 0.5));
    return tf.tensor(values, w.shape);
  }));
  model.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });

  const predictionsBefore = Array.from(model.predict(batch).dataSync() as ArrayLike<number>);
  const history = await model.fit(batch, labels, { epochs, batchSize: 12, shuffle: false, verbose: 0 });
  const predictionsAfter = Array.from(model.predict(batch).dataSync() as ArrayLike<number>);

  const outcome: ImagePipelineOutcome = { images: {}, shapes: {}, predictionsBefore, predictionsAfter, losses: history.history.loss };
  for (const [name, t] of Object.entries(steps)) {
    outcome.images[name] = Array.from(t.dataSync() as ArrayLike<number>);
    outcome.shapes[name] = t.shape;
  }
  tf.dispose([images, boxes, boxInd, batch, labels, ...Object.values(steps)]);
  return outcome;
}
