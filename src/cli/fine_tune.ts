/**
 * `striate train --model <file>` fine-tuning a loaded model: `--freeze-up-to <layer>` freezes the
 * layers from the first through that one, and a new head fits the data's classes.
 *
 * The head is the model's last Dense layer with whatever follows it (an Activation or Softmax
 * layer). It is replaced when the data's class count differs from the model's output units, or
 * always with `--new-head`: the new head is a Dense layer with one unit per class and a softmax,
 * reading what the old Dense layer read (flattened first when that is a feature map). Everything
 * before it, the pretrained body, is kept with its weights.
 */
import type { LayersModel } from '../nn/model.js';
import type { Layer, SymbolicTensor } from '../nn/layer.js';
import { model as functionalModel } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';
import '../nn/transfer.js';
import { nearestName } from '../tensor/options.js';
import { CliError } from './args.js';
import type { LoadedData } from './data_source.js';

export interface FineTuneOptions {
  /** the file the model came from, for messages */
  file: string;
  /** a layer name, or its 0-based index in the model's layer list (as `striate summary` lists them) */
  freezeUpTo?: string;
  /** replace the head even when its units already match the classes */
  newHead?: boolean;
}

export interface FineTuned {
  model: LayersModel;
  /** the old head's layers that were dropped (empty when kept) */
  replaced: string[];
  /** the new head's layer name, when there is one */
  head: string | null;
  frozen: string[];
}

const shapeText = (s: readonly (number | null)[]): string => `[${s.map((d) => (d === null ? 'batch' : d)).join(', ')}]`;

/** The layer `spec` names: a name, or an index into `model.layers`; a miss suggests the nearest name. */
export function resolveLayer(model: LayersModel, spec: string, option: string): Layer {
  const names = model.layers.map((l) => l.name);
  if (/^\d+$/.test(spec)) {
    const i = Number(spec);
    if (i >= model.layers.length) {
      throw new CliError(`${option} ${spec}: the model has ${model.layers.length} layers (indices 0 to ${model.layers.length - 1}): ` +
        model.layers.map((l, k) => `${k} ${l.name}`).join(', '), 2);
    }
    return model.layers[i];
  }
  const found = model.layers.find((l) => l.name === spec);
  if (found) return found;
  const near = nearestName(spec, names);
  throw new CliError(`${option} ${spec}: the model has no layer of that name${near ? ` (did you mean ${near}?)` : ''}; ` +
    `its layers: ${names.join(', ')}`, 2);
}

/** The model's input takes one sample of the data, or a message saying how they differ and what to try. */
export function checkInputFits(model: LayersModel, data: LoadedData, name: string): void {
  const input = model.inputs[0]?.shape;
  if (!input) return;
  const want = input.slice(1);
  const fits = want.length === data.sampleShape.length && want.every((d, i) => d === null || d === data.sampleShape[i]);
  if (fits) return;
  const images = want.length === 3 && data.sampleShape.length === 3;
  const hint = images && want[0] !== null && want[1] !== null
    ? `; for an image folder, resize with --image-size ${want[0]}x${want[1]}${want[2] === 1 ? ' --color grayscale' : want[2] === 3 ? ' --color rgb' : ''}`
    : '';
  throw new CliError(`model ${name} takes input ${shapeText(input)}, but the data ${data.name} has samples of shape ` +
    `${shapeText([null, ...data.sampleShape])}${hint}`);
}

/** The layers after the last Dense one in `model.layers` order: the old head's activation and such. */
function headLayers(model: LayersModel, file: string): { dense: Layer; after: Layer[] } {
  const denseIndex = model.layers.map((l) => l.className).lastIndexOf('Dense');
  if (denseIndex < 0) {
    throw new CliError(`${file}: the model has no Dense layer to replace as its head (layers: ` +
      `${model.layers.map((l) => `${l.name} ${l.className}`).join(', ')}); its output must already have one unit per class`);
  }
  return { dense: model.layers[denseIndex], after: model.layers.slice(denseIndex + 1) };
}

/** A free layer name starting with `base` (a loaded file may already use `head`). */
function freeName(model: LayersModel, base: string): string {
  const taken = new Set(model.layers.map((l) => l.name));
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

/** Freezes, and replaces the head where the classes call for it; the loaded model's layers are reused, weights and all. */
export function fineTuneLoaded(loaded: LayersModel, data: LoadedData, options: FineTuneOptions): FineTuned {
  const { file } = options;
  if (loaded.inputs.length !== 1 || loaded.outputs.length !== 1) {
    throw new CliError(`${file}: striate train fine-tunes models with one input and one output; this one has ` +
      `${loaded.inputs.length} inputs and ${loaded.outputs.length} outputs`);
  }
  checkInputFits(loaded, data, file);
  const classes = data.classNames.length;
  const out = loaded.outputs[0].shape;
  const replace = options.newHead || out.length !== 2 || out[1] !== classes;
  // resolved on the loaded model, so an index means what `striate summary <file>` shows
  const last = options.freezeUpTo === undefined ? null : resolveLayer(loaded, options.freezeUpTo, '--freeze-up-to');
  let model = loaded;
  let replaced: string[] = [];
  let head: string | null = null;
  if (replace) {
    const old = headLayers(loaded, file);
    replaced = [old.dense, ...old.after].map((l) => l.name);
    if (last && replaced.includes(last.name)) {
      const before = loaded.layers[loaded.layers.indexOf(old.dense) - 1];
      throw new CliError(`--freeze-up-to ${options.freezeUpTo}: layer ${last.name} is part of the head being replaced ` +
        `(${replaced.join(', ')}); freeze up to a layer of the body${before ? `, such as ${before.name}` : ''}`, 2);
    }
    if (old.dense.inboundNodes.length !== 1) {
      throw new CliError(`${file}: the head layer ${old.dense.name} is shared (called ${old.dense.inboundNodes.length} times); ` +
        'striate train cannot tell which call to replace');
    }
    let features: SymbolicTensor = old.dense.inboundNodes[0].inputs[0];
    if (features.rank > 2) features = layers.flatten({ name: freeName(loaded, 'head_flatten') }).apply(features) as SymbolicTensor;
    head = freeName(loaded, 'head');
    const output = layers.dense({ units: classes, activation: 'softmax', name: head }).apply(features) as SymbolicTensor;
    model = functionalModel({ inputs: loaded.inputs, outputs: output, name: loaded.name });
  }
  const frozen = last ? model.freezeUpTo(last.name).map((l) => l.name) : [];
  if (last && model.trainableWeights.length === 0) {
    throw new CliError(`--freeze-up-to ${options.freezeUpTo}: that freezes every layer with weights, so nothing is left to ` +
      `train; freeze fewer layers${replace ? '' : ', or give --new-head to train a new head on the frozen body'}`, 2);
  }
  return { model, replaced, head, frozen };
}
