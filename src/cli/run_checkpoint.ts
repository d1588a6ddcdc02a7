/**
 * The checkpoint of a `striate train` run: the model file (weights and the optimizer's state, in
 * the TensorFlow.js layers format) and where the fit
 * stood (epoch, batch, random states, history, early-stopping counters), so `--resume` continues
 * to the same result as a run never stopped.
 *
 * A checkpoint is a folder `checkpoints/<id>/` written in full and fsynced, then named the latest
 * by atomically replacing `checkpoint.json`; older folders are removed only after that. A kill at
 * any moment leaves `checkpoint.json` pointing at a whole checkpoint, the previous or the new.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LayersModel } from '../nn/model.js';
import type { FitResumeState } from '../train/fit.js';
import { loadLayersModelSync, saveModelSync } from '../io/model_file.js';
import { syncDir, writeFileAtomic, writeSynced } from '../io/atomic.js';
import { CliError } from './args.js';

export const RUN_STATE_VERSION = 1;

export interface RunState {
  version: number;
  /** the resolved training options, so a resume trains the same way */
  options: Record<string, string | number | boolean | null>;
  fit: FitResumeState;
  /** complete epochs so far */
  history: { epoch: number[]; history: Record<string, number[]> };
  earlyStopping: { wait: number; best: number; bestEpoch: number } | null;
  /** the monitored value of the weights kept in best/ (null: none yet) */
  bestSaved: number | null;
  /** true when the run stopped because the user asked (Ctrl-C) */
  interrupted: boolean;
  savedAt: string;
  /** the augmenter's random state (with --augment) */
  augmentState?: number[] | null;
}

let counter = 0;

export function saveCheckpoint(runDir: string, model: LayersModel, state: RunState): string {
  const root = path.join(runDir, 'checkpoints');
  fs.mkdirSync(root, { recursive: true });
  const id = `${Date.now()}-${process.pid}-${counter++}`;
  const dir = path.join(root, id);
  fs.mkdirSync(dir);
  saveModelSync(model, dir, { includeOptimizer: true });
  writeSynced(path.join(dir, 'state.json'), JSON.stringify(state, null, 1));
  syncDir(dir);
  syncDir(root);
  writeFileAtomic(path.join(runDir, 'checkpoint.json'), JSON.stringify({ latest: id }) + '\n');
  for (const old of fs.readdirSync(root)) if (old !== id) fs.rmSync(path.join(root, old), { recursive: true, force: true });
  return dir;
}

/** The latest checkpoint's state (without touching a model); a clear error when there is none. */
export function readCheckpoint(runDir: string): { state: RunState; dir: string } {
  const pointer = path.join(runDir, 'checkpoint.json');
  if (!fs.existsSync(runDir)) throw new CliError(`--resume ${runDir}: no such run folder`);
  let latest: string;
  try {
    latest = (JSON.parse(fs.readFileSync(pointer, 'utf8')) as { latest: string }).latest;
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CliError(`--resume ${runDir}: ${missing ? 'no checkpoint.json here (not a run folder, or it ended before its first checkpoint)'
      : `checkpoint.json is not valid JSON (${(e as Error).message})`}`);
  }
  if (typeof latest !== 'string' || latest.includes('/') || latest.includes('\\')) {
    throw new CliError(`--resume ${runDir}: checkpoint.json does not name a checkpoint folder`);
  }
  const dir = path.join(runDir, 'checkpoints', latest);
  const file = path.join(dir, 'state.json');
  let state: RunState;
  try {
    state = JSON.parse(fs.readFileSync(file, 'utf8')) as RunState;
  } catch (e) {
    throw new CliError(`--resume ${runDir}: cannot read ${file}: ${(e as Error).message}`);
  }
  if (state.version !== RUN_STATE_VERSION) {
    throw new CliError(`--resume ${runDir}: ${file} has version ${state.version}; this striate reads version ${RUN_STATE_VERSION}`);
  }
  return { state, dir };
}

/** The model of the checkpoint: its weights, compiled, with the optimizer's state of that moment. */
export function restoreCheckpoint(dir: string): LayersModel {
  return loadLayersModelSync(path.join(dir, 'model.json'));
}
