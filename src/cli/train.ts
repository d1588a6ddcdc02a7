/**
 * `striate train`: builds (or loads) a model, trains it on a data set with a progress bar,
 * validation and early stopping, tests it, and writes a run folder: the model, history.csv,
 * learning curves as SVG, the summary, and a checkpoint per epoch that `--resume` continues from.
 * Ctrl-C stops at the end of the current batch and writes a checkpoint first.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LayersModel } from '../nn/model.js';
import { backendReport } from '../backend/registry.js';
import { EarlyStopping } from '../train/callbacks.js';
import { tensorBoard } from '../train/tensorboard.js';
import { BaseCallback, type Logs } from '../train/callback_base.js';
import { fitProgress, type FitResumeState } from '../train/fit.js';
import { setOutput as setProgressOutput } from '../train/progress.js';
import { loadWeights, saveWeights } from '../io/weights_file.js';
import { writeFileAtomic } from '../io/atomic.js';
import { learningCurves } from '../viz/curves.js';
import { oneHot } from '../tensor/sequences.js';
import { setSeed } from '../tensor/random.js';
import { CliError, type CommandSpec, type OptionValues } from './args.js';
import { dataOptions, loadData, type LoadedData } from './data_source.js';
import { ImageAugmenter } from '../data/augment.js';
import { buildModel, checkModelFitsData, compileFor, ZOO_NAMES } from './model_source.js';
import { fineTuneLoaded } from './fine_tune.js';
import { RUN_STATE_VERSION, readCheckpoint, restoreCheckpoint, saveCheckpoint, type RunState } from './run_checkpoint.js';
import { evaluateOn, type Reporter } from './report.js';
import { saveRunModel } from './model_source.js';
import { writeRunPictures } from './viz.js';
import { startBackend } from './backends.js';

export const TRAIN: CommandSpec = {
  name: 'train',
  summary: 'train a network and write a run folder (model, history.csv, learning curves, checkpoint)',
  usage: '',
  positionals: [0, 0],
  options: [
    { name: 'model', type: 'string', valueName: 'name|file', default: 'digit-cnn', help: 'digit-cnn, lenet5, mlp, or a saved or converted Keras model (model.json or its folder) to fine-tune' },
    { name: 'freeze-up-to', type: 'string', valueName: 'layer', help: 'with --model <file>: freeze the layers from the first through this one (a name, or its index in striate summary\'s list, from 0)' },
    { name: 'new-head', type: 'flag', help: 'with --model <file>: replace the head even when its units already match the data\'s classes' },
    { name: 'data', type: 'string', valueName: 'name|path', default: 'mnist', help: 'mnist (bundled), fashion-mnist, an IDX folder, a CSV file or an image folder' },
    { name: 'epochs', type: 'int', default: 12, help: 'passes over the training data' },
    { name: 'batch-size', type: 'int', default: 64, help: 'samples per step' },
    { name: 'optimizer', type: 'string', default: 'adam', help: 'adam, sgd, rmsprop, adagrad, adadelta, adamax' },
    { name: 'lr', type: 'number', help: 'learning rate (default: 0.002 for adam, the optimizer\'s own otherwise)' },
    { name: 'validation-split', type: 'number', default: 0.1, help: 'fraction of the training data held out to validate each epoch' },
    { name: 'patience', type: 'int', default: 3, help: 'early stopping: epochs without a better val_loss before stopping (0: never stop early)' },
    { name: 'augment', type: 'flag', help: 'random shifts (10%), rotations (10 degrees) and zoom (10%) of the training images' },
    { name: 'image-size', type: 'string', valueName: 'HxW', help: 'image folders: resize every image to H x W (e.g. 28x28)' },
    { name: 'color', type: 'string', valueName: 'mode', help: 'image folders: grayscale or rgb (default rgb)' },
    { name: 'label', type: 'string', valueName: 'column', help: 'CSV tables: the label column, by name or 0-based index (default "label", else the last)' },
    { name: 'seed', type: 'int', default: 1, help: 'seed for weights, shuffling, dropout: the same seed gives the same run' },
    { name: 'backend', type: 'string', help: 'wasm (default where it loads), js (the reference) or webgpu (a GPU; see striate backends)' },
    { name: 'out', type: 'string', valueName: 'folder', help: 'the run folder (default runs/<model>-<data>-<time>)' },
    { name: 'resume', type: 'string', valueName: 'run folder', help: 'continue an interrupted run from its last checkpoint' },
    { name: 'tensorboard', type: 'string', valueName: 'folder', help: 'also write TensorBoard event files (train/, val/) into this folder' },
  ],
  examples: [
    'striate train                                  # the digit CNN on the bundled MNIST digits',
    'striate train --data fashion-mnist --epochs 5',
    'striate train --model lenet5 --optimizer sgd --lr 0.05 --out runs/lenet',
    'striate train --resume runs/lenet              # after Ctrl-C',
    'striate train --tensorboard logs               # then: tensorboard --logdir logs',
    'striate train --backend webgpu                 # on the GPU (Node: the optional "webgpu" package, Dawn)',
    'striate train --model pretrained/model.json --data my-images --image-size 28x28 --color grayscale --freeze-up-to flatten',
  ],
  notes: [
    'Fine-tuning (--model <file>): the file is a model saved by striate or TensorFlow.js, or a Keras model converted by ' +
    'tensorflowjs_converter (a layers model; graph models are inference-only). Its head is its last Dense layer with ' +
    'any layers after it (an Activation, a Softmax). When the data has a different number of classes than that layer ' +
    'has units (or with --new-head), the head is replaced by a Dense layer with one unit per class and a softmax, ' +
    'reading what the old Dense layer read; the rest keeps its pretrained weights. --freeze-up-to <layer> freezes ' +
    'the layers from the first through <layer> (a layer of the body, not of the replaced head) so only the later ' +
    'layers train.',
  ],
};

/** Options whose value decides the run's result: a resume must use the saved ones. */
const RUN_DEFINING = ['model', 'data', 'batch-size', 'optimizer', 'lr', 'validation-split', 'patience', 'augment', 'seed',
  'image-size', 'color', 'label', 'freeze-up-to', 'new-head'];

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function runName(options: OptionValues): string {
  const base = (s: string): string => path.basename(String(s)).replace(/\.json$/, '').replace(/[^A-Za-z0-9_.-]+/g, '_');
  // a model file is named by its folder: runs/digits/model/model.json -> digits
  const model = String(options.model).replace(/[\\/]?model\.json$/, '');
  const modelName = path.basename(model) === 'model' ? path.basename(path.dirname(path.resolve(model))) : model;
  return `${base(modelName)}-${base(options.data as string)}-${timestamp()}`;
}

/** Resolves --resume: the saved options win; a conflicting explicit one is an error, --epochs may grow. */
function resumeOptions(options: OptionValues, given: Set<string>): { options: OptionValues; state: RunState; dir: string; runDir: string } {
  const runDir = String(options.resume);
  const { state, dir } = readCheckpoint(runDir);
  const merged: OptionValues = { ...options };
  for (const key of RUN_DEFINING) {
    const saved = state.options[key] ?? undefined;
    if (given.has(key) && options[key] !== saved) {
      throw new CliError(`--resume ${runDir}: the run was started with --${key} ${saved ?? '(none)'}, not ${options[key]}; ` +
        'leave it out to continue the same run');
    }
    merged[key] = saved;
  }
  if (!given.has('epochs')) merged.epochs = state.options.epochs ?? undefined;
  if (!given.has('backend') && state.options.backend) merged.backend = state.options.backend;
  merged.out = runDir;
  return { options: merged, state, dir, runDir };
}

/** Watches for Ctrl-C: the first asks training to stop after the batch, a second one quits at once. */
function interruptWatch(): { requested: () => boolean; dispose: () => void } {
  let count = 0;
  const onSignal = (): void => {
    count++;
    if (count > 1) {
      process.stderr.write('\nstriate: stopped at once (the last checkpoint is intact)\n');
      process.exit(130);
    }
    process.stderr.write('\nstriate: stopping after this batch to write a checkpoint (Ctrl-C again to quit now)\n');
  };
  process.on('SIGINT', onSignal);
  return { requested: () => count > 0, dispose: () => process.off('SIGINT', onSignal) };
}

/**
 * Keeps the run folder current: after each epoch the history, the best weights (best/, when
 * val_loss improves) and a checkpoint; at a Ctrl-C, a checkpoint of the batch just finished.
 */
class RunKeeper extends BaseCallback {
  interruptedAt: FitResumeState | null = null;
  constructor(
    private readonly runDir: string,
    private readonly options: OptionValues,
    private readonly early: EarlyStopping | null,
    readonly history: RunState['history'],
    public bestSaved: number | null,
    private readonly interrupt: () => boolean,
    private readonly resumeState: RunState | null,
    private readonly augmenter: ImageAugmenter | null,
  ) {
    super();
  }

  onTrainBegin(): void {
    // after EarlyStopping's own onTrainBegin (it comes first in the list), which resets its counters
    const saved = this.resumeState?.earlyStopping;
    if (this.early && saved) Object.assign(this.early, saved);
  }

  private state(fit: FitResumeState, interrupted: boolean): RunState {
    const e = this.early;
    return {
      version: RUN_STATE_VERSION, options: plain(this.options), fit, history: this.history,
      earlyStopping: e ? { wait: e.wait, best: e.best, bestEpoch: e.bestEpoch } : null,
      bestSaved: this.bestSaved, interrupted, savedAt: new Date().toISOString(),
      augmentState: this.augmenter?.getState() ?? null,
    };
  }

  onBatchEnd(): void {
    if (this.interruptedAt || !this.interrupt()) return;
    const fit = fitProgress(this.trainingModel)!;
    saveCheckpoint(this.runDir, this.trainingModel, this.state(fit, true));
    this.interruptedAt = fit;
    this.trainingModel.stopTraining = true;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (this.interruptedAt) return; // the cut-short epoch is not a result
    this.history.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history.history[k] ??= []).push(v);
    const monitored = logs.val_loss ?? logs.loss;
    if (this.bestSaved === null || monitored < this.bestSaved) {
      saveWeights(this.trainingModel, path.join(this.runDir, 'best'), { epoch: epoch + 1, val_loss: monitored });
      this.bestSaved = monitored;
    }
    writeHistoryCsv(this.runDir, this.history);
    saveCheckpoint(this.runDir, this.trainingModel, this.state(fitProgress(this.trainingModel)!, false));
  }
}

/** Keras-ImageDataGenerator-style augmentation for image data; other data cannot be augmented this way. */
function makeAugmenter(data: LoadedData, seed: number): ImageAugmenter {
  if (data.sampleShape.length !== 3) {
    throw new CliError(`--augment: the data ${data.name} is not images (samples of shape [${data.sampleShape.join(', ')}])`, 2);
  }
  return new ImageAugmenter({ rotationRange: 10, widthShiftRange: 0.1, heightShiftRange: 0.1, zoomRange: 0.1, fillMode: 'constant', seed });
}

function plain(options: OptionValues): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(options)) if (!['json', 'verbose', 'help', 'resume', 'out'].includes(k)) out[k] = v ?? null;
  return out;
}

function writeHistoryCsv(runDir: string, history: RunState['history']): void {
  const keys = Object.keys(history.history);
  const lines = [['epoch', ...keys].join(',')];
  history.epoch.forEach((e, i) => lines.push([e + 1, ...keys.map((k) => history.history[k][i])].join(',')));
  writeFileAtomic(path.join(runDir, 'history.csv'), lines.join('\n') + '\n');
}

/** The zoo model, or the loaded file fine-tuned for the data (frozen layers, a new head for its classes). */
async function modelToTrain(options: OptionValues, data: LoadedData, say: Reporter): Promise<LayersModel> {
  const spec = String(options.model);
  const tuning = options['freeze-up-to'] !== undefined || !!options['new-head'];
  if (ZOO_NAMES.includes(spec)) {
    if (tuning) {
      throw new CliError(`--${options['freeze-up-to'] !== undefined ? 'freeze-up-to' : 'new-head'} needs --model <file>: ` +
        `${spec} is built from random weights, so there is nothing pretrained to keep`, 2);
    }
    return buildModel(spec, data, say);
  }
  const loaded = await buildModel(spec, data, say);
  const tuned = fineTuneLoaded(loaded, data, {
    file: spec, freezeUpTo: options['freeze-up-to'] === undefined ? undefined : String(options['freeze-up-to']), newHead: !!options['new-head'],
  });
  if (tuned.head) {
    say.info(`fine-tuning ${spec}: new head ${tuned.head} (${data.classNames.length} classes, softmax) replaces ${tuned.replaced.join(', ')}`);
  }
  if (tuned.frozen.length) {
    say.info(`frozen: ${tuned.frozen.length} layers, ${tuned.frozen[0]} through ${tuned.frozen[tuned.frozen.length - 1]}`);
  }
  return tuned.model;
}

export async function train(opts: OptionValues, given: Set<string>, say: Reporter): Promise<number> {
  let options = opts;
  let resume: { state: RunState; dir: string } | null = null;
  if (options.resume !== undefined) {
    const r = resumeOptions(options, given);
    options = r.options;
    resume = r;
    if (fs.existsSync(path.join(r.runDir, 'result.json')) && !given.has('epochs')) {
      throw new CliError(`--resume ${r.runDir}: this run has finished (see its result.json); give --epochs N to train further`);
    }
    if (r.state.fit.epoch >= Number(options.epochs)) {
      throw new CliError(`--resume ${r.runDir}: the run already finished its ${options.epochs} epochs; give --epochs N to train further`);
    }
    // the run's saved backend (main started only one given on this command line)
    if (!given.has('backend') && typeof options.backend === 'string') await startBackend(options.backend);
  }
  setSeed(Number(options.seed));
  const data: LoadedData = await loadData(String(options.data), dataOptions(options));
  say.info(`data: ${data.source}`);
  const startedOn = backendReport();
  say.info(`backend: ${startedOn.backend}${startedOn.adapter ? ` (${startedOn.adapter})` : ''}`);
  const model = resume ? restoreCheckpoint(resume.dir) : await modelToTrain(options, data, say);
  checkModelFitsData(model, data, String(options.model));
  if (!resume) compileFor(model, String(options.optimizer), options.lr as number | undefined);
  model.setUserDefinedMetadata({ classNames: data.classNames, data: data.name });
  if (!say.json) model.summary(undefined, undefined, (line) => say.info(line));

  const runDir = path.resolve(String(options.out ?? path.join('runs', runName(options))));
  fs.mkdirSync(runDir, { recursive: true });

  const patience = Number(options.patience);
  // without validation data there is only the training loss to watch
  const monitor = Number(options['validation-split']) > 0 ? 'val_loss' : 'loss';
  const early = patience > 0 ? new EarlyStopping({ monitor, patience }) : null;
  const augmenter = options.augment ? makeAugmenter(data, Number(options.seed)) : null;
  if (augmenter && resume?.state.augmentState) augmenter.setState(resume.state.augmentState);
  const watch = interruptWatch();
  const keeper = new RunKeeper(runDir, options, early, resume?.state.history ?? { epoch: [], history: {} },
    resume?.state.bestSaved ?? null, watch.requested, resume?.state ?? null, augmenter);
  const ys = oneHot(Array.from(data.train.labels), data.classNames.length, 1, 0, 'float32');
  if (!say.json) setProgressOutput({ write: (s) => process.stdout.write(s), isTTY: () => !!process.stdout.isTTY });
  else setProgressOutput({ write: (s) => process.stderr.write(s), isTTY: () => !!process.stderr.isTTY, warn: (m) => process.stderr.write(`${m}\n`) });
  const started = Date.now();
  try {
    await model.fit(data.train.x, ys, {
      epochs: Number(options.epochs), batchSize: Number(options['batch-size']), seed: Number(options.seed),
      validationSplit: Number(options['validation-split']) || undefined, verbose: 1,
      initialEpoch: resume?.state.fit.epoch ?? 0, resume: resume?.state.fit, augment: augmenter ? (x) => augmenter.augment(x) : undefined,
      callbacks: [...(early ? [early] : []), keeper,
        ...(options.tensorboard !== undefined ? [tensorBoard(path.resolve(String(options.tensorboard)))] : [])],
    });
  } finally {
    watch.dispose();
  }
  const seconds = (Date.now() - started) / 1000;
  if (keeper.interruptedAt) {
    const at = keeper.interruptedAt;
    say.info(`\nInterrupted in epoch ${at.epoch + 1} after batch ${at.batch}; checkpoint written to ${path.join(runDir, 'checkpoints')}.`);
    say.info(`Resume with:  npx striate train --resume ${shortPath(runDir)}`);
    say.result({ interrupted: true, runDir, epoch: at.epoch + 1, batch: at.batch });
    return 130;
  }
  return finish(model, data, runDir, keeper, early, seconds, say);
}

async function finish(model: LayersModel, data: LoadedData, runDir: string, keeper: RunKeeper, early: EarlyStopping | null,
  seconds: number, say: Reporter): Promise<number> {
  const best = keeper.history.history.val_loss ?? keeper.history.history.loss;
  const bestIndex = best ? best.indexOf(Math.min(...best)) : -1;
  if (fs.existsSync(path.join(runDir, 'best', 'weights.json'))) loadWeights(model, path.join(runDir, 'best'));
  const bestEpoch = bestIndex >= 0 ? keeper.history.epoch[bestIndex] : undefined;
  if (bestEpoch !== undefined) say.info(`Best epoch ${bestEpoch + 1} (val_loss ${best[bestIndex].toFixed(4)}): its weights are the model's.`);
  const test = data.test ? evaluateOn(model, data.test, data.classNames) : null;
  saveRunModel(model, path.join(runDir, 'model'));
  writeFileAtomic(path.join(runDir, 'learning-curves.svg'), learningCurves({
    history: keeper.history.history, epochs: keeper.history.epoch, bestEpoch,
    stoppedEpoch: early?.stoppedEpoch || undefined, title: `${model.name} on ${data.name}`,
  }));
  const shape = data.test?.x.shape ?? [];
  const sample = data.test ? data.test.x.slice(shape.map(() => 0), [1, ...shape.slice(1)]) : null;
  const pictures = writeRunPictures(model, runDir, test && sample ? {
    matrix: test.matrix, classNames: data.classNames, title: `${model.name} on ${data.name}, test split`,
    sample, sampleClass: data.classNames[data.test!.labels[0]],
  } : undefined);
  sample?.dispose();
  const summary: string[] = [];
  model.summary(undefined, undefined, (l) => summary.push(l));
  writeFileAtomic(path.join(runDir, 'summary.txt'), summary.join('\n') + '\n');
  const result = {
    runDir, model: model.name, data: data.name, backend: backendReport().backend, epochs: keeper.history.epoch.length, seconds: Math.round(seconds * 10) / 10,
    bestEpoch: bestEpoch === undefined ? null : bestEpoch + 1,
    testAccuracy: test?.accuracy ?? null, testLoss: test?.loss ?? null,
  };
  writeFileAtomic(path.join(runDir, 'result.json'), JSON.stringify(result, null, 1) + '\n');
  if (test) say.info(`Test accuracy ${(test.accuracy * 100).toFixed(2)}% (loss ${test.loss.toFixed(4)}) on ${data.test!.labels.length} held-out samples.`);
  const ran = backendReport();
  if (ran.fallbacks.length) say.info(`${ran.backend} ran ${ran.fallbacks.length} kernels on the CPU for want of its own: ${ran.fallbacks.join(', ')}`);
  say.info(`Trained in ${Math.round(seconds)} s. Run folder: ${shortPath(runDir)} ` +
    `(model/, history.csv, learning-curves.svg, ${pictures.join(', ')}, summary.txt, result.json)`);
  say.result(result);
  return 0;
}

/** The run folder as the user would type it: relative when under the current folder. */
function shortPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') ? p : rel;
}
