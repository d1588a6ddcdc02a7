// TensorFlow.js gallery programs (examples/tfjs_gallery/, set B), each run unchanged twice: once
// with TensorFlow.js 4.22 (@tensorflow/tfjs on its cpu backend) and once with striate, with the
// same learning outcome asserted on both. Each run prints its outcome and time.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as st from '../../src/index.js';
import * as policyGradient from '../../examples/tfjs_gallery/policy_gradient.js';
import * as dqnGrid from '../../examples/tfjs_gallery/dqn_grid.js';
import * as csvRegression from '../../examples/tfjs_gallery/csv_regression.js';
import * as gruForecast from '../../examples/tfjs_gallery/gru_forecast.js';
import * as mnistCnn from '../../examples/tfjs_gallery/mnist_cnn.js';
import * as transferLearning from '../../examples/tfjs_gallery/transfer_learning.js';
import * as irisDataset from '../../examples/tfjs_gallery/iris_dataset.js';

type Library = { name: 'tfjs' | 'striate'; tf: any };

let tfjs: any = null;
async function libraries(): Promise<Library[]> {
  if (tfjs === null) {
    tfjs = await import('@tensorflow/tfjs');
    await tfjs.setBackend('cpu');
  }
  return [{ name: 'tfjs', tf: tfjs }, { name: 'striate', tf: st }];
}

/**
 * Math.random replaced by a seeded generator while `run` runs. TensorFlow.js draws its fit
 * shuffles and its initializers' seeds from Math.random, so without this its outcomes vary from
 * run to run (the GRU forecaster's held-out MSE was 0.029-0.037 in most runs and 0.080 in one CI
 * run, above the test's bound); the programs stay unchanged.
 */
async function withSeededMathRandom<T>(seed: number, run: () => Promise<T>): Promise<T> {
  const original = Math.random;
  let s = seed >>> 0;
  Math.random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  try {
    return await run();
  } finally {
    Math.random = original;
  }
}

/** Runs `program` on both libraries and checks each outcome; the label names the library. */
async function onBoth<T>(program: (tf: any) => Promise<T>, check: (outcome: T, label: string) => void): Promise<void> {
  for (const { name, tf } of await libraries()) {
    const started = Date.now();
    const outcome = name === 'tfjs' ? await withSeededMathRandom(20261205, () => program(tf)) : await program(tf);
    console.log(`${name}: ${JSON.stringify(outcome, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(4)) : v))} ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s)`);
    check(outcome, name);
  }
}

/**
 * Bundled digits (the `mnist` package's files, read here so that the program sees only plain
 * arrays): each image shrunk from 28 x 28 to 14 x 14 by 2 x 2 means with its empty outer ring
 * dropped (12 x 12), classes interleaved so any prefix is balanced.
 */
function digitArrays(perClassTrain: number, perClassTest: number) {
  const require = createRequire(import.meta.url);
  const files = Array.from({ length: 10 }, (_, d) => (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);
  const shrink = (image: number[]) => {
    const out: number[] = [];
    for (let r = 1; r < 13; r++) {
      for (let c = 1; c < 13; c++) {
        const i = 56 * r + 2 * c;
        out.push((image[i] + image[i + 1] + image[i + 28] + image[i + 29]) / 4);
      }
    }
    return out;
  };
  const out = { trainImages: [] as number[][], trainLabels: [] as number[], testImages: [] as number[][], testLabels: [] as number[] };
  for (let j = 0; j < perClassTrain + perClassTest; j++) {
    for (let d = 0; d < 10; d++) {
      const image = shrink(files[d].slice(j * 784, (j + 1) * 784));
      if (j < perClassTrain) {
        out.trainImages.push(image);
        out.trainLabels.push(d);
      } else {
        out.testImages.push(image);
        out.testLabels.push(d);
      }
    }
  }
  return out;
}

test('policy gradient (REINFORCE): the average return rises and the greedy policy always reaches the goal', async () => {
  await onBoth((tf) => policyGradient.run(tf), (o, lib) => {
    const r = o.returnsPerIteration;
    const early = (r[0] + r[1] + r[2]) / 3;
    const late = (r[r.length - 3] + r[r.length - 2] + r[r.length - 1]) / 3;
    assert.ok(early < 0.3, `${lib}: the untrained policy already earns ${early}`);
    assert.ok(late > 0.6 && late > early + 0.4, `${lib}: mean return ${early} -> ${late}`);
    assert.equal(o.greedySuccessRate, 1, `${lib}: greedy policy`);
  });
});

test('DQN on a grid world: the greedy policy walks a shortest safe path', async () => {
  await onBoth((tf) => dqnGrid.run(tf), (o, lib) => {
    assert.equal(o.greedyPathLength, 6, `${lib}: greedy path ${o.greedyPath.join(' ')}`);
    assert.ok(!o.greedyPath.some((cell) => cell === '1,1' || cell === '2,2'), `${lib}: path through a pit`);
    assert.ok(o.lateMeanReturn > o.earlyMeanReturn + 0.8, `${lib}: return ${o.earlyMeanReturn} -> ${o.lateMeanReturn}`);
  });
});

test('tf.data.csv regression: fitDataset gets the test MSE under 3 (the mean price alone: about 77)', async () => {
  await onBoth((tf) => csvRegression.run(tf), (o, lib) => {
    assert.deepEqual(o.featureNames, ['crime', 'rooms', 'age', 'distance', 'tax']);
    assert.ok(o.baselineMse > 50, `${lib}: baseline ${o.baselineMse}`);
    assert.ok(o.testMse < 3, `${lib}: test MSE ${o.testMse}`);
    // the noise has variance 1: an MSE well under it would mean the test rows leaked
    assert.ok(o.testMse > 0.5, `${lib}: test MSE ${o.testMse} below the noise`);
    assert.ok(o.lastLoss < o.firstLoss / 20, `${lib}: loss ${o.firstLoss} -> ${o.lastLoss}`);
  });
});

test('GRU forecaster: held-out MSE at most half the naive last-value forecast', async () => {
  // measured: TensorFlow.js 0.029-0.037 in most runs before its Math.random was seeded (one CI run
  // 0.080), striate 0.054 (seeded, repeatable); naive 0.157
  await onBoth((tf) => gruForecast.run(tf), (o, lib) => {
    assert.equal(o.testWindows, 100);
    assert.ok(o.modelMse * 2 <= o.naiveMse, `${lib}: GRU ${o.modelMse} vs naive ${o.naiveMse}`);
    assert.ok(o.lastValLoss < o.firstValLoss, `${lib}: val_loss ${o.firstValLoss} -> ${o.lastValLoss}`);
  });
});

test('MNIST CNN: at least 65% on 300 held-out digits after 4 epochs on 400', async () => {
  const digits = digitArrays(40, 30);
  await onBoth((tf) => mnistCnn.run(tf, { ...digits, epochs: 4 }), (o, lib) => {
    assert.equal(o.epochLogs.length, 4, `${lib}: onEpochEnd calls`);
    assert.deepEqual(o.epochLogs.map((l) => l.epoch), [0, 1, 2, 3]);
    for (const l of o.epochLogs) {
      for (const key of ['loss', 'acc', 'val_loss', 'val_acc'] as const) assert.ok(Number.isFinite(l[key]), `${lib}: logs.${key}`);
    }
    assert.ok(o.testAccuracy >= 0.65, `${lib}: test accuracy ${o.testAccuracy}`);
    assert.ok(Math.abs(o.predictedAccuracy - o.testAccuracy) < 1e-6, `${lib}: predict ${o.predictedAccuracy} vs evaluate ${o.testAccuracy}`);
  });
});

test('transfer learning: the frozen, reloaded base carries a new head to a task a linear model cannot learn', async () => {
  await onBoth((tf) => transferLearning.run(tf), (o, lib) => {
    // TensorFlow.js' fit shuffles with unseeded Math.random: its base lands between 0.92 and 1 across runs
    assert.ok(o.baseAccuracy >= 0.9, `${lib}: base accuracy ${o.baseAccuracy}`);
    assert.equal(o.reloadDifference, 0, `${lib}: reloaded predictions differ`);
    assert.deepEqual(o.savedWeightNames, ['hidden/kernel', 'hidden/bias', 'features/kernel', 'features/bias', 'quadrant/kernel', 'quadrant/bias']);
    assert.equal(o.trainableWeightCount, 2, `${lib}: only the head trains`);
    assert.equal(o.frozenChange, 0, `${lib}: a frozen weight moved`);
    assert.ok(o.headAccuracy >= 0.9, `${lib}: head accuracy ${o.headAccuracy}`);
    assert.ok(o.rawLinearAccuracy <= 0.75, `${lib}: a linear model on raw inputs reached ${o.rawLinearAccuracy}`);
  });
});

test('Iris with tf.data (array + zip, generator): fitDataset, evaluateDataset and predict agree, at least 90%', async () => {
  await onBoth((tf) => irisDataset.run(tf), (o, lib) => {
    assert.ok(o.testAccuracy >= 0.9, `${lib}: test accuracy ${o.testAccuracy}`);
    assert.ok(Math.abs(o.predictedAccuracy - o.testAccuracy) < 1e-6, `${lib}: predict ${o.predictedAccuracy} vs evaluate ${o.testAccuracy}`);
    assert.equal(o.confusion.flat().reduce((a, b) => a + b, 0), 45);
    assert.ok(o.lastValAcc >= o.firstValAcc, `${lib}: val_acc ${o.firstValAcc} -> ${o.lastValAcc}`);
  });
});
