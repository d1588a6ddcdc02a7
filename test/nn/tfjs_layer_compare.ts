/**
 * Comparing one striate layer with the same tfjs-layers layer: the same inputs, tfjs' weights
 * (made non-trivial) copied into ours with setWeights, outputs compared value by value.
 */
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import type { Layer } from '../../src/nn/layer.js';
import { tf, tfl } from '../io/tfjs_interop.js';
import { testValues } from '../helpers.js';

export function sample(shape: number[], seed: number, scale = 1): Float32Array {
  return Float32Array.from(testValues(shape.reduce((a, b) => a * b, 1), seed), (v) => v * scale);
}

export function worstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export interface CompareOptions {
  /** one sample shape per input, batch included */
  shapes: number[][];
  tol?: number;
  /** replace tfjs' initial weights by test values (PReLU's alpha starts at zeros, ...) */
  scrambleWeights?: boolean;
  /** values for the inputs (default: test values in [-1, 1) times 2) */
  inputs?: Float32Array[];
  /** tfjs' and our call arguments */
  theirArgs?: Record<string, unknown>;
  ourArgs?: Record<string, unknown>;
}

/** Runs both layers on the same inputs and weights; asserts equal shapes and values, returns our outputs. */
export function compareWithTfjs(ours: Layer, theirs: tfl.layers.Layer, what: string, o: CompareOptions): st.Tensor[] {
  const data = o.inputs ?? o.shapes.map((s, i) => sample(s, 11 + i, 2));
  const tfIn = o.shapes.map((s, i) => tf.tensor(data[i], s));
  const stIn = o.shapes.map((s, i) => st.tensor(data[i], s));
  const one = o.shapes.length === 1;
  const theirCall = (): tf.Tensor[] => {
    const r = theirs.apply(one ? tfIn[0] : tfIn, o.theirArgs ?? {}) as tf.Tensor | tf.Tensor[];
    return Array.isArray(r) ? r : [r];
  };
  theirCall(); // builds
  if (o.scrambleWeights) {
    theirs.setWeights(theirs.getWeights().map((w, i) => tf.tensor(sample(w.shape, 31 + i, 0.6), w.shape)));
  }
  const expected = theirCall();
  const ourCall = (): st.Tensor[] => {
    const r = (ours.apply as (x: unknown, a: unknown) => st.Tensor | st.Tensor[])(one ? stIn[0] : stIn, o.ourArgs ?? {});
    return Array.isArray(r) ? r : [r];
  };
  ourCall(); // builds
  const theirWeights = theirs.getWeights();
  assert.equal(ours.weights.length, theirWeights.length, `${what}: weight count`);
  if (theirWeights.length > 0) ours.setWeights(theirWeights.map((w) => st.tensor(w.dataSync() as Float32Array, w.shape)));
  const actual = ourCall();
  assert.equal(actual.length, expected.length, `${what}: output count`);
  actual.forEach((a, i) => {
    assert.deepEqual(a.shape, expected[i].shape, `${what}: output ${i} shape`);
    const d = worstDifference(a.dataSync(), expected[i].dataSync() as Float32Array);
    assert.ok(d <= (o.tol ?? 1e-5), `${what}: output ${i} differs from tfjs by ${d}`);
  });
  return actual;
}
