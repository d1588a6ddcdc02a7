// Date-format conversion with attention, after TensorFlow.js's "date conversion attention"
// example, on a smaller format: "3 May" -> "05-03" (month-day). An embedding and an LSTM encode
// the input characters; a decoder LSTM, started from the encoder's final state, reads the
// answer shifted by one (teacher forcing). Attention is built from the functional API's
// pieces: dot(decoder, encoder) scores every input position for every output position,
// activation('softmax') turns the scores into weights, a second dot takes the weighted sum of
// the encoder's outputs, and concatenate joins that context to the decoder's output before the
// timeDistributed dense layers pick each character. Inference decodes one character at a time.
//
// Only the `tf` handed in is used, so the same code runs on TensorFlow.js and on striate.

export interface DateAttentionOutcome {
  firstLoss: number;
  lastLoss: number;
  /** share of output characters right, decoding on its own, on dates held out from training */
  testCharAccuracy: number;
  testExactAccuracy: number;
  /** a few held-out conversions */
  examples: string[];
  /** the attention weights of one input: each output step's weights sum to 1 */
  attentionRowSums: number[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const INPUT_CHARS = '\n0123456789 ' + [...new Set(MONTHS.join(''))].join(''); // index 0 pads
const OUTPUT_CHARS = '\t0123456789-'; // index 0 starts the answer
const INPUT_LENGTH = 6; // "23 Dec"
const OUTPUT_LENGTH = 5; // "12-23"

function allDates(): { inputs: string[]; outputs: string[] } {
  const inputs: string[] = [];
  const outputs: string[] = [];
  MONTHS.forEach((name, m) => {
    for (let d = 1; d <= DAYS_IN_MONTH[m]; d++) {
      inputs.push(`${d} ${name}`);
      outputs.push(`${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    }
  });
  return { inputs, outputs };
}

export async function run(tf: any, opts: { epochs?: number; units?: number } = {}): Promise<DateAttentionOutcome> {
  const epochs = opts.epochs ?? 6;
  const units = opts.units ?? 16;
  const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });

  // the encoder's output at its last step, [batch, time, units] -> [batch, units]
  class LastTimestep extends tf.layers.Layer {
    static className = 'LastTimestep';
    constructor(config: any) {
      super(config);
    }
    computeOutputShape(inputShape: any) {
      return [inputShape[0], inputShape[2]];
    }
    call(inputs: any) {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.tidy(() => tf.squeeze(tf.slice(x, [0, x.shape[1] - 1, 0], [-1, 1, -1]), [1]));
    }
  }
  tf.serialization.registerClass(LastTimestep);

  // every day of the year, in a fixed shuffled order; 1 in 6 is held out
  const { inputs, outputs } = allDates();
  const order = inputs.map((_, i) => i).sort((a, b) => ((a * 7919) % 365) - ((b * 7919) % 365));
  const testIndices = order.filter((_, k) => k % 6 === 0);
  const trainIndices = order.filter((_, k) => k % 6 !== 0);

  const encodeInput = (texts: string[]) =>
    tf.tensor2d(texts.map((t) => Array.from(t.padEnd(INPUT_LENGTH, '\n'), (ch) => INPUT_CHARS.indexOf(ch))), [texts.length, INPUT_LENGTH], 'int32');
  const outputIndices = (texts: string[]) => texts.map((t) => Array.from(t, (ch) => OUTPUT_CHARS.indexOf(ch)));
  const shiftedRight = (rows: number[][]) => rows.map((r) => [0, ...r.slice(0, OUTPUT_LENGTH - 1)]);

  // the model
  const encoderInput = tf.input({ shape: [INPUT_LENGTH], dtype: 'int32' });
  const decoderInput = tf.input({ shape: [OUTPUT_LENGTH], dtype: 'int32' });
  let encoder = tf.layers.embedding({ inputDim: INPUT_CHARS.length, outputDim: units, inputLength: INPUT_LENGTH, maskZero: true, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 1 }) }).apply(encoderInput);
  encoder = tf.layers.lstm({ units, returnSequences: true, kernelInitializer: seeded(2), recurrentInitializer: seeded(3) }).apply(encoder);
  const encoderState = new LastTimestep({ name: 'encoder_last' }).apply(encoder);

  let decoder = tf.layers.embedding({ inputDim: OUTPUT_CHARS.length, outputDim: units, inputLength: OUTPUT_LENGTH, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 4 }) }).apply(decoderInput);
  decoder = tf.layers.lstm({ units, returnSequences: true, kernelInitializer: seeded(5), recurrentInitializer: seeded(6) }).apply(decoder, { initialState: [encoderState, encoderState] });

  let attention = tf.layers.dot({ axes: [2, 2] }).apply([decoder, encoder]);
  attention = tf.layers.activation({ activation: 'softmax', name: 'attention' }).apply(attention);
  const context = tf.layers.dot({ axes: [2, 1] }).apply([attention, encoder]);
  const joined = tf.layers.concatenate().apply([context, decoder]);
  let output = tf.layers.timeDistributed({ layer: tf.layers.dense({ units, activation: 'tanh', kernelInitializer: seeded(7) }) }).apply(joined);
  output = tf.layers.timeDistributed({ layer: tf.layers.dense({ units: OUTPUT_CHARS.length, activation: 'softmax', kernelInitializer: seeded(8) }) }).apply(output);

  const model = tf.model({ inputs: [encoderInput, decoderInput], outputs: output });
  model.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(0.02) });

  const trainIn = encodeInput(trainIndices.map((i) => inputs[i]));
  const trainOutRows = outputIndices(trainIndices.map((i) => outputs[i]));
  const trainDecoderIn = tf.tensor2d(shiftedRight(trainOutRows), undefined, 'int32');
  const trainTarget = tf.oneHot(tf.tensor2d(trainOutRows, undefined, 'int32'), OUTPUT_CHARS.length);
  const history = await model.fit([trainIn, trainDecoderIn], trainTarget, { epochs, batchSize: 32, shuffle: false, verbose: 0 });
  const losses: number[] = history.history.loss;

  // inference: feed back what was decoded so far, one output position at a time
  const testIn = encodeInput(testIndices.map((i) => inputs[i]));
  const decoded: number[][] = testIndices.map(() => new Array(OUTPUT_LENGTH).fill(0));
  for (let position = 0; position < OUTPUT_LENGTH; position++) {
    const chosen = tf.tidy(() => {
      const probabilities = model.predict([testIn, tf.tensor2d(shiftedRight(decoded), undefined, 'int32')]);
      return probabilities.argMax(-1).arraySync() as number[][];
    });
    chosen.forEach((row: number[], i: number) => (decoded[i][position] = row[position]));
  }
  const answers = decoded.map((row) => row.map((i) => OUTPUT_CHARS[i]).join(''));
  let rightChars = 0;
  let rightAnswers = 0;
  answers.forEach((answer, k) => {
    const expected = outputs[testIndices[k]];
    for (let p = 0; p < OUTPUT_LENGTH; p++) if (answer[p] === expected[p]) rightChars++;
    if (answer === expected) rightAnswers++;
  });

  // the attention weights, read from a model that stops at the softmax
  const attentionModel = tf.model({ inputs: model.inputs, outputs: model.getLayer('attention').output });
  const attentionRowSums = tf.tidy(() => {
    const weights = attentionModel.predict([testIn.slice([0, 0], [1, INPUT_LENGTH]), tf.tensor2d([shiftedRight(decoded)[0]], undefined, 'int32')]);
    return Array.from(weights.sum(-1).dataSync() as ArrayLike<number>);
  });

  tf.dispose([trainIn, trainDecoderIn, trainTarget, testIn]);
  return {
    firstLoss: losses[0],
    lastLoss: losses[losses.length - 1],
    testCharAccuracy: rightChars / (answers.length * OUTPUT_LENGTH),
    testExactAccuracy: rightAnswers / answers.length,
    examples: answers.slice(0, 5).map((a, k) => `${inputs[testIndices[k]]} -> ${a}`),
    attentionRowSums,
  };
}
