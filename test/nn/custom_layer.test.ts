/**
 * A custom layer written the TensorFlow.js way (extends layers.Layer, addWeight with positional
 * arguments, call(inputs, kwargs), getConfig over super.getConfig(), static className,
 * serialization.registerClass) runs unchanged here: it trains, saves and loads, and the very same
 * class body, built on TensorFlow.js, reads striate's file and writes one striate reads.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { setProgressOutput } from '../../src/train/index.js';
import { ready, tf, tfl, tfLoad, tfSave } from '../io/tfjs_interop.js';
import { assertThrowsMessage, testValues } from '../helpers.js';

setProgressOutput({ write: () => {}, isTTY: () => false, warn: () => {} });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'striate-custom-'));

/* eslint-disable @typescript-eslint/no-explicit-any */
/** What the class body needs from a library: the same names in TensorFlow.js and striate. */
type Lib = {
  layers: { Layer: any }; initializers: any; regularizers: any; serialization: any;
  matMul: any; add: any; mul: any; tidy: any;
};

const stLib: Lib = st as unknown as Lib;
const tfLib: Lib = {
  layers: tfl.layers, initializers: tfl.initializers, regularizers: tfl.regularizers, serialization: tf.serialization,
  matMul: tf.matMul, add: tf.add, mul: tf.mul, tidy: tf.tidy,
};

/** The class, as a TensorFlow.js user writes it; `lib` is `tf` or `st`. */
function defineScaledDense(lib: Lib, seen: unknown[] = []) {
  class ScaledDense extends lib.layers.Layer {
    declare units: number;
    declare scale: number;
    declare kernel: any;
    declare bias: any;

    constructor(config: any) {
      super(config);
      this.units = config.units;
      this.scale = config.scale ?? 1;
    }

    build(inputShape: any) {
      const inDim = inputShape[inputShape.length - 1];
      this.kernel = this.addWeight('kernel', [inDim, this.units], 'float32', lib.initializers.glorotNormal({ seed: 7 }),
        lib.regularizers.l2({ l2: 0.001 }), true);
      this.bias = this.addWeight('bias', [this.units], 'float32', lib.initializers.zeros());
    }

    computeOutputShape(inputShape: any) {
      return [inputShape[0], this.units];
    }

    call(inputs: any, kwargs: any) {
      seen.push(kwargs?.training);
      return lib.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        return lib.mul(lib.add(lib.matMul(x, this.kernel.read()), this.bias.read()), this.scale);
      });
    }

    getConfig() {
      const base = super.getConfig();
      return { ...base, units: this.units, scale: this.scale };
    }

    static get className() {
      return 'ScaledDense';
    }
  }
  lib.serialization.registerClass(ScaledDense);
  return ScaledDense;
}

const xs = (n: number) => Float32Array.from(testValues(n * 3, 5));

function stModel(ScaledDense: any): st.Sequential {
  return st.sequential({ layers: [
    new ScaledDense({ units: 4, scale: 0.5, inputShape: [3] }),
    st.layers.dense({ units: 2, activation: 'softmax' }),
  ] });
}

test('a TensorFlow.js-style custom layer builds, names itself from className, and trains with fit', async () => {
  const seen: unknown[] = [];
  const ScaledDense = defineScaledDense(stLib, seen);
  const layer = new ScaledDense({ units: 4 });
  assert.equal(layer.getClassName(), 'ScaledDense');
  assert.equal(layer.className, 'ScaledDense');
  assert.match(layer.name, /^scaled_dense/);
  assert.ok(layer instanceof st.layers.Layer);
  assert.ok(st.layers.dense({ units: 1 }) instanceof st.layers.Layer, 'built-in layers are layers.Layer too');
  assert.ok(!(st.layers.dense({ units: 1 }) instanceof ScaledDense));

  const model = stModel(ScaledDense);
  assert.deepEqual(model.layers[0].outputShape, [null, 4]);
  assert.equal(model.layers[0].weights.map((w) => w.name).join(), `${model.layers[0].name}/kernel,${model.layers[0].name}/bias`);
  assert.equal(model.countParams(), 3 * 4 + 4 + 4 * 2 + 2);
  // the regularizer given positionally joins the loss
  assert.equal(model.layers[0].losses.length, 1);

  model.compile({ optimizer: st.train.adam(0.05), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = st.tensor(xs(32), [32, 3]);
  const y = st.tensor(Array.from({ length: 32 }, (_, i) => (x.arraySync() as number[][])[i][0] > 0 ? 1 : 0), [32], 'int32');
  seen.length = 0;
  const h = await model.fit(x, y, { epochs: 30, batchSize: 8, verbose: 0 });
  assert.ok(seen.includes(true), 'call gets kwargs.training = true while fitting');
  const loss = h.history.loss;
  assert.ok(loss[loss.length - 1] < loss[0] * 0.7, `loss falls: ${loss[0]} -> ${loss[loss.length - 1]}`);
  seen.length = 0;
  model.predict(x);
  assert.ok(seen.length > 0 && seen.every((t) => t !== true), 'predict calls without training');
});

test('a model with a custom layer saves and loads in striate, and loads in TensorFlow.js with the class registered there', async () => {
  await ready();
  const ScaledDense = defineScaledDense(stLib);
  defineScaledDense(tfLib);
  const model = stModel(ScaledDense);
  const dir = tmp();
  try {
    await model.save(`file://${dir}`);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const layerJson = json.modelTopology.config.layers.find((l: any) => l.class_name === 'ScaledDense');
    assert.equal(layerJson.config.units, 4);
    assert.equal(layerJson.config.scale, 0.5);

    const x = xs(5);
    const expected = (model.predict(st.tensor(x, [5, 3])) as st.Tensor).dataSync();
    const back = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    assert.equal(back.layers[0].getClassName(), 'ScaledDense');
    assert.ok(back.layers[0] instanceof ScaledDense);
    assert.deepEqual(Array.from((back.predict(st.tensor(x, [5, 3])) as st.Tensor).dataSync()), Array.from(expected));

    const theirs = await tfLoad(dir);
    assert.equal(theirs.layers[0].getClassName(), 'ScaledDense');
    const got = (theirs.predict(tf.tensor(x, [5, 3])) as tf.Tensor).dataSync();
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-5, `output ${i}: ${got[i]} vs ${expected[i]}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a TensorFlow.js model with the same custom layer loads in striate and predicts the same', async () => {
  await ready();
  const TfScaled = defineScaledDense(tfLib);
  defineScaledDense(stLib);
  const theirs = tfl.sequential({ layers: [
    new TfScaled({ units: 3, scale: 2, inputShape: [3] }) as unknown as tfl.layers.Layer,
    tfl.layers.dense({ units: 1 }),
  ] });
  const dir = tmp();
  try {
    await tfSave(theirs, dir);
    const x = xs(4);
    const expected = (theirs.predict(tf.tensor(x, [4, 3])) as tf.Tensor).dataSync();
    const ours = await st.loadLayersModel(`file://${path.join(dir, 'model.json')}`);
    assert.equal(ours.layers[0].className, 'ScaledDense');
    const got = (ours.predict(st.tensor(x, [4, 3])) as st.Tensor).dataSync();
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-5, `output ${i}: ${got[i]} vs ${expected[i]}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('custom layer defaults: identity call and shape, addLoss, supportsMasking, call hooks, initial weights', () => {
  class Passthrough extends st.layers.Layer {
    static className = 'Passthrough';
  }
  const p = new Passthrough({});
  const x = st.tensor([[1, 2]]);
  assert.deepEqual((p.apply(x) as st.Tensor).arraySync(), [[1, 2]]);
  assert.deepEqual(p.computeOutputShape([null, 2]), [null, 2]);
  p.supportsMasking = true;
  assert.equal(p.supportsMasking, true);
  const hooked: unknown[] = [];
  p.setCallHook((inputs, kwargs) => hooked.push([inputs, kwargs.training]));
  p.apply(x, { training: true });
  p.clearCallHook();
  p.apply(x);
  assert.equal(hooked.length, 1);
  assert.equal((hooked[0] as unknown[])[1], true);

  p.addLoss(() => st.scalar(0.25));
  assert.equal(p.losses.length, 1);
  assert.equal(p.calculateLosses()[0].dataSync()[0], 0.25);
  assert.equal(p.regularizationLosses()[0].dataSync()[0], 0.25);

  class WithWeight extends st.layers.Layer {
    static className = 'WithWeight';
    w: any;
    override build() {
      this.w = this.addWeight('w', [2], undefined, st.initializers.ones());
    }
  }
  const preset = new WithWeight({ weights: [st.tensor([3, 4])] });
  preset.apply(x);
  assert.deepEqual(Array.from(preset.w.read().dataSync()), [3, 4]);
  preset.w.write(st.tensor([5, 6]));
  assert.deepEqual(Array.from(preset.getWeights()[0].dataSync()), [5, 6]);
});

test('custom layer errors say what went wrong', async () => {
  class NoName extends st.layers.Layer {}
  // without a static className the constructor's name stands in, as far as the layer goes...
  assert.equal(new NoName({}).getClassName(), 'NoName');
  // ...but registering needs one, because minifiers rename constructors
  assertThrowsMessage(() => st.serialization.registerClass(NoName as never), 'has no static className');
  class Empty extends st.layers.Layer {
    static className = '';
  }
  assertThrowsMessage(() => st.serialization.registerClass(Empty as never), 'must have a non-empty string static className');

  class Twice extends st.layers.Layer {
    static className = 'Twice';
    override build() {
      this.addWeight('w', [1], 'float32', st.initializers.zeros());
      this.addWeight('w', [1], 'float32', st.initializers.zeros());
    }
  }
  assertThrowsMessage(() => new Twice({}).apply(st.tensor([[1]])), 'duplicate weight name "w"');
  class BadShape extends st.layers.Layer {
    static className = 'BadShape';
    override build() {
      this.addWeight('w', [null as unknown as number], 'float32', st.initializers.zeros());
    }
  }
  assertThrowsMessage(() => new BadShape({}).apply(st.tensor([[1]])), 'needs a shape of non-negative integers, got [null]');
  assertThrowsMessage(() => new (class extends st.layers.Layer {})(5 as never), 'expected a config object');

  class Spec extends st.layers.Layer {
    static className = 'Spec';
    constructor(c: object) {
      super(c);
      this.inputSpec = [new st.InputSpec({ ndim: 3 })];
    }
  }
  assertThrowsMessage(() => new Spec({}).apply(st.tensor([[1]])), 'input 0 is incompatible with the layer: expected rank 3, got shape [1, 1]');
  assertThrowsMessage(() => new Spec({}).addLoss(5 as never), 'addLoss: expected functions returning a scalar loss');

  // a model file naming a class nobody registered says which
  const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
  const dir = tmp();
  try {
    await model.save(`file://${dir}`);
    const file = path.join(dir, 'model.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"Dense"', '"NotRegisteredAnywhere"'));
    await assert.rejects(st.loadLayersModel(`file://${file}`), /unsupported layer class "NotRegisteredAnywhere"/);
    // a registered class that is no layer is refused by name
    class NotALayer extends st.serialization.Serializable {
      static className = 'NotALayer';
      getConfig() { return {}; }
    }
    st.serialization.registerClass(NotALayer);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"NotRegisteredAnywhere"', '"NotALayer"'));
    await assert.rejects(st.loadLayersModel(`file://${file}`), /class "NotALayer" \(registered with serialization.registerClass\) is not a layer/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(st.serialization.getRegisteredName(NotRegistered as never), 'NotRegistered');
});

class NotRegistered extends st.layers.Layer {
  static className = 'NotRegistered';
}
