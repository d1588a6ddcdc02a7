// The digit recogniser of TensorFlow.js's MNIST tutorial: two convolution + max-pooling stages,
// flatten, a softmax layer; adam and categorical cross-entropy; model.fit with validationSplit
// and an onEpochEnd callback that records the logs; accuracy on held-out digits from
// model.evaluate, and the predicted classes from model.predict(...).argMax(-1).
//
// The digits are handed in as plain arrays (size x size numbers in [0, 1] per image, row by row,
// and the labels), so the program itself only uses the `tf` it is given and runs unchanged on
// TensorFlow.js and on striate. The tutorial's 28 x 28 digits with 8 and 16 filters take
// TensorFlow.js's cpu backend about a quarter of a minute per training batch (its
// conv2dBackpropFilter kernel reads element by element through TensorBuffer.get), so the runner
// hands in digits shrunk to 14 x 14 and the filters are 4 and 8; the shape of the network is the
// tutorial's.

export interface MnistCnnInput {
  trainImages: number[][];
  trainLabels: number[];
  testImages: number[][];
  testLabels: number[];
  epochs?: number;
  seed?: number;
}

export interface MnistCnnOutcome {
  testAccuracy: number;
  /** accuracy counted from model.predict(...).argMax(-1), which must agree with evaluate's */
  predictedAccuracy: number;
  /** the logs onEpochEnd saw, one per epoch */
  epochLogs: Array<{ epoch: number; loss: number; acc: number; val_loss: number; val_acc: number }>;
}

const NUM_CLASSES = 10;

function getModel(tf: any, imageSize: number, seed: number): any {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({
    inputShape: [imageSize, imageSize, 1],
    kernelSize: 3, filters: 8, strides: 1, activation: 'relu',
    kernelInitializer: tf.initializers.varianceScaling({ seed }),
  }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({
    units: NUM_CLASSES, activation: 'softmax',
    kernelInitializer: tf.initializers.varianceScaling({ seed: seed + 1 }),
  }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

function toTensors(tf: any, imageSize: number, images: number[][], labels: number[]): { xs: any; ys: any } {
  return tf.tidy(() => ({
    xs: tf.tensor4d(images.flat(), [images.length, imageSize, imageSize, 1]),
    ys: tf.oneHot(tf.tensor1d(labels, 'int32'), NUM_CLASSES).toFloat(),
  }));
}

export async function run(tf: any, input: MnistCnnInput): Promise<MnistCnnOutcome> {
  const epochs = input.epochs ?? 4;
  const imageSize = Math.round(Math.sqrt(input.trainImages[0].length));
  const model = getModel(tf, imageSize, input.seed ?? 1);
  const train = toTensors(tf, imageSize, input.trainImages, input.trainLabels);
  const test = toTensors(tf, imageSize, input.testImages, input.testLabels);

  const epochLogs: MnistCnnOutcome['epochLogs'] = [];
  await model.fit(train.xs, train.ys, {
    batchSize: 32, epochs, validationSplit: 0.15, shuffle: true, verbose: 0,
    callbacks: {
      onEpochEnd: async (epoch: number, logs: any) => {
        epochLogs.push({ epoch, loss: logs.loss, acc: logs.acc, val_loss: logs.val_loss, val_acc: logs.val_acc });
      },
    },
  });

  const [, accuracy] = model.evaluate(test.xs, test.ys);
  const testAccuracy = accuracy.dataSync()[0];
  const predictedAccuracy = tf.tidy(() => {
    const predicted = model.predict(test.xs).argMax(-1);
    const truth = test.ys.argMax(-1);
    return predicted.equal(truth).mean().dataSync()[0];
  });
  tf.dispose([train.xs, train.ys, test.xs, test.ys]);
  return { testAccuracy, predictedAccuracy, epochLogs };
}
