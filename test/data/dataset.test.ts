/** Dataset: the stages, fresh iteration per epoch, batching, seeded shuffles, and training through fitDataset. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { Dataset } from '../../src/data/dataset.js';
import { array, fromGenerator, zip, fromTensorSlices } from '../../src/data/creation.js';
import { Random } from '../../src/tensor/random.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('map, filter, take, skip, repeat and concatenate compose like tf.data', async () => {
  const ds = array(range(10));
  assert.deepEqual(await ds.map((v) => v * 2).take(3).toArray(), [0, 2, 4]);
  assert.deepEqual(await ds.skip(7).toArray(), [7, 8, 9]);
  assert.deepEqual(await ds.filter((v) => v % 3 === 0).toArray(), [0, 3, 6, 9]);
  assert.deepEqual(await ds.take(2).repeat(3).toArray(), [0, 1, 0, 1, 0, 1]);
  assert.deepEqual(await ds.take(2).repeat().take(5).toArray(), [0, 1, 0, 1, 0]);
  assert.deepEqual(await ds.take(0).toArray(), []);
  assert.deepEqual(await ds.take(1).concatenate(ds.skip(9)).toArray(), [0, 9]);
  assert.deepEqual(await ds.map(async (v) => v + 1).take(2).toArray(), [1, 2], 'async map');
  assert.throws(() => ds.batch(0), /Dataset.batch: batchSize must be a positive integer, got 0/);
  assert.deepEqual(await ds.take(-1).toArray(), range(10), 'a negative count takes all, as in tf.data');
  assert.throws(() => ds.take(1.5), /Dataset.take: count must be an integer/);
});

test('a generator dataset starts afresh on every iteration; stopping early closes it', async () => {
  let started = 0;
  let closed = 0;
  const ds = fromGenerator(function* () {
    started++;
    try {
      for (let i = 0; i < 100; i++) yield i;
    } finally {
      closed++;
    }
  });
  assert.deepEqual(await ds.take(3).toArray(), [0, 1, 2]);
  assert.deepEqual(await ds.take(2).toArray(), [0, 1]);
  assert.equal(started, 2);
  assert.equal(closed, 2, 'take() closed the generator (as it would close a file)');
  assert.equal((await ds.prefetch(4).take(5).toArray()).length, 5);
  assert.equal(closed, 3);
  assert.throws(() => fromGenerator((function* () { yield 1; })() as never), /pass the generator function itself/);
});

test('batch stacks tensors, numbers and {xs, ys} elements; the last batch may be small', async () => {
  const rows = range(5).map((i) => ({ xs: st.tensor([i, 10 + i]), ys: i % 2 }));
  const batches = await array(rows).batch(2).toArray();
  assert.equal(batches.length, 3);
  assert.deepEqual(batches[0].xs.shape, [2, 2]);
  assert.deepEqual(batches[0].xs.arraySync(), [[0, 10], [1, 11]]);
  assert.deepEqual(Array.from(batches[1].ys.dataSync()), [0, 1]);
  assert.deepEqual(batches[2].xs.shape, [1, 2]);
  assert.equal((await array(rows).batch(2, false).toArray()).length, 2);
  const pairs = await array([[new Float32Array([1, 2]), [3]], [new Float32Array([4, 5]), [6]]]).batch(2).toArray();
  assert.deepEqual((pairs[0][0] as st.Tensor).arraySync(), [[1, 2], [4, 5]]);
  assert.deepEqual((pairs[0][1] as st.Tensor).shape, [2, 1]);
  await assert.rejects(array([st.tensor([1, 2]), st.tensor([1, 2, 3])]).batch(2).toArray(),
    /element 0 is a float32 tensor \[2\] but element 1 is a float32 tensor \[3\]/);
  await assert.rejects(array([{ xs: 1, ys: 2 }, { xs: 'a', ys: 2 }]).batch(2).toArray(), /element 0.xs is a number \(1\) but element 1.xs is a string \("a"\)/);
});

test('shuffle: a permutation, repeatable with a seed, different each epoch unless told otherwise', async () => {
  const ds = array(range(50));
  const a = await ds.shuffle(50, 7).toArray();
  assert.notDeepEqual(a, range(50));
  assert.deepEqual([...a].sort((x, y) => x - y), range(50));
  assert.deepEqual(await array(range(50)).shuffle(50, 7).toArray(), a, 'same seed, same order');
  const shuffled = ds.shuffle(50, 7);
  const epoch1 = await shuffled.toArray();
  const epoch2 = await shuffled.toArray();
  assert.deepEqual(epoch1, a);
  assert.notDeepEqual(epoch2, epoch1, 'reshuffled each iteration');
  const fixed = ds.shuffle(50, 7, false);
  assert.deepEqual(await fixed.toArray(), await fixed.toArray());
  // a small buffer shuffles only a window: element v cannot come out before position v - bufferSize
  const local = await ds.shuffle(5, 1).toArray();
  assert.deepEqual([...local].sort((x, y) => x - y), range(50));
  local.forEach((v, pos) => assert.ok(v <= pos + 5, `${v} came out at ${pos}, before it could have been read`));
});

test('zip and fromTensorSlices give {xs, ys} elements', async () => {
  const z = await zip({ xs: array([1, 2, 3]), ys: array(['a', 'b']) }).toArray();
  assert.deepEqual(z, [{ xs: 1, ys: 'a' }, { xs: 2, ys: 'b' }]);
  assert.deepEqual(await zip([array([1]), array([2])]).toArray(), [[1, 2]]);
  const x = st.tensor([[1, 2], [3, 4], [5, 6]]);
  const y = st.tensor([0, 1, 0], [3], 'int32');
  const rows = await fromTensorSlices({ xs: x, ys: y }).toArray() as { xs: st.Tensor; ys: st.Tensor }[];
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[1].xs.arraySync(), [3, 4]);
  assert.equal(rows[1].ys.dtype, 'int32');
  assert.deepEqual(rows[1].ys.shape, []);
  const b = await fromTensorSlices({ xs: x, ys: y }).batch(3).toArray() as { xs: st.Tensor; ys: st.Tensor }[];
  assert.deepEqual(b[0].xs.arraySync(), x.arraySync());
  assert.throws(() => fromTensorSlices({ xs: x, ys: st.tensor([1]) }), /xs has 3 rows but ys has 1/);
  const plain = await fromTensorSlices([4, 5]).toArray() as st.Tensor[];
  assert.deepEqual(plain.map((t) => t.dataSync()[0]), [4, 5]);
  const pair = await fromTensorSlices([x, y]).take(1).toArray() as st.Tensor[][];
  assert.deepEqual(pair[0][0].arraySync(), [1, 2]);
});

test('prefetch keeps order and passes errors through at the right element', async () => {
  const ds = fromGenerator(async function* () {
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 1));
      if (i === 4) throw new Error('bad element 4');
      yield i;
    }
  });
  const seen: number[] = [];
  await assert.rejects(ds.prefetch(3).forEachAsync((v) => { seen.push(v); }), /bad element 4/);
  assert.deepEqual(seen, [0, 1, 2, 3]);
  assert.deepEqual(await ds.prefetch(2).take(3).toArray(), [0, 1, 2]);
});

test('a generator-based dataset trains a classifier through model.fitDataset', async () => {
  // two classes in 2-D: is the point inside the circle of radius 1? (not linearly separable)
  function* points(seed: number, n: number) {
    const rng = new Random(seed);
    for (let i = 0; i < n; i++) {
      const p = [rng.uniform(-2, 2), rng.uniform(-2, 2)];
      yield { xs: st.tensor(p), ys: p[0] * p[0] + p[1] * p[1] < 1.3 ? 1 : 0 };
    }
  }
  let epochsStarted = 0;
  const train = fromGenerator(() => { epochsStarted++; return points(1, 800); }).shuffle(200, 3).batch(32).prefetch(2);
  const model = st.sequential({ layers: [
    st.layers.dense({ units: 16, activation: 'tanh', inputShape: [2], kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) }),
    st.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 2 }) }),
  ] });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const h = await model.fitDataset(train, { epochs: 12, verbose: 0 });
  assert.equal(epochsStarted, 12, 'the generator was started once per epoch');
  const testBatches = await fromGenerator(() => points(99, 400)).batch(400).toArray();
  const { xs, ys } = testBatches[0];
  const predicted = st.argMax(model.predict(xs) as st.Tensor, -1).dataSync();
  const truth = ys.dataSync();
  let correct = 0;
  for (let i = 0; i < 400; i++) if (predicted[i] === truth[i]) correct++;
  assert.ok(correct / 400 > 0.9, `held-out accuracy ${correct / 400}, loss ${h.history.loss.at(-1)}`);
});
