/** Shared checks for the image-model zoo tests (VGG, ResNet, AlexNet, Inception). */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';

type Shape = (number | null)[];

/** Each layer's output shape (first application), by layer name. */
export function outputShapes(m: st.LayersModel): Map<string, Shape> {
  const shapes = new Map<string, Shape>();
  for (const layer of m.layers) shapes.set(layer.name, [...layer.nodes[0].outputs[0].shape]);
  return shapes;
}

/** Asserts the named layers' output shapes (batch as null). */
export function assertShapes(m: st.LayersModel, expected: Record<string, number[]>): void {
  const shapes = outputShapes(m);
  for (const [name, shape] of Object.entries(expected)) {
    assert.ok(shapes.has(name), `${m.name}: no layer named ${name}`);
    assert.deepEqual(shapes.get(name), [null, ...shape], `${m.name}: output shape of ${name}`);
  }
}

export function trainableCount(m: st.LayersModel): number {
  return m.trainableWeights.reduce((n, v) => n + v.size, 0);
}

/** Frees a full-size model's weights at once, rather than waiting for the collector. */
export function release(m: st.LayersModel): void {
  for (const v of m.weights) v.dispose();
}

/** Layer names are unique within the model (model files key weights by them). */
export function assertUniqueNames(m: st.LayersModel): void {
  const names = m.layers.map((l) => l.name);
  assert.equal(new Set(names).size, names.length, `${m.name}: repeated layer names`);
}

/**
 * One training-mode forward and backward pass on a batch of `batch` images: the output is a
 * distribution per image, and every trainable weight gets a finite gradient of its own shape,
 * non-zero for the first and the last layer's kernel (the whole path carries gradient).
 */
export function forwardBackward(m: st.LayersModel, batch: number, seed = 1): void {
  const [h, w, c] = m.inputs[0].shape.slice(1) as number[];
  const classes = m.outputs[0].shape[1] as number;
  st.setSeed(seed);
  const x = st.randomNormal([batch, h, w, c]);
  const labels = st.oneHot(Array.from({ length: batch }, (_, i) => (3 * i + 1) % classes), classes);
  let probs: st.Tensor | undefined;
  const { value, grads } = st.variableGrads(() => {
    // kept: the gradient function disposes its intermediates (as TensorFlow.js' tidy does)
    probs = st.keep(m.apply(x, { training: true }) as st.Tensor);
    return st.losses.categoricalCrossentropy(labels, probs);
  });
  assert.deepEqual(probs!.shape, [batch, classes]);
  const rowSums = st.sum(probs!, 1).dataSync();
  for (const s of rowSums) assert.ok(Math.abs(s - 1) < 1e-4, `${m.name}: a softmax row sums to ${s}`);
  const loss = value.dataSync()[0];
  assert.ok(Number.isFinite(loss) && loss > 0, `${m.name}: loss ${loss}`);
  const trainable = m.trainableWeights;
  assert.equal(Object.keys(grads).length, trainable.length, `${m.name}: one gradient per trainable weight`);
  for (const v of trainable) {
    const g = grads[v.name];
    assert.ok(g, `${m.name}: no gradient for ${v.name}`);
    assert.deepEqual(g.shape, v.shape, `${m.name}: gradient shape of ${v.name}`);
    assert.ok(g.dataSync().every(Number.isFinite), `${m.name}: non-finite gradient for ${v.name}`);
  }
  const kernels = trainable.filter((v) => v.name.endsWith('/kernel'));
  for (const v of [kernels[0], kernels[kernels.length - 1]]) {
    const norm = st.sum(st.square(grads[v.name])).dataSync()[0];
    assert.ok(norm > 0, `${m.name}: zero gradient for ${v.name}`);
  }
}

/** model.save then st.loadLayersModel in a temporary folder: same layers, same predictions. */
export async function assertRoundTrip(m: st.LayersModel): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-zoo-'));
  try {
    await m.save(`file://${dir}`);
    const loaded = await st.loadLayersModel(path.join(dir, 'model.json'));
    assert.deepEqual(loaded.layers.map((l) => l.name), m.layers.map((l) => l.name));
    assert.equal(loaded.countParams(), m.countParams());
    st.setSeed(7);
    const x = st.randomNormal([1, ...(m.inputs[0].shape.slice(1) as number[])]);
    const a = (m.predict(x) as st.Tensor).dataSync();
    const b = (loaded.predict(x) as st.Tensor).dataSync();
    assert.equal(a.length, b.length);
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-6, `${m.name} output ${i}: ${v} before saving, ${b[i]} after`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
