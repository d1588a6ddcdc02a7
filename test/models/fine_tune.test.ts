/**
 * Fine-tuning with few examples, on the bundled digits: a CNN trained on digits 0-4 gets a new
 * head and learns 5-9 from ten examples of each with its convolutional layers frozen, against
 * the same network trained from scratch on the same examples. The test trains its own base.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';

const digits = st.data.loadDigits();
const trainLabels = Array.from(digits.train.labels.dataSync());
const testLabels = Array.from(digits.test.labels.dataSync());

function adam(): st.CompileArgs {
  return { optimizer: st.optimizers.adam({ learningRate: 0.003 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] };
}

/** Rows of `xs` at `rows`, and their labels (minus `offset`) one-hot over `classes`. */
function subset(xs: st.Tensor, labels: number[], rows: number[], offset: number, classes: number): [st.Tensor, st.Tensor] {
  const ys = st.tensor(rows.map((i) => labels[i] - offset), [rows.length], 'int32');
  return [st.gather(xs, rows), st.oneHot(ys, classes)];
}

test('fine-tuning a CNN trained on digits 0-4 learns 5-9 from 10 examples each better than training from scratch', async () => {
  const baseRows = trainLabels.flatMap((l, i) => (l < 5 ? [i] : []));
  const [baseXs, baseYs] = subset(digits.train.xs, trainLabels, baseRows, 0, 5);
  const testRows = testLabels.flatMap((l, i) => (l >= 5 ? [i] : []));
  const [testXs, testYs] = subset(digits.test.xs, testLabels, testRows, 5, 5);
  /** The few examples of the new task, draw d: training images 10d to 10d+9 of each of 5..9. */
  const draw = (d: number) => {
    const seen = new Map<number, number>();
    return trainLabels.flatMap((l, i) => {
      if (l < 5) return [];
      const n = seen.get(l) ?? 0;
      seen.set(l, n + 1);
      return n >= 10 * d && n < 10 * d + 10 ? [i] : [];
    });
  };

  st.setSeed(1);
  const base = st.models.digitCnn({ classes: 5 });
  base.compile(adam());
  await base.fit(baseXs, baseYs, { epochs: 2, batchSize: 64, seed: 1, verbose: 0 });
  // fine-tuning trains the base's own dense layer: each draw starts again from the trained base
  const trained = base.getWeights().map((w) => w.clone());
  const convWeights = base.layers.slice(0, 7).flatMap((l) => l.weights);
  const accuracy = (m: st.LayersModel) => (m.evaluate(testXs, testYs) as st.Tensor[])[1].dataSync()[0];
  const results: [number, number][] = [];
  for (const d of [0, 1, 2]) {
    const [fewXs, fewYs] = subset(digits.train.xs, trainLabels, draw(d), 5, 5);
    assert.equal(fewXs.shape[0], 50);
    base.setWeights(trained);
    // the convolutional layers keep what digits 0-4 taught them; dense 256 and a new head learn 5-9
    const tuned = st.models.fineTune(base, { classes: 5, freezeUpTo: base.layers[6].name });
    const convBefore = convWeights.map((v) => Array.from(v.dataSync()));
    tuned.compile(adam());
    await tuned.fit(fewXs, fewYs, { epochs: 30, batchSize: 16, seed: 1, verbose: 0 });
    assert.deepEqual(convWeights.map((v) => Array.from(v.dataSync())), convBefore);
    st.setSeed(101 + d);
    const scratch = st.models.digitCnn({ classes: 5 });
    scratch.compile(adam());
    await scratch.fit(fewXs, fewYs, { epochs: 30, batchSize: 16, seed: 1, verbose: 0 });
    results.push([accuracy(tuned), accuracy(scratch)]);
  }
  const mean = (i: number) => results.reduce((sum, r) => sum + r[i], 0) / results.length;
  console.log(`digits 5-9 from 50 examples, ${testRows.length} held out, 3 draws: fine-tuned ` +
    `${results.map((r) => (r[0] * 100).toFixed(1)).join('/')}% (mean ${(mean(0) * 100).toFixed(1)}%), from scratch ` +
    `${results.map((r) => (r[1] * 100).toFixed(1)).join('/')}% (mean ${(mean(1) * 100).toFixed(1)}%)`);
  // measured with base seeds 1-4: mean 87.2-89.4% fine-tuned vs 84.5-85.1% from scratch, a margin of
  // 2.3 to 4.8 points; fine-tuning won 11 of the 12 draws (one tie)
  assert.ok(mean(0) >= mean(1) + 0.015, `fine-tuned ${mean(0)} vs from scratch ${mean(1)}`);
  assert.ok(results.filter(([t, s]) => t > s).length >= 2, `draws won by fine-tuning: ${JSON.stringify(results)}`);
  assert.ok(mean(0) >= 0.8, `fine-tuned accuracy ${mean(0)}`);
});
