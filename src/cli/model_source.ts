/**
 * What `--model` and `<model>` arguments name: a zoo architecture built to fit the data
 * (digit-cnn, lenet5, mlp) or a saved model file; and the checks that a model fits the data.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LayersModel } from '../nn/model.js';
import { models } from '../models/index.js';
import { optimizers } from '../optim/index.js';
import { loadLayersModelSync, saveModelSync } from '../io/model_file.js';
import { CliError, suggestion } from './args.js';
import type { LoadedData } from './data_source.js';

const ZOO: Record<string, (data: LoadedData) => LayersModel> = {
  'digit-cnn': (d) => models.digitCnn({ inputShape: d.sampleShape, classes: d.classNames.length, name: 'digit_cnn' }),
  lenet5: (d) => models.lenet5({ inputShape: d.sampleShape, classes: d.classNames.length }),
  mlp: (d) => models.mlp({ inputShape: d.sampleShape, classes: d.classNames.length }),
};

export const ZOO_NAMES = Object.keys(ZOO);

export function buildModel(spec: string, data: LoadedData): LayersModel {
  const zoo = ZOO[spec];
  if (zoo) return zoo(data);
  if (fs.existsSync(spec)) return loadModelFile(spec);
  throw new CliError(`--model ${spec}: not a model name (${ZOO_NAMES.join(', ')}) nor a file` +
    `${suggestion(spec, ZOO_NAMES, '')}`);
}

/** Weight files at least this big (all shards together) get a progress line while they load; smaller ones load in about a second or less. */
export const PROGRESS_MIN_BYTES = 16 << 20;

/** Where and when the loading progress line goes (the defaults: stderr, so stdout stays clean for --json). */
export interface LoadProgressOutput {
  minBytes?: number;
  write?: (text: string) => void;
  isTTY?: boolean;
}

/** The bytes of the shards a model.json names (0 where it cannot tell: the loader then says what is wrong). */
function shardBytes(json: string): number {
  try {
    const parsed = JSON.parse(fs.readFileSync(json, 'utf8'));
    const paths: unknown[] = [...(parsed.weightsManifest ?? []).flatMap((g: { paths?: unknown[] }) => g.paths ?? []), ...(parsed.striate?.optimizer?.paths ?? [])];
    let total = 0;
    for (const p of paths) {
      // only names inside the folder: the loader refuses the others before reading anything
      if (typeof p !== 'string' || p.includes('..') || path.isAbsolute(p)) continue;
      const f = path.join(path.dirname(json), p);
      if (fs.existsSync(f)) total += fs.statSync(f).size;
    }
    return total;
  } catch {
    return 0;
  }
}

/** A progress callback printing `loading <file>: 40% of 120.0 MB` (in place on a terminal, every 25% otherwise). */
function progressLine(file: string, bytes: number, out: Required<Omit<LoadProgressOutput, 'minBytes'>>): (fraction: number) => void {
  const mb = (bytes / 1e6).toFixed(1);
  let shown = -1;
  return (fraction) => {
    const percent = Math.min(100, Math.floor(fraction * 100));
    const step = out.isTTY ? percent : Math.floor(percent / 25) * 25;
    if (step <= shown) return;
    shown = step;
    const line = `loading ${file}: ${step}% of ${mb} MB`;
    if (out.isTTY) out.write(`\r${line}${step === 100 ? '\n' : ''}`);
    else out.write(`${line}\n`);
  };
}

/** A saved model: a model.json, or a folder holding one; errors name the file and what is wrong. Big files show a progress line. */
export function loadModelFile(file: string, progress: LoadProgressOutput = {}): LayersModel {
  let json = file;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) json = path.join(file, 'model.json');
  if (!fs.existsSync(json)) {
    throw new CliError(fs.existsSync(file) ? `${file}: a folder without a model.json (expected a model saved by striate or TensorFlow.js)`
      : `${file}: no such model file or folder`);
  }
  const bytes = shardBytes(json);
  const out = { write: progress.write ?? ((t: string) => process.stderr.write(t)), isTTY: progress.isTTY ?? !!process.stderr.isTTY };
  const onProgress = bytes >= (progress.minBytes ?? PROGRESS_MIN_BYTES) ? progressLine(json, bytes, out) : undefined;
  try {
    return loadLayersModelSync(json, onProgress ? { onProgress } : {});
  } catch (e) {
    throw new CliError((e as Error).message.replace(/^loadLayersModel: /, ''));
  }
}

const shape = (s: readonly (number | null)[]): string => `[${s.map((d) => (d === null ? 'batch' : d)).join(', ')}]`;

/** The model's input must take one sample of the data and its output must have a unit per class. */
export function checkModelFitsData(model: LayersModel, data: LoadedData, name: string): void {
  const input = model.inputs[0]?.shape;
  if (input) {
    const want = input.slice(1);
    const fits = want.length === data.sampleShape.length && want.every((d, i) => d === null || d === data.sampleShape[i]);
    if (!fits) {
      throw new CliError(`model ${name} takes input ${shape(input)}, but the data ${data.name} has samples of shape ` +
        `${shape([null, ...data.sampleShape])}`);
    }
  }
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
