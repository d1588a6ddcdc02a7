/**
 * What `--model` and `<model>` arguments name: a zoo architecture built to fit the data
 * (digit-cnn, lenet5, mlp) or a model file (a layers model saved by striate or TensorFlow.js or
 * converted from Keras, or a graph model, told apart by model.json's `format`), loaded with a
 * progress line when its weights are big; and the checks that a model fits the data.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LayersModel } from '../nn/model.js';
import { models } from '../models/index.js';
import { optimizers } from '../optim/index.js';
import { saveModelSync } from '../io/model_file.js';
import { loadLayersModel } from '../io/save_load.js';
import { CliError, suggestion } from './args.js';
import type { LoadedData } from './data_source.js';
import type { Reporter } from './report.js';
import { checkInputFits } from './fine_tune.js';
import { graphFileInfo, isGraphModelJson, type GraphFileInfo } from './graph_model.js';

const ZOO: Record<string, (data: LoadedData) => LayersModel> = {
  'digit-cnn': (d) => models.digitCnn({ inputShape: d.sampleShape, classes: d.classNames.length, name: 'digit_cnn' }),
  lenet5: (d) => models.lenet5({ inputShape: d.sampleShape, classes: d.classNames.length }),
  mlp: (d) => models.mlp({ inputShape: d.sampleShape, classes: d.classNames.length }),
};

export const ZOO_NAMES = Object.keys(ZOO);

/** A zoo model built for the data, or a saved layers model (a graph model is refused: it cannot be trained). */
export async function buildModel(spec: string, data: LoadedData, say?: Reporter): Promise<LayersModel> {
  const zoo = ZOO[spec];
  if (zoo) return zoo(data);
  if (fs.existsSync(spec)) return loadModelFile(spec, say, 'train');
  throw new CliError(`--model ${spec}: not a model name (${ZOO_NAMES.join(', ')}) nor a file` +
    `${suggestion(spec, ZOO_NAMES, '')}`);
}

/** The model.json a `<model>` argument names: the file itself, or the one in the folder. */
export function modelJsonPath(file: string): string {
  let json = file;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) json = path.join(file, 'model.json');
  if (!fs.existsSync(json)) {
    throw new CliError(fs.existsSync(file) ? `${file}: a folder without a model.json (expected a model saved by striate or TensorFlow.js, ` +
      'or converted by tensorflowjs_converter)' : `${file}: no such model file or folder`);
  }
  return json;
}

/** model.json's parsed content, or null when it is not JSON (the loader then says what is wrong). */
function peekJson(json: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(json, 'utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

/** Weight files at least this big get a progress line while they load. */
export const PROGRESS_BYTES = 4 * 1024 * 1024;

/**
 * The bytes of the weight shards model.json names. Only files inside the model's folder are
 * looked at (a shard path leaving it is the loader's to refuse); missing ones count 0.
 */
export function shardBytes(json: string, content: Record<string, unknown> | null): { bytes: number; shards: number } {
  const groups = Array.isArray(content?.weightsManifest) ? content!.weightsManifest as { paths?: unknown }[] : [];
  const dir = path.resolve(path.dirname(json));
  let bytes = 0;
  let shards = 0;
  for (const g of groups) {
    for (const p of Array.isArray(g?.paths) ? g.paths : []) {
      if (typeof p !== 'string') continue;
      const file = path.resolve(dir, p);
      if (!file.startsWith(dir + path.sep)) continue;
      shards++;
      try {
        bytes += fs.statSync(file).size;
      } catch {
        // the loader reports the missing shard
      }
    }
  }
  return { bytes, shards };
}

const megabytes = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/**
 * Progress for loading a big model: a line when loading starts, the fraction as the loader
 * reports it (`onProgress`, on one line rewritten in place on a terminal, every 25% otherwise),
 * and the time it took. Small files load quietly.
 */
export function loadProgress(json: string, content: Record<string, unknown> | null, say: Reporter | undefined,
  minBytes = PROGRESS_BYTES): { onProgress?: (fraction: number) => void; done(): void } {
  const { bytes, shards } = shardBytes(json, content);
  if (!say || bytes < minBytes) return { done: () => {} };
  const stream = say.json ? process.stderr : process.stdout;
  const tty = !!stream.isTTY;
  const started = Date.now();
  const head = `loading ${json}: ${megabytes(bytes)} of weights in ${shards} shard${shards === 1 ? '' : 's'}`;
  say.info(`${head} ...`);
  let shownQuarter = 0;
  let shownAny = false;
  return {
    onProgress: (fraction) => {
      const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
      if (tty) {
        stream.write(`\r  ${String(pct).padStart(3)}% of ${megabytes(bytes)}`);
        shownAny = true;
      } else if (Math.floor(pct / 25) > shownQuarter) {
        shownQuarter = Math.floor(pct / 25);
        say.info(`  ${pct}% of ${megabytes(bytes)}`);
      }
    },
    done: () => {
      if (tty && shownAny) stream.write('\n');
      say.info(`loaded ${path.basename(path.dirname(path.resolve(json)))}/${path.basename(json)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
  };
}

export type AnyModel =
  | { kind: 'layers'; model: LayersModel; json: string }
  | { kind: 'graph'; info: GraphFileInfo; json: string; content: Record<string, unknown> };

/**
 * A saved or converted model file of either kind, as the commands take it: a layers model
 * (striate's, TensorFlow.js', or tensorflowjs_converter's Keras output) is loaded; a graph model
 * (`format: "graph-model"`) is only read and described here: the command decides whether to run
 * it (`loadGraphFile`), since not every command can use one.
 */
export async function loadAnyModel(file: string, say?: Reporter): Promise<AnyModel> {
  const json = modelJsonPath(file);
  const content = peekJson(json);
  if (content && isGraphModelJson(content)) return { kind: 'graph', info: graphFileInfo(content, json), json, content };
  const progress = loadProgress(json, content, say);
  let model: LayersModel;
  try {
    model = await loadLayersModel(`file://${path.resolve(json)}`, progress.onProgress ? { onProgress: progress.onProgress } : undefined);
  } catch (e) {
    throw new CliError((e as Error).message.replace(/^loadLayersModel: /, ''));
  }
  progress.done();
  return { kind: 'layers', model, json };
}

/** What each command says of a graph model it cannot use, and why. */
const GRAPH_REFUSALS: Record<string, string> = {
  train: 'graph models are for inference only (as in TensorFlow.js: a converted TensorFlow graph keeps no trainable ' +
    'layers). To fine-tune, use its features: `graph.execute(x, "<node>")` in a program feeds a new trainable layers ' +
    'head (st.sequential), or convert the original Keras model as a layers model (tensorflowjs_converter ' +
    '--output_format tfjs_layers_model) and use striate train --model <file> --freeze-up-to <layer>',
  export: 'exporting a graph model to ONNX is not supported: striate\'s ONNX writer translates Keras layers, and a ' +
    'graph model holds TensorFlow ops (a GraphDef) it has no translation for; convert the original TensorFlow ' +
    'SavedModel with tf2onnx instead, or export the layers-model version of the network',
};

/** A layers model, or a clear refusal when the file is a graph model and `command` cannot use one. */
export async function loadModelFile(file: string, say?: Reporter, command = 'this command'): Promise<LayersModel> {
  const loaded = await loadAnyModel(file, say);
  if (loaded.kind === 'layers') return loaded.model;
  throw new CliError(`${file} is a graph model (format "graph-model", a converted TensorFlow graph of ` +
    `${loaded.info.nodes} nodes): ${GRAPH_REFUSALS[command] ?? `${command} needs a layers model`}`);
}

const shape = (s: readonly (number | null)[]): string => `[${s.map((d) => (d === null ? 'batch' : d)).join(', ')}]`;

/** The model's input must take one sample of the data and its output must have a unit per class. */
export function checkModelFitsData(model: LayersModel, data: LoadedData, name: string): void {
  checkInputFits(model, data, name);
  const output = model.outputs[0]?.shape;
  const classes = data.classNames.length;
  if (output && output[output.length - 1] !== classes) {
    throw new CliError(`model ${name} outputs ${shape(output)}, but the data ${data.name} has ${classes} classes ` +
      `(expected an output of ${shape([null, classes])})`);
  }
}

export function compileFor(model: LayersModel, optimizer: string, lr: number | undefined): void {
  const names = Object.keys(optimizers).filter((k) => k !== 'get');
  if (!names.includes(optimizer)) {
    throw new CliError(`--optimizer ${optimizer}: unknown; one of ${names.join(', ')}${suggestion(optimizer, names, '')}`, 2);
  }
  if (lr !== undefined && !(lr > 0)) throw new CliError(`--lr must be a positive number, got ${lr}`, 2);
  const learningRate = lr ?? (optimizer === 'adam' ? 0.002 : undefined);
  model.compile({ optimizer: optimizers.get(optimizer, learningRate === undefined ? {} : { learningRate }),
    loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
}

/** The trained model in the run folder (the TensorFlow.js layers format, optimizer state included). */
export function saveRunModel(model: LayersModel, dir: string): void {
  saveModelSync(model, dir, { includeOptimizer: true });
}

/** Class names saved with a model by `striate train` (userDefinedMetadata), else the class indices. */
export function modelClassNames(model: LayersModel, count: number): string[] {
  const names = model.getUserDefinedMetadata()?.classNames;
  if (Array.isArray(names) && names.length === count && names.every((n) => typeof n === 'string')) return names as string[];
  return Array.from({ length: count }, (_, i) => String(i));
}
