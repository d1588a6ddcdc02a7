/**
 * TensorFlow.js' Layer and LayersModel methods, checked against tfjs-layers on the same model
 * where it has the same thing: shapes, names, getLayer overloads, execute by tensor name,
 * trainOnBatch, predictOnBatch, evaluateDataset, training configs, dispose, summary options.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { setProgressOutput } from '../../src/train/index.js';
import { ready, tf, tfl } from '../io/tfjs_interop.js';
import { assertThrowsMessage } from '../helpers.js';

setProgressOutput({ write: () => {}, isTTY: () => false, warn: () => {} });

function both() {
  const ours = st.sequential({ layers: [
    st.layers.dense({ units: 3, inputShape: [2], name: 'd1', activation: 'relu' }),
    st.layers.dense({ units: 1, name: 'd2' }),
  ] });
  const theirs = tfl.sequential({ layers: [
    tfl.layers.dense({ units: 3, inputShape: [2], name: 'd1', activation: 'relu' }),
    tfl.layers.dense({ units: 1, name: 'd2' }),
  ] });
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync() as Float32Array, [...w.shape])));
  return { ours, theirs };
}

test('layer and model shapes, names and weights read as in TensorFlow.js', async () => {
  await ready();
  const { ours, theirs } = both();
  assert.deepEqual(ours.layers[0].outputShape, theirs.layers[0].outputShape);
  assert.deepEqual(ours.outputShape, theirs.outputShape);
  assert.deepEqual(ours.layers[0].inputShape, [null, 2]);
  assert.deepEqual(ours.layers.map((l) => (l.output as st.SymbolicTensor).name), theirs.layers.map((l) => (l.output as tfl.SymbolicTensor).name));
  assert.deepEqual(ours.getNamedWeights().map((w) => w.name), (theirs as unknown as st.LayersModel).getNamedWeights().map((w) => w.name));
  assert.equal(ours.getLayer('d2').name, theirs.getLayer('d2').name);
  assert.equal(ours.getLayer(1).name, theirs.getLayer(1).name);
  assert.equal(ours.getLayer(undefined, 0).name, theirs.getLayer(undefined as unknown as string, 0).name);
  assert.equal(ours.getLayer('d2', 0).name, 'd1', 'the index wins, as in TensorFlow.js');
  assert.equal((ours.layers[1].getInputAt(0) as st.SymbolicTensor).name, 'd1/d1');
  assert.equal((ours.layers[0].getOutputAt(0) as st.SymbolicTensor).name, 'd1/d1');
  assert.equal(ours.layers[0].outboundNodes[0].layer.name, 'd2');
  assert.equal(ours.layers[1].inboundNodes.length, 1);
  assert.equal(ours.layers[0].getWeights(true).length, 2);
  assert.equal(ours.layers[0].stateful, false);
  assert.deepEqual(ours.layers[0].updates, []);

  const i = st.input({ shape: [2], name: 'x' });
  const o = st.layers.dense({ units: 2, name: 'dd' }).apply(i);
  const f = st.model({ inputs: i, outputs: o });
  assert.deepEqual(f.inputNames, ['x']);
  assert.deepEqual(f.outputNames, ['dd']);
  assert.deepEqual(f.outputShape, [null, 2]);

  // execute by tensor name, and with inputs by name
  const x = [[0.5, -1], [2, 0.25]];
  const hidden = ours.execute(st.tensor(x), 'd1/d1') as st.Tensor;
  const theirHidden = theirs.execute(tf.tensor(x), 'd1/d1') as tf.Tensor;
  assert.deepEqual(hidden.shape, theirHidden.shape);
  const diff = Math.max(...Array.from(hidden.dataSync()).map((v, k) => Math.abs(v - theirHidden.dataSync()[k])));
  assert.ok(diff < 1e-6, `execute('d1/d1') differs by ${diff}`);
  const named = f.execute({ x: st.tensor(x) }, ['dd/dd']) as st.Tensor[];
  assert.equal(named.length, 1);
  assert.deepEqual(named[0].shape, [2, 2]);
  assertThrowsMessage(() => ours.execute(st.tensor(x), 'nope'), 'no tensor named "nope" in the graph; its tensors are');
  assertThrowsMessage(() => f.execute({ y: st.tensor(x) }, 'dd/dd'), 'no value given for the model\'s input "x"');
  assertThrowsMessage(() => ours.getLayer(7), 'no layer 7 (by index); the model has 2 layer(s)');
  assertThrowsMessage(() => ours.getLayer('zz'), 'no layer "zz"; it has 2 layers: d1, d2');
  assertThrowsMessage(() => st.layers.dense({ units: 1 }).outputShape, 'has never been called, so it has no output shape');
  assertThrowsMessage(() => ours.layers[0].getInputAt(3), 'asked for the input at node 3, but the layer has 1 node(s)');
  assertThrowsMessage(() => ours.layers[0].resetStates(), 'resetStates: the layer is not stateful');
});

test('trainOnBatch, predictOnBatch and evaluateDataset give what TensorFlow.js gives', async () => {
  await ready();
  const { ours, theirs } = both();
  ours.compile({ optimizer: st.train.sgd(0.1), loss: 'meanSquaredError', metrics: ['mae'] });
  theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError', metrics: ['mae'] });
  const x = [[1, 2], [0.5, -1], [-2, 0.3], [0, 1]];
  const y = [[1], [0], [0.5], [-1]];
  for (let step = 0; step < 3; step++) {
    const a = await ours.trainOnBatch(st.tensor(x), st.tensor(y)) as number[];
    const b = await theirs.trainOnBatch(tf.tensor(x), tf.tensor(y)) as number[];
    assert.equal(a.length, 2);
    a.forEach((v, k) => assert.ok(Math.abs(v - b[k]) < 1e-5, `step ${step} value ${k}: ${v} vs ${b[k]}`));
  }
  const p = ours.predictOnBatch(st.tensor(x)) as st.Tensor;
  const q = theirs.predictOnBatch(tf.tensor(x)) as tf.Tensor;
  Array.from(p.dataSync()).forEach((v, k) => assert.ok(Math.abs(v - q.dataSync()[k]) < 1e-5));

  // rank-1 targets for an output [null, 1], as TensorFlow.js takes them
  const rank1 = await ours.trainOnBatch(st.tensor(x), st.tensor([1, 0, 0.5, -1])) as number[];
  const theirRank1 = await theirs.trainOnBatch(tf.tensor(x), tf.tensor([1, 0, 0.5, -1])) as number[];
  assert.ok(Math.abs(rank1[0] - theirRank1[0]) < 1e-5);

  const batches = [{ xs: st.tensor(x.slice(0, 2)), ys: st.tensor(y.slice(0, 2)) }, { xs: st.tensor(x.slice(2)), ys: st.tensor(y.slice(2)) }];
  const ev = await ours.evaluateDataset(batches) as st.Tensor[];
  const direct = ours.evaluate(st.tensor(x), st.tensor(y)) as st.Tensor[];
  assert.ok(Math.abs(ev[0].dataSync()[0] - direct[0].dataSync()[0]) < 1e-6);
  const one = await ours.evaluateDataset(batches, { batches: 1 }) as st.Tensor[];
  const first = ours.evaluate(st.tensor(x.slice(0, 2)), st.tensor(y.slice(0, 2))) as st.Tensor[];
  assert.ok(Math.abs(one[0].dataSync()[0] - first[0].dataSync()[0]) < 1e-6);
  await assert.rejects(ours.evaluateDataset(batches, { batchez: 1 } as never), /unknown option "batchez" for (model "[^"]+"\.)?evaluateDataset; did you mean "batches"\?/);
  await assert.rejects(ours.evaluateDataset([]), /the dataset gave no (batches|samples)/);
});

test('training configs, the optimizer property, modelFromJSON and userDefinedMetadata', async () => {
  await ready();
  const { ours, theirs } = both();
  ours.compile({ optimizer: st.train.adam(0.01), loss: 'meanSquaredError', metrics: ['mae'] });
  theirs.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError', metrics: ['mae'] });
  const cfg = ours.getTrainingConfig();
  const theirCfg = (theirs as unknown as st.LayersModel).getTrainingConfig();
  assert.equal(cfg.loss, theirCfg.loss);
  assert.equal(cfg.optimizer_config.class_name, theirCfg.optimizer_config.class_name);
  assert.equal(cfg.optimizer_config.config.learningRate, 0.01);

  const copy = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
  copy.loadTrainingConfig(cfg);
  assert.equal(copy.optimizer!.getClassName(), 'Adam');
  copy.optimizer = st.train.sgd(0.5);
  assert.equal(copy.optimizer!.getClassName(), 'SGD');
  assertThrowsMessage(() => copy.loadTrainingConfig({ ...cfg, loss_weights: [1] } as never), 'loss_weights is not supported');
  assertThrowsMessage(() => st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] }).getTrainingConfig(), 'is not compiled yet');

  const topology = JSON.parse(theirs.toJSON(null, true) as string);
  const rebuilt = await st.models.modelFromJSON(topology);
  assert.deepEqual(rebuilt.layers.map((l) => l.name), ['d1', 'd2']);
  assert.deepEqual(rebuilt.outputShape, [null, 1]);
  const again = await st.models.modelFromJSON({ modelTopology: topology });
  assert.equal(again.countParams(), 13);
  await assert.rejects(st.models.modelFromJSON({ modelTopology: topology, weightsManifest: [] }), /use st.loadLayersModel|load the files with/);
  assert.equal(typeof st.models.digitCnn, 'function', 'the model zoo is still there');

  ours.setUserDefinedMetadata({ classes: ['a', 'b'] });
  assert.deepEqual(ours.getUserDefinedMetadata(), { classes: ['a', 'b'] });
});

test('Sequential add/pop/build/checkShape, summary options, dispose', () => {
  const m = st.sequential();
  m.add(st.layers.dense({ units: 4 }));
  m.add(st.layers.dense({ units: 2 }));
  assertThrowsMessage(() => m.summary(), 'the model is not built yet');
  m.build([null, 3]);
  assert.deepEqual(m.outputShape, [null, 2]);
  assert.equal(m.countParams(), 3 * 4 + 4 + 4 * 2 + 2);
  m.pop();
  assert.deepEqual(m.outputShape, [null, 4]);
  assertThrowsMessage(() => st.sequential().build([null, 3]), 'the model has no layers');
  assertThrowsMessage(() => st.sequential({ layers: [st.layers.dense({ units: 1 })] }).build(), 'the input shape is unknown');

  const lines: string[] = [];
  m.summary(50, [0.5, 0.8, 1], (line) => lines.push(line));
  assert.ok(lines.some((l) => l.startsWith(' Layer (type)') && l.indexOf('Output Shape') === 25), lines.join('\n'));
  assert.equal(lines[1].length, 50);
  assertThrowsMessage(() => m.summary(50, [0.5, 0.2, 1]), 'positions must be 3 increasing column ends');

  const layer = m.layers[0];
  const weights = layer.weights;
  const result = m.dispose();
  assert.deepEqual(result, { refCountAfterDispose: 0, numDisposedVariables: 2 });
  assert.ok(weights.every((w) => w.isDisposed));
  assertThrowsMessage(() => layer.apply(st.tensor([[1, 2, 3]])), 'the layer is disposed');
  assertThrowsMessage(() => m.dispose(), 'the layer is disposed');
  // a layer shared by two models survives the first model's dispose
  const shared = st.layers.dense({ units: 2, inputShape: [2] });
  const a = st.sequential({ layers: [shared] });
  st.sequential({ layers: [shared] });
  assert.equal(a.dispose().numDisposedVariables, 0);
  assert.ok(!shared.weights[0].isDisposed);
});
