// Sequence-to-sequence addition, after TensorFlow.js's "addition RNN" example: the network
// reads a sum written as characters ("12+7 ") one-hot encoded, and writes the answer ("19 ")
// character by character. An LSTM encodes the question into one vector, repeatVector hands it
// to every output step, a second LSTM unrolls the answer, and timeDistributed(dense(softmax))
// picks a character at each step. Questions are drawn by a small generator (the same on every
// library); accuracy is measured on the training questions and on questions held out from them.
// The default size (one-digit sums, 80 of the 100 questions to train on) is what TensorFlow.js's
// cpu backend trains in seconds; `digits: 2` with a few thousand questions is the example's own.
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface AdditionRnnOutcome {
  /** share of answer characters right, on the training questions and on held-out ones */
  trainCharAccuracy: number;
  testCharAccuracy: number;
  /** share of answers right in full */
  trainExactAccuracy: number;
  testExactAccuracy: number;
  firstLoss: number;
  lastLoss: number;
  /** a few held-out questions with the model's answers */
  examples: string[];
}

const CHARS = '0123456789+ ';

function makeQuestions(count: number, seed: number, digits: number): { questions: string[]; answers: string[] } {
  let state = seed >>> 0;
  const nextInt = (below: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 4294967296) * below);
  };
  const seen = new Set<string>();
  const questions: string[] = [];
  const answers: string[] = [];
  while (questions.length < count) {
    const a = nextInt(10 ** (1 + nextInt(digits)));
    const b = nextInt(10 ** (1 + nextInt(digits)));
    const question = `${a}+${b}`;
    if (seen.has(question)) continue;
    seen.add(question);
    questions.push(question.padEnd(2 * digits + 1, ' '));
    answers.push(String(a + b).padEnd(digits + 1, ' '));
  }
  return { questions, answers };
}

export async function run(tf: any, opts: { epochs?: number; trainSize?: number; testSize?: number; hiddenSize?: number; digits?: number; batchSize?: number; learningRate?: number } = {}): Promise<AdditionRnnOutcome> {
  const epochs = opts.epochs ?? 25;
  const trainSize = opts.trainSize ?? 80;
  const testSize = opts.testSize ?? 20;
  const digits = opts.digits ?? 1;
  const questionLength = 2 * digits + 1;
  const answerLength = digits + 1;
  const hiddenSize = opts.hiddenSize ?? 32;

  const { questions, answers } = makeQuestions(trainSize + testSize, 2024, digits);
  const encode = (texts: string[], length: number) => tf.tidy(() => {
    const indices = texts.map((text) => Array.from(text, (ch) => CHARS.indexOf(ch)));
    return tf.oneHot(tf.tensor2d(indices, [texts.length, length], 'int32'), CHARS.length).toFloat();
  });
  const decode = (probabilities: any) => {
    const indices = probabilities.argMax(-1).arraySync() as number[][];
    return indices.map((row) => row.map((i) => CHARS[i]).join(''));
  };
  const trainX = encode(questions.slice(0, trainSize), questionLength);
  const trainY = encode(answers.slice(0, trainSize), answerLength);
  const testX = encode(questions.slice(trainSize), questionLength);
  const testAnswers = answers.slice(trainSize);

  const model = tf.sequential();
  model.add(tf.layers.lstm({
    units: hiddenSize,
    inputShape: [questionLength, CHARS.length],
    kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
    recurrentInitializer: tf.initializers.glorotUniform({ seed: 2 }),
  }));
  model.add(tf.layers.repeatVector({ n: answerLength }));
  model.add(tf.layers.lstm({
    units: hiddenSize,
    returnSequences: true,
    kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
    recurrentInitializer: tf.initializers.glorotUniform({ seed: 4 }),
  }));
  model.add(tf.layers.timeDistributed({
    layer: tf.layers.dense({ units: CHARS.length, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }),
  }));
  model.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(opts.learningRate ?? 0.02), metrics: ['accuracy'] });

  const history = await model.fit(trainX, trainY, { epochs, batchSize: opts.batchSize ?? 20, shuffle: false, verbose: 0 });
  const losses: number[] = history.history.loss;

  const accuracyOn = (inputs: any, expected: string[]) => {
    const predicted: string[] = tf.tidy(() => decode(model.predict(inputs)));
    let rightChars = 0;
    let rightAnswers = 0;
    predicted.forEach((answer, i) => {
      for (let k = 0; k < answerLength; k++) if (answer[k] === expected[i][k]) rightChars++;
      if (answer === expected[i]) rightAnswers++;
    });
    return { predicted, chars: rightChars / (expected.length * answerLength), exact: rightAnswers / expected.length };
  };
  const train = accuracyOn(trainX, answers.slice(0, trainSize));
  const test = accuracyOn(testX, testAnswers);
  const predicted = test.predicted;
  const examples = predicted.slice(0, 5).map((answer: string, i: number) => `${questions[trainSize + i].trim()}=${answer.trim()}`);
  tf.dispose([trainX, trainY, testX]);
  return {
    trainCharAccuracy: train.chars,
    trainExactAccuracy: train.exact,
    testCharAccuracy: test.chars,
    testExactAccuracy: test.exact,
    firstLoss: losses[0],
    lastLoss: losses[losses.length - 1],
    examples,
  };
}
