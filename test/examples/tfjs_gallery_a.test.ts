// Gallery programs written as TensorFlow.js code, each run unchanged on TensorFlow.js (its cpu
// backend) and on striate, with the same stated outcome asserted on both. The programs are
// sized for TensorFlow.js's cpu backend, the slower of the two.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { run as customLayer } from '../../examples/tfjs_gallery/custom_layer.js';
import { run as additionRnn } from '../../examples/tfjs_gallery/addition_rnn.js';
import { run as dateAttention } from '../../examples/tfjs_gallery/date_attention.js';
import { run as vae } from '../../examples/tfjs_gallery/vae.js';
import { run as corePolynomial } from '../../examples/tfjs_gallery/core_polynomial.js';
import { run as gan1d } from '../../examples/tfjs_gallery/gan_1d.js';
import { run as textGeneration } from '../../examples/tfjs_gallery/text_generation.js';
import { run as imagePipeline } from '../../examples/tfjs_gallery/image_pipeline.js';

const tfjs = await import('@tensorflow/tfjs');
await tfjs.setBackend('cpu');
const libraries: [string, unknown][] = [['TensorFlow.js', tfjs], ['striate', st]];

/** Runs `program` on both libraries and hands each outcome, with the library's name, to `check`. */
async function onBoth<T>(program: (tf: any) => Promise<T>, check: (outcome: T, library: string) => void): Promise<T[]> {
  const outcomes: T[] = [];
  for (const [library, tf] of libraries) {
    const outcome = await program(tf);
    check(outcome, library);
    outcomes.push(outcome);
  }
  return outcomes;
}

const show = (o: unknown) => JSON.stringify(o);

test('custom layer (Antirectifier with a trained gain): learns the disc-or-ring task, saves and loads through registerClass', async () => {
  // measured (40 epochs): accuracy 1 on both; loss 0.70 -> 0.03
  await onBoth(customLayer, (o, lib) => {
    assert.ok(o.accuracy >= 0.95, `${lib}: accuracy >= 0.95 expected: ${show(o)}`);
    assert.ok(o.lastLoss < o.firstLoss / 5, `${lib}: the loss should fall 5-fold: ${show(o)}`);
    assert.ok(o.reloadMaxDiff < 1e-6, `${lib}: the reloaded model predicts the same: ${show(o)}`);
    assert.equal(o.reloadedClassName, 'Antirectifier', lib);
    assert.ok(Math.abs(o.reloadedEpsilon - 1e-5) < 1e-12, `${lib}: getConfig's epsilon survives the round trip: ${show(o)}`);
    assert.deepEqual(o.outputShape, [null, 16], lib);
  });
});

test('addition RNN (lstm, repeatVector, timeDistributed): learns one-digit sums', async () => {
  // measured (25 epochs of 80 questions): train/held-out character accuracy 0.79/0.68
  // (TensorFlow.js), 0.89/0.60 (striate); always answering the commonest character gets ~0.3
  await onBoth(additionRnn, (o, lib) => {
    assert.ok(o.trainCharAccuracy >= 0.7, `${lib}: training character accuracy >= 0.7 expected: ${show(o)}`);
    assert.ok(o.testCharAccuracy >= 0.45, `${lib}: held-out character accuracy >= 0.45 expected: ${show(o)}`);
    assert.ok(o.lastLoss < o.firstLoss / 3, `${lib}: the loss should fall 3-fold: ${show(o)}`);
  });
});

test('date conversion with attention (dot, softmax activation, concatenate): converts held-out dates', async () => {
  // measured (6 epochs): held-out character accuracy 0.88 (TensorFlow.js), 0.92 (striate)
  await onBoth(dateAttention, (o, lib) => {
    assert.ok(o.testCharAccuracy >= 0.75, `${lib}: held-out character accuracy >= 0.75 expected: ${show(o)}`);
    assert.ok(o.lastLoss < o.firstLoss / 3, `${lib}: the loss should fall 3-fold: ${show(o)}`);
    assert.equal(o.attentionRowSums.length, 5, lib);
    assert.ok(o.attentionRowSums.every((s) => Math.abs(s - 1) < 1e-5), `${lib}: attention weights sum to 1: ${show(o)}`);
  });
});

test('variational autoencoder (sampling layer, reconstruction + KL loss): learns the bar pictures', async () => {
  // measured (40 epochs): loss 11.1 -> 4.1 (TensorFlow.js), 11.6 -> 4.8 (striate); all 8 codes distinct
  await onBoth(vae, (o, lib) => {
    assert.ok(o.lastLoss < 0.6 * o.firstLoss, `${lib}: the loss should fall by 40%: ${show(o)}`);
    assert.ok(o.reconstructionAccuracy >= 0.9, `${lib}: >= 90% of pixels reconstructed: ${show(o)}`);
    assert.ok(o.distinctCodes >= 6, `${lib}: the latent means tell the pictures apart: ${show(o)}`);
    assert.ok(o.lastKl > 0.5, `${lib}: the latent code carries information (KL > 0.5): ${show(o)}`);
  });
});

test('core API (variable, matMul, minimize): recovers the cubic and leaks no tensors', async () => {
  await onBoth(corePolynomial, (o, lib) => {
    o.learnt.forEach((c, i) => assert.ok(Math.abs(c - o.truth[i]) < 0.05, `${lib}: coefficient ${i}: ${show(o)}`));
    assert.ok(o.lastLoss < o.firstLoss / 100, `${lib}: the loss should fall 100-fold: ${show(o)}`);
    // Adam's two slots per variable are all that training leaves alive
    assert.equal(o.leakedTensors, 4, `${lib}: ${show(o)}`);
  });
});

test('GAN on 1-D Gaussian data (variableGrads, minimize with varList): the generator moves to the data', async () => {
  // measured (150 steps): generated mean 0.06 -> 4.03 (TensorFlow.js), -0.33 -> 4.07 (striate); data mean 4
  await onBoth(gan1d, (o, lib) => {
    assert.ok(Math.abs(o.meanBefore - o.dataMean) > 3, `${lib}: the generator starts far from the data: ${show(o)}`);
    assert.ok(Math.abs(o.meanAfter - o.dataMean) < 0.5, `${lib}: generated mean within 0.5 of the data's: ${show(o)}`);
    assert.ok(o.discriminatorOnReal > 0.3 && o.discriminatorOnReal < 0.7, `${lib}: the discriminator is unsure at the end: ${show(o)}`);
  });
});

test('character LSTM with tf.multinomial sampling: loss falls, text uses the alphabet and repeats with the seeds', async () => {
  // measured (10 epochs): loss 2.6 -> ~0.5 on both; every generated pair occurs in the text
  await onBoth(textGeneration, (o, lib) => {
    assert.ok(o.lastLoss < o.firstLoss / 3, `${lib}: the loss should fall 3-fold: ${show(o)}`);
    assert.equal(o.generated.length, 60, lib);
    assert.ok([...o.generated].every((ch) => o.alphabet.includes(ch)), `${lib}: only characters of the text: ${show(o)}`);
    assert.equal(o.generatedAgain, o.generated, `${lib}: the same seeds give the same text`);
    assert.ok(o.knownBigramShare >= 0.8, `${lib}: >= 80% of generated pairs occur in the text: ${show(o)}`);
  });
});

test('tf.image pipeline into a CNN: every image and prediction equals TensorFlow.js', async () => {
  const [theirs, ours] = await onBoth(imagePipeline, (o, lib) => {
    assert.ok(o.losses[o.losses.length - 1] < o.losses[0], `${lib}: training lowers the loss: ${show(o.losses)}`);
  });
  const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  for (const name of Object.keys(theirs.images)) {
    assert.deepEqual(ours.shapes[name], theirs.shapes[name], name);
    assert.equal(ours.images[name].length, theirs.images[name].length, name);
    assert.ok(maxDiff(ours.images[name], theirs.images[name]) < 1e-5, `${name} differs from TensorFlow.js by ${maxDiff(ours.images[name], theirs.images[name])}`);
  }
  assert.ok(maxDiff(ours.predictionsBefore, theirs.predictionsBefore) < 1e-5, 'predictions before training');
  assert.ok(maxDiff(ours.predictionsAfter, theirs.predictionsAfter) < 1e-4, 'predictions after training');
  assert.ok(maxDiff(ours.losses, theirs.losses) < 1e-4, `losses ${show(ours.losses)} vs ${show(theirs.losses)}`);
});
