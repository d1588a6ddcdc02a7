/**
 * The training loss of a softmax output from its logits (src/train/softmax_loss.ts): the same
 * values and weight gradients as the loss on probabilities where nothing is clipped, and the
 * probability path wherever a target probability nears Keras' 1e-7 clip.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { softmaxLossFromLogits } from '../../src/train/softmax_loss.js';

const labels = st.tensor([0, 2, 1, 2, 0], [5], 'int32');

function model(scale: number): st.Sequential {
  const m = st.sequential({ layers: [st.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })] });
  m.layers[0].setWeights([st.randomUniform([4, 3], -scale, scale, 'float32', 5), st.zeros([3])]);
  return m;
}

/** Loss and weight gradients with the logits path (when it applies) and with the named loss. */
function both(m: st.Sequential, x: st.Tensor, name: 'sparseCategoricalCrossentropy' | 'categoricalCrossentropy',
  yTrue: st.Tensor): { fused: boolean; values: number[][] } {
  const named = name === 'sparseCategoricalCrossentropy' ? st.losses.sparseCategoricalCrossentropy : st.losses.categoricalCrossentropy;
  let fused = false;
  const run = (useLogits: boolean): number[] => {
    const { value, grads } = st.variableGrads(() => {
      const p = m.execute(x, { training: true })[0];
      const fromLogits = useLogits ? softmaxLossFromLogits(m, name, 0, yTrue, p) : null;
      if (useLogits) fused = fromLogits !== null;
      return st.mean(fromLogits ?? named(yTrue, p, { reduction: 'none' }));
    }, m.trainableWeights);
    return [value.dataSync()[0], ...m.trainableWeights.flatMap((v) => Array.from(grads[v.name].dataSync()))];
  };
  return { values: [run(true), run(false)], fused: ((): boolean => fused)() };
}

for (const backend of ['wasm', 'js']) {
  test(`softmax outputs: the loss from the logits equals the loss on probabilities (${backend})`, () => {
    st.setBackend(backend);
    const m = model(1);
    const x = st.randomUniform([5, 4], -1, 1, 'float32', 6);
    for (const [name, y] of [['sparseCategoricalCrossentropy', labels], ['categoricalCrossentropy', st.oneHot(labels, 3)]] as const) {
      const { fused, values: [a, b] } = both(m, x, name, y);
      assert.ok(fused, `${name}: the logits path should apply`);
      a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-6 * Math.max(1, Math.abs(b[i])), `${name} value ${i}: ${v} vs ${b[i]}`));
    }
  });

  test(`softmax outputs: a target probability near the 1e-7 clip keeps the probability path (${backend})`, () => {
    st.setBackend(backend);
    // large weights: some target classes get probabilities far below 1e-7
    const m = model(60);
    const x = st.randomUniform([5, 4], -1, 1, 'float32', 6);
    const p = m.predict(x) as st.Tensor;
    const probs = p.dataSync();
    const labelValues = labels.dataSync();
    assert.ok(Array.from(labelValues).some((l, r) => probs[r * 3 + l] < 1e-7), 'the test needs a clipped probability');
    const { fused, values: [a, b] } = both(m, x, 'sparseCategoricalCrossentropy', labels);
    assert.equal(fused, false);
    assert.deepEqual(a, b);
    // and nothing is taken from the logits outside training (no recorded softmax)
    assert.equal(st.noGrad(() => softmaxLossFromLogits(m, 'sparseCategoricalCrossentropy', 0, labels,
      m.execute(x, { training: true })[0])), null);
  });
}
