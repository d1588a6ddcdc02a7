/**
 * Model structure in converted files: Sequential and Functional models nested in models (a nested
 * model called twice, too), and shared layers with several inbound nodes. Each model is built and
 * saved by TensorFlow.js, loaded by both libraries, and the predictions compared to 1e-5.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ready, tfl } from '../io/tfjs_interop.js';
import * as st from '../../src/index.js';
import {
  bothLoadAndAgree, compareOutputs, floatInput, loadStriate, loadTfjs, scrambleTfjs, striatePredict, tfjsArtifacts, tfjsPredict,
  type Artifacts, type Input,
} from './keras_files_helpers.js';

const L = tfl.layers;
type Sym = tfl.SymbolicTensor;

interface Case { what: string; build: () => tfl.LayersModel; inputs: Input[]; check?: (topology: string) => void }

const cases: Case[] = [
  { what: 'a Sequential inside a Functional model',
    build: () => {
      const inner = tfl.sequential({ layers: [L.dense({ units: 5, activation: 'relu', inputShape: [4] }), L.dense({ units: 3 })] });
      const x = tfl.input({ shape: [4] });
      const y = L.dense({ units: 2 }).apply(inner.apply(x) as Sym) as Sym;
      return tfl.model({ inputs: x, outputs: y });
    }, inputs: [floatInput([3, 4], 1)], check: (t) => assert.match(t, /"class_name":"Sequential"/) },
  { what: 'a Functional model inside a Sequential',
    build: () => {
      const a = tfl.input({ shape: [6] });
      const h = L.dense({ units: 4, activation: 'tanh' }).apply(a) as Sym;
      const inner = tfl.model({ inputs: a, outputs: L.add().apply([h, L.dense({ units: 4 }).apply(a) as Sym]) as Sym });
      return tfl.sequential({ layers: [inner, L.batchNormalization(), L.dense({ units: 2, activation: 'softmax' })] });
    }, inputs: [floatInput([3, 6], 2)], check: (t) => assert.match(t, /"class_name":"(Model|Functional)"/) },
  { what: 'a nested Functional model called twice (a siamese pair)',
    build: () => {
      const a = tfl.input({ shape: [5] });
      const encoder = tfl.model({ inputs: a, outputs: L.dense({ units: 3, activation: 'relu' }).apply(a) as Sym, name: 'encoder' });
      const x1 = tfl.input({ shape: [5] });
      const x2 = tfl.input({ shape: [5] });
      const d = L.average().apply([encoder.apply(x1) as Sym, encoder.apply(x2) as Sym]) as Sym;
      return tfl.model({ inputs: [x1, x2], outputs: L.dense({ units: 1, activation: 'sigmoid' }).apply(d) as Sym });
    }, inputs: [floatInput([3, 5], 3), floatInput([3, 5], 4)],
    check: (t) => assert.match(t, /\["encoder",1,0,\{\}\]/) },
  { what: 'a shared Dense applied to two inputs',
    build: () => {
      const shared = L.dense({ units: 4, activation: 'elu' });
      const x1 = tfl.input({ shape: [3] });
      const x2 = tfl.input({ shape: [3] });
      const y = L.concatenate().apply([shared.apply(x1) as Sym, shared.apply(x2) as Sym]) as Sym;
      return tfl.model({ inputs: [x1, x2], outputs: y });
    }, inputs: [floatInput([2, 3], 5), floatInput([2, 3], 6)] },
  { what: 'a shared layer applied to its own output (node 1 reads node 0)',
    build: () => {
      const shared = L.dense({ units: 4, activation: 'tanh' });
      const x = tfl.input({ shape: [4] });
      const once = shared.apply(x) as Sym;
      const twice = shared.apply(once) as Sym;
      return tfl.model({ inputs: x, outputs: [once, L.multiply().apply([once, twice]) as Sym] });
    }, inputs: [floatInput([3, 4], 7)] },
  { what: 'a shared LSTM encoder and a shared Conv2D',
    build: () => {
      const lstm = L.lstm({ units: 3 });
      const s1 = tfl.input({ shape: [4, 2] });
      const s2 = tfl.input({ shape: [4, 2] });
      const conv = L.conv2d({ filters: 1, kernelSize: 2 });
      const i1 = tfl.input({ shape: [3, 3, 1] });
      const pooled = L.flatten().apply(conv.apply(conv.apply(i1) as Sym) as Sym) as Sym;
      const y = L.concatenate().apply([lstm.apply(s1) as Sym, lstm.apply(s2) as Sym, pooled]) as Sym;
      return tfl.model({ inputs: [s1, s2, i1], outputs: y });
    }, inputs: [floatInput([2, 4, 2], 8), floatInput([2, 4, 2], 9), floatInput([2, 3, 3, 1], 10)] },
];

for (const c of cases) {
  test(`keras model files: ${c.what}`, async () => {
    await ready();
    const model = c.build();
    scrambleTfjs(model, 200);
    const artifacts = await tfjsArtifacts(model);
    c.check?.(JSON.stringify(artifacts.modelTopology));
    await bothLoadAndAgree(artifacts, c.inputs, c.what);
  });
}

test('keras model files: striate writes nested models and shared layers as TensorFlow.js reads them', async () => {
  await ready();
  const a = st.input({ shape: [4] });
  const encoder = st.model({ inputs: a, outputs: st.layers.dense({ units: 3, activation: 'tanh' }).apply(a) as st.SymbolicTensor });
  const shared = st.layers.dense({ units: 3 });
  const x1 = st.input({ shape: [4] });
  const x2 = st.input({ shape: [4] });
  const e1 = shared.apply(encoder.apply(x1) as st.SymbolicTensor) as st.SymbolicTensor;
  const e2 = shared.apply(encoder.apply(x2) as st.SymbolicTensor) as st.SymbolicTensor;
  const ours = st.model({ inputs: [x1, x2], outputs: st.layers.concatenate().apply([e1, e2]) as st.SymbolicTensor });
  let saved: Artifacts | undefined;
  await ours.save(st.io.withSaveHandler(async (artifacts: unknown) => {
    saved = artifacts as Artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }) as never);
  const inputs = [floatInput([2, 4], 11), floatInput([2, 4], 12)];
  const theirs = await loadTfjs(saved!);
  const r = compareOutputs(striatePredict(ours, inputs), tfjsPredict(theirs, inputs), 'striate nested model in TensorFlow.js');
  assert.ok(r.diff <= 1e-5, `TensorFlow.js predicts striate's file ${r.diff} away`);
  const back = await loadStriate(saved!);
  assert.ok(compareOutputs(striatePredict(back, inputs), striatePredict(ours, inputs), 'round trip').diff <= 1e-6);
});

test('striate files saved before nested calls were numbered from 1 (they named node 0) still load', async () => {
  await ready();
  const a = st.input({ shape: [4] });
  const encoder = st.model({ name: 'enc', inputs: a, outputs: st.layers.dense({ units: 3 }).apply(a) as st.SymbolicTensor });
  const x1 = st.input({ shape: [4] });
  const x2 = st.input({ shape: [4] });
  const y = st.layers.add().apply([encoder.apply(x1), encoder.apply(x2)] as st.SymbolicTensor[]) as st.SymbolicTensor;
  const ours = st.model({ inputs: [x1, x2], outputs: y });
  let saved: Artifacts | undefined;
  await ours.save(st.io.withSaveHandler(async (artifacts: unknown) => {
    saved = artifacts as Artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }) as never);
  // the old numbering: every reference to the nested model's calls one lower (1 -> 0, 2 -> 1)
  const topology = structuredClone(saved!.modelTopology) as { config: { layers: { inbound_nodes: unknown[][][] }[] } };
  let renumbered = 0;
  for (const layer of topology.config.layers) {
    for (const call of layer.inbound_nodes) {
      for (const ref of call as unknown[][]) if (ref[0] === 'enc') { ref[1] = (ref[1] as number) - 1; renumbered++; }
    }
  }
  assert.equal(renumbered, 2, 'the add layer reads both calls of the nested model');
  const old = await loadStriate({ ...saved!, modelTopology: topology });
  const inputs = [floatInput([2, 4], 21), floatInput([2, 4], 22)];
  assert.ok(compareOutputs(striatePredict(old, inputs), striatePredict(ours, inputs), 'old numbering').diff <= 1e-6);
});
