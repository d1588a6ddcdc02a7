/**
 * A sequence classifier: word (or character) ids -> embedding with id 0 as padding (masked,
 * so padded steps do not move the LSTM) -> LSTM -> softmax over the classes.
 */
import { sequential, type Sequential } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';

export interface LstmClassifierArgs {
  /** ids run 0 .. vocabSize - 1, 0 being padding */
  vocabSize: number;
  /** length of the padded id sequences */
  sequenceLength: number;
  /** default 32 */
  embeddingDim?: number;
  /** LSTM units (default 64) */
  units?: number;
  /** output classes (default 2) */
  classes?: number;
  /** mask id 0 so padding is skipped (default true) */
  maskZero?: boolean;
  /** dropout on the LSTM's inputs in training (default 0) */
  dropout?: number;
  seed?: number;
  name?: string;
}

/**
 * @example
 * ```ts
 * const model = st.models.lstmClassifier({ vocabSize: 100, sequenceLength: 20, classes: 2 });
 * console.log(model.outputs[0].shape); // [null, 2]
 * ```
 */
export function lstmClassifier(args: LstmClassifierArgs): Sequential {
  const { vocabSize, sequenceLength, embeddingDim = 32, units = 64, classes = 2, maskZero = true, dropout = 0 } = args ?? {};
  for (const [key, v] of Object.entries({ vocabSize, sequenceLength, embeddingDim, units, classes })) {
    if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`models.lstmClassifier: ${key} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return sequential({
    name: args.name ?? 'lstm_classifier',
    layers: [
      layers.embedding({ inputDim: vocabSize, outputDim: embeddingDim, maskZero, inputShape: [sequenceLength] }),
      layers.lstm({ units, dropout, seed: args.seed }),
      layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });
}
