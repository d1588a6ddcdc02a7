/**
 * Commands on a saved model: `evaluate` (accuracy, loss, per-class precision and recall, the
 * confusion matrix as text and SVG), `predict` (top classes of an image or CSV rows) and `summary`.
 */
import path from 'node:path';
import type { LayersModel } from '../nn/model.js';
import type { Tensor } from '../tensor/tensor.js';
import { tidy } from '../tensor/engine.js';
import { writeFileAtomic } from '../io/atomic.js';
import { confusionMatrix } from '../viz/confusion.js';
import { CliError, type CommandSpec, type OptionValues } from './args.js';
import { dataOptions, loadData, loadPredictInput } from './data_source.js';
import { checkModelFitsData, compileFor, loadAnyModel, loadProgress, modelClassNames, type AnyModel } from './model_source.js';
import { asProbabilities, evaluateOn, evaluatePredictions, type Evaluation, type Reporter } from './report.js';
import { firstOutput, graphSampleShape, graphSummaryLines, loadGraphFile, type GraphFileInfo, type GraphModelLike } from './graph_model.js';

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
  summary: 'classify an image (PNG, JPEG, PGM) or the rows of a CSV file with a saved, converted or graph model',
  usage: '<model> <image|file.csv>',
  positionals: [2, 2],
  options: [{ name: 'top', type: 'int', default: 3, help: 'how many classes to show per input' }],
  examples: ['striate predict runs/<run>/model digit.png', 'striate predict runs/<run>/model test.csv --top 1 --json'],
};

export const SUMMARY: CommandSpec = {
  name: 'summary',
  summary: 'print a model\'s layers, output shapes and parameter counts (a graph model: its inputs, outputs and op counts)',
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
  const loaded = await loadAnyModel(modelPath, say);
  const data = await loadData(String(options.data), dataOptions(options));
  const set = data.test ?? data.train;
  const names = data.classNames;
  let r: Evaluation;
  let modelName: string;
  if (loaded.kind === 'layers') {
    const model = loaded.model;
    // the loss and accuracy are measured the same way whatever the file was compiled with
    compileFor(model, 'adam', undefined);
    checkModelFitsData(model, data, modelPath);
    r = evaluateOn(model, set, names);
    modelName = model.name;
  } else {
    const graph = await runnableGraph(loaded, say);
    checkGraphInput(graph, loaded.info, data.sampleShape, data.name, modelPath);
    try {
      r = evaluatePredictions((x) => firstOutput(graph.predict(x), graph), set, names);
    } catch (e) {
      throw new CliError(`${modelPath}: ${(e as Error).message}`);
    } finally {
      graph.dispose();
    }
    modelName = path.basename(modelDir(modelPath));
  }
  const svgFile = String(options.svg ?? path.join(modelDir(modelPath), 'confusion-matrix.svg'));
  writeFileAtomic(svgFile, confusionMatrix({ matrix: r.matrix, classNames: names, title: `${modelName} on ${data.name}` }));
  if (say.json) {
    say.result({ model: modelPath, data: data.name, samples: set.labels.length, accuracy: r.accuracy, loss: r.loss,
      classes: names.map((n, k) => ({ name: n, precision: r.precision[k], recall: r.recall[k], f1: r.f1[k], support: r.support[k] })),
      confusionMatrix: r.matrix, svg: svgFile });
    return 0;
  }
  say.info(`${modelName} on ${data.name} (${data.test ? 'test split' : 'all samples'}, ${set.labels.length}): ` +
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

/** A graph model file, run through st.loadGraphModel (with the progress line for big files). */
async function runnableGraph(loaded: Extract<AnyModel, { kind: 'graph' }>, say: Reporter): Promise<GraphModelLike> {
  const progress = loadProgress(loaded.json, loaded.content, say);
  const graph = await loadGraphFile(loaded.json, progress.onProgress);
  progress.done();
  return graph;
}

const shapeText = (s: readonly (number | null)[]): string => `[${s.map((d) => (d === null ? '?' : d)).join(', ')}]`;

/** A graph model's first input must take one sample of the data (open sizes take anything). */
function checkGraphInput(graph: GraphModelLike, info: GraphFileInfo, sample: readonly number[], dataName: string, modelPath: string): void {
  const want = graphSampleShape(graph, info);
  if (!want) return;
  const fits = want.length === sample.length && want.every((d, i) => d === null || d === sample[i]);
  if (!fits) {
    throw new CliError(`graph model ${modelPath} takes input ${shapeText([null, ...want])} (${graph.inputs[0]?.name ?? info.inputs[0]?.name}), ` +
      `but the data ${dataName} has samples of shape ${shapeText([null, ...sample])}`);
  }
}

function modelDir(modelPath: string): string {
  return modelPath.endsWith('.json') ? path.dirname(modelPath) : modelPath;
}

export async function predict(options: OptionValues, [modelPath, inputPath]: string[], say: Reporter): Promise<number> {
  const top = Number(options.top);
  if (!(top >= 1)) throw new CliError(`--top must be at least 1, got ${options.top}`, 2);
  const loaded = await loadAnyModel(modelPath, say);
  let run: (x: Tensor) => Tensor;
  let sample: (number | null)[] | null;
  let classNames: (k: number) => string[];
  let graph: GraphModelLike | null = null;
  if (loaded.kind === 'layers') {
    const model = loaded.model;
    sample = model.inputs[0].shape.slice(1);
    run = (x) => model.predict(x) as Tensor;
    classNames = (k) => modelClassNames(model, k);
  } else {
    graph = await runnableGraph(loaded, say);
    sample = graphSampleShape(graph, loaded.info);
    const g = graph;
    run = (x) => firstOutput(g.predict(x), g);
    classNames = (k) => graphClassNames(loaded.content, k);
  }
  try {
    if (!sample || sample.some((d) => d === null)) {
      throw new CliError(`${modelPath}: the model's input ${sample ? shapeText(sample) : '(of unknown shape)'} has no fixed size to fit inputs to`);
    }
    const inputs = await loadPredictInput(inputPath, sample as number[]);
    const probs = tidy(() => asProbabilities(run(inputs.x)));
    const values = probs.dataSync();
    const k = probs.shape[probs.shape.length - 1];
    const names = classNames(k);
    const shown = Math.min(top, k);
    const results = inputs.names.map((name, i) => {
      const row = Array.from(values.subarray(i * k, (i + 1) * k));
      const order = row.map((p, c) => [p, c]).sort((a, b) => b[0] - a[0]).slice(0, shown);
      return { input: name, top: order.map(([p, c]) => ({ class: names[c], index: c, probability: p })) };
    });
    if (say.json) say.result(results);
    else {
      for (const r of results) {
        say.info(`${r.input}: ${r.top.map((t) => `${t.class} ${(t.probability * 100).toFixed(1)}%`).join(', ')}`);
      }
    }
  } finally {
    graph?.dispose();
  }
  return 0;
}

/** Class names a graph model's file carries (userDefinedMetadata.classNames), else the indices. */
function graphClassNames(content: Record<string, unknown>, count: number): string[] {
  const names = (content.userDefinedMetadata as Record<string, unknown> | undefined)?.classNames;
  if (Array.isArray(names) && names.length === count && names.every((n) => typeof n === 'string')) return names as string[];
  return Array.from({ length: count }, (_, i) => String(i));
}

export async function summary(_options: OptionValues, [modelPath]: string[], say: Reporter): Promise<number> {
  const loaded = await loadAnyModel(modelPath, say);
  if (loaded.kind === 'graph') {
    const info = loaded.info;
    if (say.json) {
      say.result({ kind: 'graph-model', nodes: info.nodes, params: info.params, weights: info.weights, inputs: info.inputs,
        outputs: info.outputs, ops: Object.fromEntries(info.ops), functions: Object.fromEntries(info.functions) });
    } else graphSummaryLines(info, modelPath).forEach((l) => say.info(l));
    return 0;
  }
  const model: LayersModel = loaded.model;
  const lines: string[] = [];
  model.summary(undefined, undefined, (l) => lines.push(l));
  if (say.json) {
    say.result({ kind: 'layers-model', name: model.name, params: model.countParams(), layers: model.layers.map((l, index) => ({
      index, name: l.name, className: l.className, params: l.countParams(), trainable: l.trainable })) });
  } else {
    lines.forEach((l) => say.info(l));
    // what --freeze-up-to takes: names or these indices
    say.info('');
    say.info(`layers by index (for striate train --freeze-up-to): ${model.layers.map((l, i) => `${i} ${l.name}`).join(', ')}`);
  }
  return 0;
}
