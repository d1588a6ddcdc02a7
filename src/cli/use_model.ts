/**
 * Commands on a saved model: `evaluate` (accuracy, loss, per-class precision and recall, the
 * confusion matrix as text and SVG), `predict` (top classes of an image or CSV rows) and `summary`.
 */
import path from 'node:path';
import type { LayersModel } from '../nn/model.js';
import type { Tensor } from '../tensor/tensor.js';
import { tidy } from '../tensor/engine.js';
import { softmax } from '../ops/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { confusionMatrix } from '../viz/confusion.js';
import { CliError, type CommandSpec, type OptionValues } from './args.js';
import { dataOptions, loadData, loadPredictInput } from './data_source.js';
import { checkModelFitsData, compileFor, loadModelFile, modelClassNames } from './model_source.js';
import { evaluateOn, type Reporter } from './report.js';

export const EVALUATE: CommandSpec = {
  name: 'evaluate',
  summary: 'test a saved model: accuracy, loss, per-class precision/recall, confusion matrix (text and SVG)',
  usage: '<model>',
  positionals: [1, 1],
  options: [
    { name: 'data', type: 'string', valueName: 'name|path', default: 'mnist', help: 'the data to test on (its test split when it has one)' },
    { name: 'image-size', type: 'string', valueName: 'HxW', help: 'image folders: resize every image to H x W' },
    { name: 'color', type: 'string', valueName: 'mode', help: 'image folders: grayscale or rgb' },
    { name: 'label', type: 'string', valueName: 'column', help: 'CSV tables: the label column (default "label", else the last)' },
    { name: 'svg', type: 'string', valueName: 'file', help: 'where to write the confusion matrix picture (default <model>/confusion-matrix.svg)' },
  ],
  examples: ['striate evaluate runs/<run>/model', 'striate evaluate model/model.json --data fashion-mnist --json'],
};

export const PREDICT: CommandSpec = {
  name: 'predict',
  summary: 'classify an image (PNG, JPEG, PGM) or the rows of a CSV file with a saved model',
  usage: '<model> <image|file.csv>',
  positionals: [2, 2],
  options: [{ name: 'top', type: 'int', default: 3, help: 'how many classes to show per input' }],
  examples: ['striate predict runs/<run>/model digit.png', 'striate predict runs/<run>/model test.csv --top 1 --json'],
};

export const SUMMARY: CommandSpec = {
  name: 'summary',
  summary: 'print a saved model\'s layers, output shapes and parameter counts',
  usage: '<model>',
  positionals: [1, 1],
  options: [],
  examples: ['striate summary runs/<run>/model'],
};

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  return rows.map((r) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  '));
}

export async function evaluate(options: OptionValues, [modelPath]: string[], say: Reporter): Promise<number> {
  const model = loadModelFile(modelPath);
  // the loss and accuracy are measured the same way whatever the file was compiled with
  compileFor(model, 'adam', undefined);
  const data = await loadData(String(options.data), dataOptions(options));
  checkModelFitsData(model, data, modelPath);
  const set = data.test ?? data.train;
  const names = data.classNames;
  const r = evaluateOn(model, set, names);
  const svgFile = String(options.svg ?? path.join(modelDir(modelPath), 'confusion-matrix.svg'));
  writeFileAtomic(svgFile, confusionMatrix({ matrix: r.matrix, classNames: names, title: `${model.name} on ${data.name}` }));
  if (say.json) {
    say.result({ model: modelPath, data: data.name, samples: set.labels.length, accuracy: r.accuracy, loss: r.loss,
      classes: names.map((n, k) => ({ name: n, precision: r.precision[k], recall: r.recall[k], f1: r.f1[k], support: r.support[k] })),
      confusionMatrix: r.matrix, svg: svgFile });
    return 0;
  }
  say.info(`${model.name} on ${data.name} (${data.test ? 'test split' : 'all samples'}, ${set.labels.length}): ` +
    `accuracy ${(r.accuracy * 100).toFixed(2)}%, loss ${r.loss.toFixed(4)}`);
  say.info('');
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
  for (const line of table([['class', 'precision', 'recall', 'f1', 'support'],
    ...names.map((n, k) => [n, pct(r.precision[k]), pct(r.recall[k]), pct(r.f1[k]), String(r.support[k])])])) say.info(line);
  say.info('');
  say.info('confusion matrix (rows: true class, columns: predicted):');
  for (const line of table([['', ...names.map((_, k) => String(k))],
    ...r.matrix.map((row, k) => [`${k} ${names[k]}`, ...row.map(String)])])) say.info(line);
  say.info(`\nconfusion matrix picture: ${svgFile}`);
  return 0;
}

function modelDir(modelPath: string): string {
  return modelPath.endsWith('.json') ? path.dirname(modelPath) : modelPath;
}

export async function predict(options: OptionValues, [modelPath, inputPath]: string[], say: Reporter): Promise<number> {
  const model = loadModelFile(modelPath);
  const sample = model.inputs[0].shape.slice(1);
  if (sample.some((d) => d === null)) throw new CliError(`${modelPath}: the model's input ${JSON.stringify(sample)} has no fixed size to fit inputs to`);
  const inputs = await loadPredictInput(inputPath, sample as number[]);
  const probs = tidy(() => {
    const out = model.predict(inputs.x) as Tensor;
    // a model without a softmax head gives scores; show them as probabilities
    const sums = out.sum(-1).dataSync();
    const isProb = out.min().dataSync()[0] >= 0 && Array.from(sums).every((s) => Math.abs(s - 1) < 1e-3);
    return isProb ? out : softmax(out);
  });
  const values = probs.dataSync();
  const k = probs.shape[probs.shape.length - 1];
  const names = modelClassNames(model, k);
  const top = Math.min(Number(options.top), k);
  if (!(top >= 1)) throw new CliError(`--top must be at least 1, got ${options.top}`, 2);
  const results = inputs.names.map((name, i) => {
    const row = Array.from(values.subarray(i * k, (i + 1) * k));
    const order = row.map((p, c) => [p, c]).sort((a, b) => b[0] - a[0]).slice(0, top);
    return { input: name, top: order.map(([p, c]) => ({ class: names[c], index: c, probability: p })) };
  });
  if (say.json) say.result(results);
  else {
    for (const r of results) {
      say.info(`${r.input}: ${r.top.map((t) => `${t.class} ${(t.probability * 100).toFixed(1)}%`).join(', ')}`);
    }
  }
  return 0;
}

export async function summary(_options: OptionValues, [modelPath]: string[], say: Reporter): Promise<number> {
  const model: LayersModel = loadModelFile(modelPath);
  const lines: string[] = [];
  model.summary(undefined, undefined, (l) => lines.push(l));
  if (say.json) {
    say.result({ name: model.name, params: model.countParams(), layers: model.layers.map((l) => ({
      name: l.name, className: l.className, params: l.countParams() })) });
  } else lines.forEach((l) => say.info(l));
  return 0;
}
