/**
 * Model files in the converter's format, made by TensorFlow.js' own save path, loaded by both
 * TensorFlow.js and striate, and their predictions compared.
 */
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { tf, tfl } from '../io/tfjs_interop.js';
import { testValues } from '../helpers.js';

export type Artifacts = tf.io.ModelArtifacts;

export function sample(shape: number[], seed: number, scale = 1, offset = 0): Float32Array {
  return Float32Array.from(testValues(shape.reduce((a, b) => a * b, 1), seed), (v) => v * scale + offset);
}

/** What model.save writes, as TensorFlow.js' file:// and http handlers would receive it. */
export async function tfjsArtifacts(model: tfl.LayersModel): Promise<Artifacts> {
  let saved: Artifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  // through JSON, as a file on disk would be
  return { ...saved!, modelTopology: JSON.parse(JSON.stringify(saved!.modelTopology)) };
}

/**
 * Gives every weight deterministic non-trivial values, so that a weight read into the wrong place
 * shows; variances (batch norm's moving variance) stay positive.
 */
export function scrambleTfjs(model: tfl.LayersModel, seed: number, scale = 0.5): void {
  const weights = model.weights;
  model.setWeights(weights.map((w, i) => {
    const variance = /variance/.test(w.originalName ?? w.name);
    const values = sample(w.shape as number[], seed + i, scale).map((v) => (variance ? 0.5 + Math.abs(v) : v));
    return tf.tensor(values, w.shape as number[]);
  }));
}

export interface Input {
  shape: number[];
  data: Float32Array | Int32Array;
  dtype?: 'float32' | 'int32';
}

export function floatInput(shape: number[], seed: number, scale = 2, offset = 0): Input {
  return { shape, data: sample(shape, seed, scale, offset) };
}

export function intInput(shape: number[], seed: number, max: number): Input {
  return { shape, dtype: 'int32', data: Int32Array.from(sample(shape, seed), (v) => Math.floor((v + 1) / 2 * max) % max) };
}

function outputsOf(r: unknown): { shape: number[]; data: ArrayLike<number> }[] {
  const list = (Array.isArray(r) ? r : [r]) as { shape: number[]; dataSync(): ArrayLike<number> }[];
  return list.map((t) => ({ shape: [...t.shape], data: t.dataSync() }));
}

export function striatePredict(model: st.LayersModel, inputs: Input[]): { shape: number[]; data: ArrayLike<number> }[] {
  const xs = inputs.map((i) => st.tensor(i.data, i.shape, i.dtype ?? 'float32'));
  return outputsOf(model.predict(xs.length === 1 ? xs[0] : xs));
}

export function tfjsPredict(model: tfl.LayersModel, inputs: Input[]): { shape: number[]; data: ArrayLike<number> }[] {
  const xs = inputs.map((i) => tf.tensor(i.data, i.shape, i.dtype ?? 'float32'));
  return outputsOf(model.predict(xs.length === 1 ? xs[0] : xs));
}

export async function loadStriate(artifacts: Artifacts): Promise<st.LayersModel> {
  return st.loadLayersModel(st.io.fromMemory(artifacts as never));
}

export async function loadTfjs(artifacts: Artifacts): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** Largest absolute difference, and the largest magnitude of the expected values. */
export function compareOutputs(ours: { shape: number[]; data: ArrayLike<number> }[],
  theirs: { shape: number[]; data: ArrayLike<number> }[], what: string): { diff: number; scale: number } {
  assert.equal(ours.length, theirs.length, `${what}: number of outputs`);
  let diff = 0;
  let scale = 0;
  ours.forEach((o, k) => {
    assert.deepEqual(o.shape, theirs[k].shape, `${what}: output ${k} shape`);
    for (let i = 0; i < o.data.length; i++) {
      const d = Math.abs(o.data[i] - theirs[k].data[i]);
      diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
      scale = Math.max(scale, Math.abs(theirs[k].data[i]));
    }
  });
  return { diff, scale };
}

/**
 * Loads the file in TensorFlow.js and in striate, predicts on the same inputs, and asserts the
 * outputs agree to `tol`; returns the largest difference and the output scale.
 */
export async function bothLoadAndAgree(artifacts: Artifacts, inputs: Input[], what: string, tol = 1e-5):
  Promise<{ diff: number; scale: number; model: st.LayersModel }> {
  const theirs = await loadTfjs(artifacts);
  const ours = await loadStriate(artifacts);
  const r = compareOutputs(striatePredict(ours, inputs), tfjsPredict(theirs, inputs), what);
  assert.ok(r.diff <= tol, `${what}: striate's prediction differs from TensorFlow.js' by ${r.diff} (tolerance ${tol})`);
  return { ...r, model: ours };
}
