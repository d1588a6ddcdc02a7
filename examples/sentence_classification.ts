// Sentence classification with Kim (2014)'s text CNN on examples/data/sentences.csv: 300
// short sentences written for this repository, 75 in each of four topics (cooking, weather,
// sport, computing). The tokenizer learns its vocabulary from the training sentences only,
// so held-out sentences meet unknown words as the OOV token, as new text would.
// Run: npm run build && node dist/examples/sentence_classification.js [epochs]
import * as st from 'striate';
import { exampleDataFile, isMain } from './data_files.js';

export interface SentenceResult {
  classes: string[];
  trainSize: number;
  testSize: number;
  vocabularySize: number;
  finalLoss: number;
  testAccuracy: number;
}

export async function loadSentences(): Promise<{ texts: string[]; labels: string[] }> {
  const texts: string[] = [];
  const labels: string[] = [];
  for await (const record of st.data.readCsvRecords(exampleDataFile('sentences.csv'))) {
    if (record.line === 1) continue; // header: text,label
    if (record.cells.length !== 2) throw new Error(`sentences.csv line ${record.line}: expected text,label, got ${record.cells.length} cells`);
    texts.push(record.cells[0]);
    labels.push(record.cells[1]);
  }
  return { texts, labels };
}

export interface SentenceOptions {
  epochs?: number;
  seed?: number;
  verbose?: number;
  embeddingDim?: number;
  filters?: number;
  kernelSizes?: number[];
  learningRate?: number;
}

export async function classifySentences(options: SentenceOptions = {}): Promise<SentenceResult> {
  const { epochs = 20, seed = 1, verbose = 0, embeddingDim = 32, filters = 24, kernelSizes = [3, 4, 5], learningRate = 0.01 } = options;
  const { texts, labels } = await loadSentences();
  const classes = [...new Set(labels)];
  const y = labels.map((l) => classes.indexOf(l));

  // a stratified split of sentence numbers, so the tokenizer can be fitted on training text only
  const rows = st.tensor(texts.map((_, i) => i), [texts.length], 'int32');
  const [trainRows, testRows] = st.data.trainTestSplit(rows, st.tensor(y, [y.length], 'int32'),
    { testSize: 0.25, seed, stratify: true });
  const pick = (t: st.Tensor) => Array.from(t.dataSync(), Number);
  const trainIdx = pick(trainRows);
  const testIdx = pick(testRows);

  const tokenizer = new st.text.Tokenizer({ oovToken: '<oov>' }).fitOnTexts(trainIdx.map((i) => texts[i]));
  const sequenceLength = 16;
  const encode = (idx: number[]) =>
    st.text.padSequences(tokenizer.textsToSequences(idx.map((i) => texts[i])), { maxLen: sequenceLength, padding: 'post' });
  const labelsOf = (idx: number[]) => st.tensor(idx.map((i) => y[i]), [idx.length], 'float32');

  const model = st.models.textCnn({
    vocabSize: tokenizer.vocabularySize, sequenceLength, embeddingDim, filters, kernelSizes, classes: classes.length, seed,
  });
  model.compile({ optimizer: st.train.adam(learningRate), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(encode(trainIdx), labelsOf(trainIdx), { epochs, batchSize: 16, seed, verbose });
  const [, acc] = model.evaluate(encode(testIdx), labelsOf(testIdx)) as st.Tensor[];
  const losses = history.history.loss as number[];
  return {
    classes, trainSize: trainIdx.length, testSize: testIdx.length, vocabularySize: tokenizer.vocabularySize,
    finalLoss: losses[losses.length - 1], testAccuracy: acc.dataSync()[0],
  };
}

if (isMain(import.meta.url)) {
  const r = await classifySentences({ epochs: Number(process.argv[2] ?? 20), verbose: 1 });
  console.log(`classes: ${r.classes.join(', ')}; ${r.trainSize} training and ${r.testSize} held-out sentences; ` +
    `vocabulary ${r.vocabularySize}`);
  console.log(`final training loss ${r.finalLoss.toFixed(4)}; held-out accuracy ${(r.testAccuracy * 100).toFixed(1)}%`);
}
