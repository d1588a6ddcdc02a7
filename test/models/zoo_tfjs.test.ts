/**
 * The zoo's model files load in TensorFlow.js (tfjs-layers on its CPU backend) and predict what
 * striate predicts: narrow versions of each family with logits out, weights scrambled so that every batch-norm
 * statistic and bias matters (a weight read in the wrong order shows).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { ready, tf, tfLoad } from '../io/tfjs_interop.js';
import { testValues } from '../helpers.js';

function scramble(model: st.LayersModel, seed: number): void {
  model.setWeights(model.weights.map((v, i) => {
    const n = v.shape.reduce((a, b) => a * b, 1);
    const scale = v.name.endsWith('kernel') ? 1 / Math.sqrt(n / v.shape[v.shape.length - 1]) : 0.2;
    const vals = Array.from(testValues(n, seed + i), (x) => (v.name.endsWith('variance') ? 0.5 + Math.abs(x) : scale * x));
    return st.tensor(vals, [...v.shape]);
  }));
}

test('narrow alexnet, vgg16, resnet18, resnet50 and inceptionV3 files load in TensorFlow.js and predict the same', async () => {
  await ready();
  const cases: st.LayersModel[] = [
    st.models.alexnet({ inputShape: [67, 67, 3], classes: 5, classifierActivation: null, widthMultiplier: 0.0625 }),
    st.models.vgg16({ inputShape: [32, 32, 3], classes: 5, classifierActivation: null, widthMultiplier: 0.0625 }),
    st.models.resnet18({ inputShape: [32, 32, 3], classes: 5, classifierActivation: null, widthMultiplier: 0.125 }),
    st.models.resnet50({ inputShape: [32, 32, 3], classes: 5, classifierActivation: null, widthMultiplier: 0.0625 }),
    st.models.inceptionV3({ inputShape: [75, 75, 3], classes: 5, classifierActivation: null, widthMultiplier: 0.0625 }),
  ];
  for (const [i, model] of cases.entries()) {
    scramble(model, 20 * i + 1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-zoo-tfjs-'));
    try {
      await model.save(`file://${dir}`);
      const loaded = await tfLoad(dir);
      assert.equal(loaded.countParams(), model.countParams(), `${model.name}: parameters in tfjs`);
      const shape = [2, ...(model.inputs[0].shape.slice(1) as number[])];
      const x = Float32Array.from(testValues(shape.reduce((a, b) => a * b, 1), 5 + i));
      const ours = (model.predict(st.tensor(x, shape)) as st.Tensor).dataSync();
      const theirs = (loaded.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync();
      let worst = 0;
      for (let j = 0; j < ours.length; j++) worst = Math.max(worst, Math.abs(ours[j] - theirs[j]));
      assert.equal(theirs.length, ours.length);
      assert.ok(worst <= 1e-5, `${model.name}: striate and tfjs outputs differ by up to ${worst}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});
