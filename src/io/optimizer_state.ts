/**
 * An optimizer's state beside saved weights: `optimizer.json` (class, iterations, one entry per
 * slot tensor, a SHA-256 of the data) and `optimizer.bin`. Restoring it makes the next update the
 * one the saved run would have made, which an exact resume needs (Adam's moments, momentum).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Optimizer } from '../optim/optimizer.js';
import type { Variable } from '../tensor/tensor.js';
import { makeTensor } from '../tensor/engine.js';
import { writeSynced } from './atomic.js';

interface OptimizerFile {
  format: 'striate-optimizer-state';
  version: 1;
  optimizer: string;
  iterations: number;
  /** per variable: its name and its slots' shapes */
  variables: { name: string; slots: number[][] }[];
  byteLength: number;
  sha256: string;
}

/** Writes the state of `optimizer` for `variables` into `dir` (a fresh folder: see run_checkpoint). */
export function saveOptimizerState(optimizer: Optimizer, variables: Variable[], dir: string): void {
  const state = optimizer.getState(variables);
  const arrays = state.slots.flat().map((t) => Float32Array.from(t.dataSync() as Float32Array));
  const byteLength = arrays.reduce((n, a) => n + a.byteLength, 0);
  const data = new Uint8Array(byteLength);
  let offset = 0;
  for (const a of arrays) {
    data.set(new Uint8Array(a.buffer), offset);
    offset += a.byteLength;
  }
  const file: OptimizerFile = {
    format: 'striate-optimizer-state', version: 1, optimizer: optimizer.name, iterations: state.iterations,
    variables: variables.map((v, i) => ({ name: v.name, slots: state.slots[i].map((t) => [...t.shape]) })),
    byteLength, sha256: createHash('sha256').update(data).digest('hex'),
  };
  writeSynced(path.join(dir, 'optimizer.bin'), data);
  writeSynced(path.join(dir, 'optimizer.json'), JSON.stringify(file, null, 1));
}

/** Restores what `saveOptimizerState` wrote, checking the optimizer kind, the variables and the checksum. */
export function loadOptimizerState(optimizer: Optimizer, variables: Variable[], dir: string): void {
  const where = path.join(dir, 'optimizer.json');
  let file: OptimizerFile;
  try {
    file = JSON.parse(fs.readFileSync(where, 'utf8')) as OptimizerFile;
  } catch (e) {
    throw new Error(`optimizer state: cannot read ${where}: ${(e as Error).message}`);
  }
  if (file.format !== 'striate-optimizer-state' || file.version !== 1) {
    throw new Error(`optimizer state: ${where} is not a version-1 striate optimizer state`);
  }
  if (file.optimizer !== optimizer.name) {
    throw new Error(`optimizer state: ${where} is for ${file.optimizer}, the model is compiled with ${optimizer.name}`);
  }
  if (file.variables.length !== variables.length || file.variables.some((v, i) => v.name !== variables[i].name)) {
    throw new Error(`optimizer state: ${where} is for variables ${file.variables.map((v) => v.name).join(', ')}; ` +
      `the model has ${variables.map((v) => v.name).join(', ')}`);
  }
  const bin = path.join(dir, 'optimizer.bin');
  const data = fs.readFileSync(bin);
  if (data.length !== file.byteLength || createHash('sha256').update(data).digest('hex') !== file.sha256) {
    throw new Error(`optimizer state: ${bin} does not match the size and checksum in ${where} (truncated or corrupted)`);
  }
  let offset = 0;
  const slots = file.variables.map((v) => v.slots.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(new Uint8Array(data.subarray(offset, offset + 4 * n)).buffer);
    offset += 4 * n;
    return makeTensor(values, shape, 'float32');
  }));
  optimizer.setState(variables, { iterations: file.iterations, slots });
  slots.flat().forEach((t) => t.dispose());
}
