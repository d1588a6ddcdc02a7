/**
 * `striate viz <model> --input image.png`: pictures of a saved model — its graph, the filters of
 * each convolution layer, and what every layer computes for one image (one SVG per layer; with
 * --png also PNG sheets of the grid pictures). Also the pictures `train` adds to a run folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LayersModel } from '../nn/model.js';
import type { Layer } from '../nn/layer.js';
import { writeFileAtomic } from '../io/atomic.js';
import { filters, filtersPng } from '../viz/filters.js';
import { featureMaps, featureMapsSvg, mapTiles } from '../viz/feature_maps.js';
import { confusionMatrix } from '../viz/confusion.js';
import type { Tensor } from '../tensor/tensor.js';
import { tileGridPng } from '../viz/tiles.js';
import { activations } from '../viz/activations.js';
import { modelGraph } from '../viz/model_graph.js';
import { CliError, type CommandSpec, type OptionValues } from './args.js';
import { loadPredictInput } from './data_source.js';
import { loadAnyModel } from './model_source.js';
import { graphDefDiagram } from '../viz/graph_def.js';
import type { Reporter } from './report.js';

export const VIZ: CommandSpec = {
  name: 'viz',
  summary: 'draw a saved model: its graph, its conv filters, and every layer\'s feature maps for an image (SVG, PNG with --png); a graph model: its graph of ops',
  usage: '<model>',
  positionals: [1, 1],
  options: [
    { name: 'input', type: 'string', valueName: 'image', help: 'an image (PNG, JPEG, PGM) whose feature maps to draw, resized to the model\'s input' },
    { name: 'out', type: 'string', valueName: 'dir', help: 'where to write the pictures (default <model>/viz)' },
    { name: 'png', type: 'flag', help: 'also write PNG sheets of the filters and feature maps' },
  ],
  examples: ['striate viz runs/<run>/model --input digit.png', 'striate viz model/model.json --input cat.jpg --out pictures --png'],
};

/** Layers with a 4-D kernel [kh, kw, inC, outC] (Conv2D and its kin), in graph order. */
export function convLayers(model: LayersModel): Layer[] {
  return model.layers.filter((l) => l.className !== 'InputLayer' && l.weights.some((w) => w.shape.length === 4));
}

/** A layer name made safe for a file name. */
function fileName(name: string): string {
  return name.replace(/[^\w.-]+/g, '_');
}

/** What a run's test split gives the pictures: the confusion matrix and one sample to draw every layer of. */
export interface RunTestPictures {
  matrix: number[][];
  classNames: string[];
  title: string;
  /** one test sample as a batch of one [1, ...], and the name of its class */
  sample: Tensor;
  sampleClass: string;
}

/**
 * The pictures `striate train` leaves in a run folder: the model's graph, its first conv
 * layer's filters and, when there is a test split, the confusion matrix and every layer's
 * feature maps of the first test sample (as embedded PNG tiles, so the file stays small).
 */
export function writeRunPictures(model: LayersModel, runDir: string, test?: RunTestPictures): string[] {
  const written = ['model-graph.svg'];
  writeFileAtomic(path.join(runDir, 'model-graph.svg'), modelGraph(model));
  const first = convLayers(model)[0];
  if (first) {
    writeFileAtomic(path.join(runDir, 'filters.svg'), filters(first, { title: `filters of ${first.name} (${model.name})` }));
    written.push('filters.svg');
  }
  if (test) {
    writeFileAtomic(path.join(runDir, 'confusion-matrix.svg'), confusionMatrix({ matrix: test.matrix, classNames: test.classNames, title: test.title }));
    const title = `feature maps of the first test sample (class ${test.sampleClass}), model "${model.name}"`;
    writeFileAtomic(path.join(runDir, 'feature-maps.svg'), featureMaps(model, test.sample, undefined, { title, pixels: 'png' }));
    written.push('confusion-matrix.svg', 'feature-maps.svg');
  }
  return written;
}

export async function viz(options: OptionValues, [modelPath]: string[], say: Reporter): Promise<number> {
  const loaded = await loadAnyModel(modelPath, say);
  const out = String(options.out ?? path.join(modelPath.endsWith('.json') ? path.dirname(modelPath) : modelPath, 'viz'));
  fs.mkdirSync(out, { recursive: true });
  const files: string[] = [];
  const write = (name: string, content: string | Buffer): void => {
    writeFileAtomic(path.join(out, name), content);
    files.push(name);
  };
  if (loaded.kind === 'graph') {
    // a graph model has ops, not layers: no filters per layer nor per-layer maps to draw from it
    if (options.input !== undefined || options.png) {
      throw new CliError(`${modelPath} is a graph model: viz draws its graph of ops; --input and --png (feature maps, filters) ` +
        'need a layers model, whose layers have kernels and outputs of their own');
    }
    write('model-graph.svg', graphDefDiagram(loaded.info.nodeList,
      `graph model ${path.basename(path.resolve(loaded.json, '..'))}: ${loaded.info.nodes} nodes, ${loaded.info.ops.length} kinds of op`));
  } else await drawLayers(loaded.model, modelPath, options, write);
  if (say.json) say.result({ model: modelPath, out, files });
  else {
    say.info(`Wrote ${files.length} pictures to ${out}:`);
    for (const f of files) say.info(`  ${f}`);
  }
  return 0;
}

async function drawLayers(model: LayersModel, modelPath: string, options: OptionValues, write: (name: string, content: string | Buffer) => void): Promise<void> {
  write('model-graph.svg', modelGraph(model));
  for (const layer of convLayers(model)) {
    write(`filters-${fileName(layer.name)}.svg`, filters(layer));
    if (options.png) write(`filters-${fileName(layer.name)}.png`, filtersPng(layer, { pixelSize: 8 }));
  }
  if (options.input !== undefined) {
    const sample = model.inputs[0].shape.slice(1);
    if (sample.some((d) => d === null)) throw new CliError(`${modelPath}: the model's input [${sample.join(', ')}] has no fixed size to fit an image to`);
    const { x } = await loadPredictInput(String(options.input), sample as number[]);
    // one file per layer: a whole network's maps in one SVG is too big to open comfortably
    activations(model, x).forEach((act, i) => {
      const base = `feature-maps-${String(i).padStart(2, '0')}-${fileName(act.layer.name)}`;
      write(`${base}.svg`, featureMapsSvg([act], `feature maps of ${act.layer.name} for ${path.basename(String(options.input))}`));
      if (options.png) write(`${base}.png`, tileGridPng(mapTiles(act.output).tiles, { columns: 8, pixelSize: 4 }));
    });
  }
}
