// Character-level text generation, after TensorFlow.js's "LSTM text generation" example: every
// window of a short text, one-hot encoded, is a training input and the character after it the
// target; an LSTM and a softmax layer learn to predict it. Generation slides the window over
// its own output, drawing each next character with tf.multinomial from the predicted
// probabilities sharpened by a temperature, with a seed per draw so that a run repeats.
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface TextGenerationOutcome {
  firstLoss: number;
  lastLoss: number;
  /** the text's distinct characters, in order of first appearance */
  alphabet: string;
  generated: string;
  /** the same generation run again with the same seeds */
  generatedAgain: string;
  /** share of the generated character pairs that occur in the training text */
  knownBigramShare: number;
}

const TEXT =
  'the cat sat on the mat. the dog sat on the log. the cat and the dog ran to the mat. ' +
  'a cat can nap on a mat and a dog can nap on a log. ';

export async function run(tf: any, opts: { epochs?: number; units?: number } = {}): Promise<TextGenerationOutcome> {
  const epochs = opts.epochs ?? 10;
  const units = opts.units ?? 32;
  const sampleLength = 8;
  const alphabet = [...new Set(TEXT)].join('');
  const indexOf = (ch: string) => alphabet.indexOf(ch);

  // one window per text position (wrapping around, so every character is a target once)
  const windows: number[][] = [];
  const nextChars: number[] = [];
  for (let start = 0; start < TEXT.length; start++) {
    windows.push(Array.from({ length: sampleLength }, (_, k) => indexOf(TEXT[(start + k) % TEXT.length])));
    nextChars.push(indexOf(TEXT[(start + sampleLength) % TEXT.length]));
  }
  const xs = tf.oneHot(tf.tensor2d(windows, undefined, 'int32'), alphabet.length).toFloat();
  const ys = tf.oneHot(tf.tensor1d(nextChars, 'int32'), alphabet.length).toFloat();

  const model = tf.sequential();
  model.add(tf.layers.lstm({
    units,
    inputShape: [sampleLength, alphabet.length],
    kernelInitializer: tf.initializers.glorotUniform({ seed: 11 }),
    recurrentInitializer: tf.initializers.glorotUniform({ seed: 12 }),
  }));
  model.add(tf.layers.dense({ units: alphabet.length, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 13 }) }));
  model.compile({ optimizer: tf.train.rmsprop(0.02), loss: 'categoricalCrossentropy' });

  const losses: number[] = [];
  await model.fit(xs, ys, {
    epochs,
    batchSize: 32,
    shuffle: false,
    verbose: 0,
    callbacks: { onEpochEnd: (_epoch: number, logs: any) => { losses.push(logs.loss); } },
  });

  const sample = (probabilities: any, temperature: number, seed: number): number => tf.tidy(() => {
    const logits = tf.div(tf.log(probabilities), temperature);
    return tf.multinomial(logits, 1, seed, false).dataSync()[0];
  });
  const generate = (seedText: string, length: number, temperature: number, seed: number): string => {
    const window = Array.from(seedText, indexOf);
    let out = '';
    for (let i = 0; i < length; i++) {
      const next = tf.tidy(() => {
        const input = tf.oneHot(tf.tensor2d([window], undefined, 'int32'), alphabet.length).toFloat();
        return sample(tf.squeeze(model.predict(input)), temperature, seed + i);
      });
      out += alphabet[next];
      window.shift();
      window.push(next);
    }
    return out;
  };

  const seedText = TEXT.slice(0, sampleLength);
  const generated = generate(seedText, 60, 0.5, 1000);
  const generatedAgain = generate(seedText, 60, 0.5, 1000);
  const pairs = Array.from({ length: generated.length - 1 }, (_, i) => generated.slice(i, i + 2));
  tf.dispose([xs, ys]);
  return {
    firstLoss: losses[0],
    lastLoss: losses[losses.length - 1],
    alphabet,
    generated,
    generatedAgain,
    knownBigramShare: pairs.filter((p) => TEXT.includes(p)).length / pairs.length,
  };
}
