/**
 * Tensors made inside tidy() are handed to the garbage collector's care only when they leave the
 * outermost scope alive (returned, kept, or left behind by a function that threw). Each way out
 * must still free wasm storage once nobody refers to the tensor, without dispose().
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as st from '../../src/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Collects and lets the finalizers run until the live-buffer count stops falling. */
async function settledBuffers(): Promise<number> {
  let previous = Infinity;
  for (let round = 0; round < 40; round++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
    const now = st.memory().numBuffers;
    if (round >= 3 && now >= previous) return now;
    previous = now;
  }
  return st.memory().numBuffers;
}

/** Runs `make` 200 times, dropping what it gives, and returns how many buffers stayed live. */
async function leftOver(make: () => unknown): Promise<number> {
  const before = await settledBuffers();
  for (let i = 0; i < 200; i++) make();
  return (await settledBuffers()) - before;
}

const x = st.randomNormal([3, 5], 0, 1, 'float32', 7);

test('a tensor returned from the outermost tidy is freed when dropped', async () => {
  assert.equal(st.getBackend(), 'wasm');
  const left = await leftOver(() => st.tidy(() => st.tanh(st.mul(x, 2))));
  assert.ok(left < 10, `${left} buffers of 200 returned-and-dropped tensors stayed live`);
});

test('a tensor kept inside nested tidy scopes is freed when dropped', async () => {
  let kept: st.Tensor | null = null;
  const left = await leftOver(() => st.tidy(() => {
    st.tidy(() => {
      kept = st.keep(st.add(x, 1));
      return st.exp(x);
    });
    return undefined;
  }));
  assert.ok(kept !== null && !(kept as st.Tensor).isDisposed, 'keep() lets the tensor outlive both scopes');
  assert.ok(left < 10, `${left} buffers of 200 kept-and-dropped tensors stayed live`);
});

test('what a throwing tidy made is not disposed, and is freed when dropped', async () => {
  let made: st.Tensor | null = null;
  const left = await leftOver(() => {
    try {
      st.tidy(() => {
        made = st.square(x);
        throw new Error('boom');
      });
    } catch {
      // expected
    }
  });
  assert.ok(made !== null && !(made as st.Tensor).isDisposed, 'the tensor made before the throw is still usable');
  assert.ok(left < 10, `${left} buffers of 200 tensors left by a throwing tidy stayed live`);
});

test('recorded ops outside any tidy (tape intermediates) are freed when dropped', async () => {
  const w = st.variable(st.randomNormal([5, 2], 0, 1, 'float32', 8));
  const left = await leftOver(() => {
    const loss = st.sum(st.relu(st.matMul(x, w)));
    loss.backward();
    w.grad = null;
  });
  assert.ok(left < 10, `${left} buffers stayed live after 200 dropped backward passes`);
});

test('intermediates inside tidy are still disposed at once, and returned ones stay usable', () => {
  const before = st.memory().numBuffers;
  const out = st.tidy(() => st.sum(st.exp(st.mul(x, 3))));
  assert.equal(st.memory().numBuffers - before, 1, 'only the returned tensor is live');
  assert.ok(Number.isFinite(out.dataSync()[0]));
  out.dispose();
  assert.equal(st.memory().numBuffers, before);
});

test('a result that refers back to itself (a model, a cyclic object) leaves tidy and is freed when dropped', async () => {
  const left = await leftOver(() => st.tidy(() => {
    const box: { t: st.Tensor; self?: unknown } = { t: st.mul(x, 2) };
    box.self = box;
    return box as unknown as st.TensorContainer;
  }));
  assert.ok(left < 10, `${left} buffers of 200 cyclic results stayed live`);
  const model = st.tidy(() => {
    const m = st.sequential({ layers: [st.layers.dense({ units: 2, inputShape: [5] })] });
    m.predict(st.ones([1, 5]));
    return m as unknown as st.TensorContainer;
  }) as unknown as st.LayersModel;
  assert.deepEqual((model.predict(st.ones([1, 5])) as st.Tensor).shape, [1, 2]);
});

test('the tensors customGrad hands its function stay usable after backward', () => {
  const w = st.variable(st.ones([3]));
  let handed: st.Tensor | null = null;
  const f = st.customGrad((v: st.Tensor) => {
    handed = v;
    return { value: st.square(v), gradFunc: (dy: st.Tensor) => st.mul(dy, st.mul(v, 2)) };
  });
  st.sum(f(w)).backward();
  assert.ok(handed !== null && !(handed as st.Tensor).isDisposed, 'a tensor customGrad handed over was disposed');
  assert.deepEqual(Array.from(w.grad!.dataSync()), [2, 2, 2]);
});

// mlp speed area (issue 18): a typed array in tidy's result is skipped (it holds no tensor)
test('tidy returns a typed array and still frees what the function made', () => {
  const before = st.memory().numTensors;
  const values = st.tidy(() => st.add(st.ones([3, 5]), 1).dataSync());
  assert.ok(values instanceof Float32Array);
  assert.deepEqual(Array.from(values), new Array(15).fill(2));
  assert.equal(st.memory().numTensors, before);
  // a container holding a tensor and a typed array keeps the tensor
  const out = st.tidy(() => ({ t: st.mul(st.ones([2]), 3), v: new Float32Array([1, 2]) })); // { t, v }
  assert.equal(st.memory().numTensors, before + 1);
  assert.deepEqual(Array.from(out.t.dataSync()), [3, 3]);
  out.t.dispose();
});
