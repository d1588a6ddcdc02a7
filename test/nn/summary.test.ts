/** model.summary(): the week-8 digit model's table, Keras' numbers and layout. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { input, model, sequential } from '../../src/nn/model.js';
import { layers } from '../../src/nn/layers/index.js';

/** The seed's digit model (built first in this file, so the default names start at conv2d, dense, ...). */
function digitModel() {
  return sequential({
    layers: [
      layers.conv2d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.dropout({ rate: 0.25 }),
      layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      layers.maxPooling2d({ poolSize: 2 }),
      layers.dropout({ rate: 0.25 }),
      layers.flatten(),
      layers.dense({ units: 256, activation: 'relu' }),
      layers.dropout({ rate: 0.5 }),
      layers.dense({ units: 100, activation: 'softmax' }),
      layers.reshape({ targetShape: [10, 10, 1] }),
    ],
  });
}

const m = digitModel();

test('digit model: per-layer params and output shapes', () => {
  const ls = m.sequentialLayers;
  assert.deepEqual(ls.map((l) => l.countParams()), [208, 0, 0, 1168, 0, 0, 0, 200960, 0, 25700, 0]);
  assert.deepEqual(ls.map((l) => l.name), ['conv2d', 'max_pooling2d', 'dropout', 'conv2d_1', 'max_pooling2d_1', 'dropout_1',
    'flatten', 'dense', 'dropout_2', 'dense_1', 'reshape']);
  const shapes = m.graphNodes.filter((n) => n.layer.className !== 'InputLayer').map((n) => n.outputs[0].shape);
  assert.deepEqual(shapes, [
    [null, 28, 28, 8], [null, 14, 14, 8], [null, 14, 14, 8], [null, 14, 14, 16], [null, 7, 7, 16], [null, 7, 7, 16],
    [null, 784], [null, 256], [null, 256], [null, 100], [null, 10, 10, 1],
  ]);
  assert.equal(m.countParams(), 228036);
  // rebuilding on each add leaves each layer with its one live call
  assert.deepEqual(ls.map((l) => l.nodes.length), new Array(11).fill(1));
});

test('digit model: printed table', () => {
  const lines: string[] = [];
  m.summary(undefined, undefined, (line) => lines.push(line));
  const text = lines.join('\n');
  for (const s of ['Layer (type)', 'Output Shape', 'Param #', 'conv2d (Conv2D)', 'max_pooling2d (MaxPooling2D)',
    'dropout (Dropout)', 'flatten (Flatten)', 'dense (Dense)', 'reshape (Reshape)', '(None, 28, 28, 8)', '(None, 10, 10, 1)',
    '(None, 784)', '208', '1,168', '200,960', '25,700', 'Total params: 228,036', 'Trainable params: 228,036',
    'Non-trainable params: 0']) {
    assert.ok(text.includes(s), `summary lacks ${JSON.stringify(s)}:\n${text}`);
  }
  const convRow = lines.find((l) => l.includes('conv2d (Conv2D)'))!;
  assert.match(convRow, /\(None, 28, 28, 8\)\s+208\s*$/);
  const header = lines.find((l) => l.includes('Layer (type)'))!;
  assert.equal(header.indexOf('Output Shape'), convRow.indexOf('(None'), 'columns aligned');
  const denseRow = lines.find((l) => l.includes('dense (Dense)'))!;
  assert.match(denseRow, /\(None, 256\)\s+200,960\s*$/);
});

test('digit model: runs on a batch, softmax rows reshaped to 10x10', () => {
  const x = st.zeros([2, 28, 28, 1]);
  const y = m.apply(x) as st.Tensor;
  assert.deepEqual(y.shape, [2, 10, 10, 1]);
  const sums = st.sum(y, [1, 2, 3]).dataSync();
  for (const s of sums) assert.ok(Math.abs(s - 1) < 1e-5);
});

test('summary with an explicit narrow lineLength wraps long names instead of cutting them', () => {
  const lines: string[] = [];
  m.summary(65, undefined, (l) => lines.push(l));
  assert.equal(lines[1].length, 65);
  const i = lines.findIndex((l) => l.startsWith(' max_pooling2d (MaxPooling2D'));
  assert.ok(i > 0 && lines[i + 1].startsWith(')'), lines.join('\n'));
});

test('batch normalization counts as non-trainable params in the summary', () => {
  const bm = sequential({
    layers: [layers.conv2d({ filters: 16, kernelSize: 3, inputShape: [8, 8, 3] }), layers.batchNormalization()],
  });
  const lines: string[] = [];
  bm.summary(undefined, undefined, (l) => lines.push(l));
  const total = 3 * 3 * 3 * 16 + 16 + 64;
  assert.ok(lines.includes(`Total params: ${total}`), lines.join('\n'));
  assert.ok(lines.includes(`Trainable params: ${total - 32}`), lines.join('\n'));
  assert.ok(lines.includes('Non-trainable params: 32'), lines.join('\n'));
});

test('functional summary lists what each layer is connected to', () => {
  const inp = input({ shape: [4], name: 'features' });
  const a = layers.dense({ units: 4, name: 'branch_a' }).apply(inp);
  const sum = layers.add({ name: 'residual' }).apply([inp, a]);
  const g = model({ inputs: inp, outputs: sum, name: 'residual_model' });
  const lines: string[] = [];
  g.summary(undefined, undefined, (l) => lines.push(l));
  const text = lines.join('\n');
  assert.match(text, /Model: "residual_model"/);
  assert.match(text, /Connected to/);
  assert.match(lines.find((l) => l.includes('residual (Add)'))!, /features, branch_a/);
  assert.ok(lines.includes('Total params: 20'), text);
});
