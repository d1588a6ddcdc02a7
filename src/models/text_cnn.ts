/**
 * Kim (2014)'s convolutional network for sentence classification: word ids -> embedding ->
 * parallel 1-D convolutions of several widths (3, 4 and 5 words by default) with ReLU ->
 * max over time for each filter -> concatenated -> dropout -> softmax. Each filter becomes
 * a detector of one n-gram pattern, and max-over-time pooling keeps whether (not where) the
 * pattern occurred, which is why sentences of different lengths and word orders classify alike.
 */
import { input, model, type LayersModel } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';
import type { SymbolicTensor } from '../nn/layer.js';

export interface TextCnnArgs {
  /** ids run 0 .. vocabSize - 1 (0 is padding; a Tokenizer's `vocabularySize`) */
  vocabSize: number;
  /** length of the (padded) id sequences */
  sequenceLength: number;
  /** default 64 */
  embeddingDim?: number;
  /** filters per kernel width (default 100, as Kim) */
  filters?: number;
  /** kernel widths in words (default [3, 4, 5]) */
  kernelSizes?: number[];
  /** output classes (default 2) */
  classes?: number;
  /** dropout before the softmax (default 0.5, as Kim) */
  dropout?: number;
  /** seed for the dropout masks */
  seed?: number;
  name?: string;
}

/**
 * @example
 * ```ts
 * const model = st.models.textCnn({ vocabSize: 100, sequenceLength: 20, classes: 2, embeddingDim: 8, filters: 4 });
 * console.log(model.outputs[0].shape); // [null, 2]
 * ```
 */
export function textCnn(args: TextCnnArgs): LayersModel {
  const where = 'models.textCnn';
  const { vocabSize, sequenceLength, embeddingDim = 64, filters = 100, kernelSizes = [3, 4, 5], classes = 2, dropout = 0.5 } = args ?? {};
  const positive = { vocabSize, sequenceLength, embeddingDim, filters, classes };
  for (const [key, v] of Object.entries(positive)) {
    if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`${where}: ${key} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  if (!Array.isArray(kernelSizes) || kernelSizes.length === 0 || kernelSizes.some((k) => !Number.isInteger(k) || k < 1 || k > sequenceLength)) {
    throw new Error(`${where}: kernelSizes must be widths in [1, sequenceLength = ${sequenceLength}], got ${JSON.stringify(kernelSizes)}`);
  }
  const ids = input({ shape: [sequenceLength], name: 'word_ids' });
  const embedded = layers.embedding({ inputDim: vocabSize, outputDim: embeddingDim }).apply(ids) as SymbolicTensor;
  const branches = kernelSizes.map((k) => {
    const conv = layers.conv1d({ filters, kernelSize: k, activation: 'relu' }).apply(embedded) as SymbolicTensor;
    return layers.globalMaxPooling1d().apply(conv) as SymbolicTensor;
  });
  let x = branches.length === 1 ? branches[0] : layers.concatenate().apply(branches) as SymbolicTensor;
  if (dropout > 0) x = layers.dropout({ rate: dropout, seed: args.seed }).apply(x) as SymbolicTensor;
  const probs = layers.dense({ units: classes, activation: 'softmax' }).apply(x) as SymbolicTensor;
  return model({ inputs: ids, outputs: probs, name: args.name ?? 'text_cnn' });
}
