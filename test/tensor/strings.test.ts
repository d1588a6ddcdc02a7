/**
 * String tensors against TensorFlow.js (cpu): creation, reading (dataSync, data, array, bytes,
 * toString), the ops TensorFlow.js runs on strings and the few more striate moves strings
 * through, on the js and wasm backends; errors of the other ops; memory counts.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as st from '../../src/index.js';
import { assertThrowsMessage } from '../helpers.js';
import { decodeWeights, encodeWeights } from '../../src/io/weight_data.js';

await tf.setBackend('cpu');

type AnyTensor = { dtype: string; shape: readonly number[]; arraySync(): unknown };
// the same program runs on both libraries, whose types differ
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lib = any;

/** Booleans as 0/1: TensorFlow.js' array() gives numbers for bool tensors, striate's gives booleans. */
function numbers(v: unknown): unknown {
  return Array.isArray(v) ? v.map(numbers) : typeof v === 'boolean' ? Number(v) : v;
}

function plain(t: AnyTensor | AnyTensor[] | { values: AnyTensor; indices: AnyTensor }): unknown {
  if (Array.isArray(t)) return t.map(plain);
  if (!('dtype' in t)) return { values: plain(t.values), indices: plain(t.indices) };
  return { dtype: t.dtype, shape: [...t.shape], values: numbers(t.arraySync()) };
}

/** Runs `build` on TensorFlow.js and on striate (each backend) and compares the results. */
async function same(what: string, build: (lib: Lib) => unknown): Promise<void> {
  const theirs = plain(build(tf) as AnyTensor);
  for (const backend of ['js', 'wasm']) {
    await st.setBackend(backend);
    assert.deepEqual(plain(build(st) as AnyTensor), theirs, `${what} (${backend})`);
  }
}

const WORDS = [['a', 'bé', '', 'd'], ['日本語', '🎉x', 'e\u0301', ' ']];

test('creation and reading: dataSync, data, array, bytes, toString as in TensorFlow.js, on both backends', async () => {
  for (const backend of ['js', 'wasm']) {
    await st.setBackend(backend);
    const inputs: [string, (l: Lib) => AnyTensor][] = [
      ['nested', (l) => l.tensor(WORDS)],
      ['flat with shape', (l) => l.tensor(WORDS.flat(), [4, 2])],
      ['scalar', (l) => l.scalar('x é')],
      ['empty string scalar', (l) => l.scalar('')],
      ['tensor1d', (l) => l.tensor1d(['a', '', 'c'])],
      ['tensor1d string dtype', (l) => l.tensor1d(['a'], 'string')],
      ['tensor2d', (l) => l.tensor2d(['a', 'b', 'c', 'd'], [2, 2])],
      ['tensor3d', (l) => l.tensor3d([[['a']], [['b']]])],
      ['empty', (l) => l.tensor([], [0], 'string')],
      ['byte strings', (l) => l.tensor([new Uint8Array([104, 105]), new Uint8Array([0xe2, 0x82, 0xac])], [2], 'string')],
      ['byte string scalar', (l) => l.scalar(new Uint8Array([104]) as never, 'string')],
      ['numbers after text', (l) => l.tensor(['a', 1, true] as never)],
      ['text read as float32', (l) => l.tensor(['1', '2.5', 'x'], [3], 'float32')],
      ['text read as int32', (l) => l.tensor(['3.7', '-2', 'x'], [3], 'int32')],
      ['text read as bool', (l) => l.tensor(['0', '1', 'true'], [3], 'bool')],
      ['fill', (l) => l.fill([2, 2], 'q')],
      ['long rank 1 prints with ...', (l) => l.tensor(Array.from({ length: 25 }, (_, i) => `s${i}`))],
      ['rank 3 pads columns', (l) => l.tensor([[['a', 'bb'], ['c', 'd']], [['e', 'f'], ['g', 'hhh']]])],
    ];
    for (const [what, make] of inputs) {
      const a = make(tf) as tf.Tensor;
      const b = make(st) as st.Tensor;
      const where = `${what} (${backend})`;
      assert.equal(b.dtype, a.dtype, where);
      assert.deepEqual(b.shape, a.shape, where);
      assert.deepEqual(b.dataSync<st.DType>(), a.dataSync<tf.DataType>(), where);
      assert.deepEqual(await b.data<st.DType>(), await a.data<tf.DataType>(), where);
      // (TensorFlow.js' array() gives 0/1 for bool tensors, striate's true/false: compared as data above)
      if (a.dtype !== 'bool') {
        assert.deepEqual(await b.array(), await a.array(), where);
        assert.deepEqual(b.arraySync(), a.arraySync(), where);
      }
      // TensorFlow.js prints a size-1 axis above the last oddly ('[[1, 2],]'); striate's printer does not copy that
      if (!a.shape.slice(0, -1).includes(1)) {
        assert.equal(b.toString(), a.toString(), where);
        assert.equal(b.toString(true), a.toString(true), where);
      }
      if (a.dtype === 'string') {
        assert.deepEqual((await b.bytes() as Uint8Array[]).map((x) => [...x]), (await a.bytes() as Uint8Array[]).map((x) => [...x]), where);
      }
    }
    // bytes that are not UTF-8 read as U+FFFD, exactly as bytes()
    const raw = st.tensor([new Uint8Array([0xff, 0xfe])], [1], 'string');
    assert.deepEqual(raw.dataSync<'string'>(), ['\ufffd\ufffd']);
    assert.deepEqual((await raw.bytes() as Uint8Array[]).map((x) => [...x]), [[0xff, 0xfe]]);
    // bytes() hands out copies
    const bytes = await raw.bytes() as Uint8Array[];
    bytes[0][0] = 65;
    assert.deepEqual((await raw.bytes() as Uint8Array[]).map((x) => [...x]), [[0xff, 0xfe]]);
  }
});

test('buffers of strings and string variables', async () => {
  for (const backend of ['js', 'wasm']) {
    await st.setBackend(backend);
    const b = st.buffer([2, 2], 'string');
    b.set('z', 1, 0);
    assert.deepEqual(b.toTensor().arraySync(), [['', ''], ['z', '']]);
    assert.equal(b.get(1, 0), 'z');
    assertThrowsMessage(() => b.set(3 as never, 0, 0), 'a string buffer cannot hold 3');
    const s = st.tensor([['a', 'b'], ['c', 'd']]);
    assert.deepEqual(s.bufferSync<'string'>().values, ['a', 'b', 'c', 'd']);
    const v = st.variable(s);
    v.assign(st.tensor([['x', 'y'], ['', 'é']]));
    assert.deepEqual(v.arraySync(), [['x', 'y'], ['', 'é']]);
    assertThrowsMessage(() => v.assign(st.tensor([[1, 2], [3, 4]])), 'expected dtype string, got float32');
  }
});

test('ops TensorFlow.js runs on strings give its results', async () => {
  const other = [['b', 'a', '', 'd'], ['日本', '🎉x', 'e', '  ']];
  await same('reshape', (l) => l.reshape(l.tensor(WORDS), [4, 2]));
  await same('reshape -1', (l) => l.reshape(l.tensor(WORDS), [-1]));
  await same('empty', (l) => l.reshape(l.tensor([], [0], 'string'), [0, 3]));
  await same('expandDims', (l) => l.expandDims(l.tensor(WORDS), 1));
  await same('squeeze', (l) => l.squeeze(l.tensor([['a'], ['b']]), [1]));
  await same('clone', (l) => l.clone(l.tensor(WORDS)));
  await same('concat axis 0', (l) => l.concat([l.tensor(WORDS), l.tensor(other)]));
  await same('concat axis 1', (l) => l.concat([l.tensor(WORDS), l.tensor(other), l.tensor(WORDS)], 1));
  await same('concat1d', (l) => l.concat1d([l.tensor(['a']), l.tensor(['b', 'c'])]));
  await same('stack', (l) => l.stack([l.tensor(WORDS), l.tensor(other)], 2));
  await same('unstack', (l) => l.unstack(l.tensor(WORDS), 1));
  await same('slice', (l) => l.slice(l.tensor(WORDS), [0, 1], [2, 2]));
  await same('slice rank 1', (l) => l.slice(l.tensor(['a', 'b', 'c']), 1, 1));
  await same('stridedSlice with steps', (l) => l.stridedSlice(l.tensor(WORDS), [0, 0], [2, 4], [1, 2]));
  await same('stridedSlice reversed', (l) => l.stridedSlice(l.tensor(WORDS), [1, 3], [-3, -5], [-1, -1]));
  await same('tile', (l) => l.tile(l.tensor(WORDS), [2, 3]));
  await same('gatherND', (l) => l.gatherND(l.tensor(WORDS), [[1, 0], [0, 3], [1, 1]]));
  await same('gatherND rows', (l) => l.gatherND(l.tensor(WORDS), [[1], [0]]));
  for (const op of ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const) {
    await same(op, (l) => (l[op] as (a: unknown, b: unknown) => AnyTensor)(l.tensor(WORDS), l.tensor(other)));
    await same(`${op} broadcast`, (l) => (l[op] as (a: unknown, b: unknown) => AnyTensor)(l.tensor([['a'], ['b']]), l.tensor(['a', 'b', 'c', '', 'é'])));
    await same(`${op} with a string`, (l) => (l[op] as (a: unknown, b: unknown) => AnyTensor)(l.tensor(WORDS), 'bé'));
  }
  await same('unique', (l) => l.unique(l.tensor(['b', 'a', 'b', '', 'é', '', 'a'])) as never);
  await same('unique rows', (l) => l.unique(l.tensor([['a', 'b'], ['a', 'b'], ['c', 'd']]), 0) as never);
});

test('striate also moves strings through gather, transpose, reverse, where, split and broadcastTo', async () => {
  // TensorFlow.js refuses these on strings: the result must be the numeric op's, applied to the positions
  const s = () => st.tensor(WORDS);
  const flat = WORDS.flat();
  const viaPositions = (op: (p: tf.Tensor) => tf.Tensor): unknown => {
    const moved = op(tf.tensor(flat.map((_, i) => i), [2, 4], 'int32'));
    return { dtype: 'string', shape: moved.shape, values: (function map(v: unknown): unknown {
      return Array.isArray(v) ? v.map(map) : flat[v as number];
    })(moved.arraySync()) };
  };
  for (const backend of ['js', 'wasm']) {
    await st.setBackend(backend);
    assert.deepEqual(plain(st.gather(s(), [1, 0, 1])), viaPositions((p) => tf.gather(p, [1, 0, 1])), backend);
    assert.deepEqual(plain(st.gather(s(), [[3, 0]] as never, 1)), viaPositions((p) => tf.gather(p, [[3, 0]], 1)), backend);
    assert.deepEqual(plain(st.gather(s(), st.tensor([[2], [1]], undefined, 'int32'), 1, 1)),
      viaPositions((p) => tf.gather(p, tf.tensor([[2], [1]], undefined, 'int32'), 1, 1)), backend);
    assert.deepEqual(plain(st.transpose(s())), viaPositions((p) => tf.transpose(p)), backend);
    assert.deepEqual(plain(st.reverse(s(), 1)), viaPositions((p) => tf.reverse(p, 1)), backend);
    assert.deepEqual(plain(st.split(s(), [1, 3], 1)), (tf.split(tf.tensor(flat.map((_, i) => i), [2, 4], 'int32'), [1, 3], 1))
      .map((part) => ({ dtype: 'string', shape: part.shape, values: (part.arraySync() as number[][]).map((r) => r.map((i) => flat[i])) })));
    assert.deepEqual(st.where(st.tensor([true, false, true]), st.tensor(['a', 'b', 'c']), st.tensor(['x', 'y', 'z'])).arraySync(), ['a', 'y', 'c']);
    assert.deepEqual(st.where(st.tensor([[true], [false]]), st.tensor(['a', 'b']), 'n').arraySync(), [['a', 'b'], ['n', 'n']]);
    assert.deepEqual(st.broadcastTo(st.tensor(['a', 'b']), [2, 2]).arraySync(), [['a', 'b'], ['a', 'b']]);
    assert.deepEqual(s().transpose().transpose().arraySync(), WORDS);
  }
});

test('other ops refuse string tensors by name, never giving numbers', async () => {
  for (const backend of ['js', 'wasm']) {
    await st.setBackend(backend);
    const s = st.tensor([['a', 'b'], ['c', 'd']]);
    assertThrowsMessage(() => st.add(s, s), "add does not support string tensors (argument 'a' has dtype string)");
    assertThrowsMessage(() => st.mul(2, s), "mul does not support string tensors (argument 'b' has dtype string)");
    assertThrowsMessage(() => s.cast('float32'), 'cast does not support string tensors');
    assertThrowsMessage(() => st.sum(s), 'sum does not support string tensors');
    assertThrowsMessage(() => st.abs(s), 'abs does not support string tensors');
    assertThrowsMessage(() => st.matMul(s, s), 'matMul does not support string tensors');
    assertThrowsMessage(() => st.pad(s, [[1, 0], [0, 0]]), 'pad does not support string tensors');
    assertThrowsMessage(() => st.argMax(s), 'argMax does not support string tensors');
    assertThrowsMessage(() => st.relu(s), 'relu does not support string tensors');
    assertThrowsMessage(() => st.zerosLike(s), 'string');
    assertThrowsMessage(() => st.add(['a'], 1), "add does not support string tensors (argument 'a' has dtype string)");
    assertThrowsMessage(() => st.equal(s, 1), 'equal: cannot combine a string tensor with a float32 tensor');
    assertThrowsMessage(() => st.equal(st.tensor([1, 2]), st.tensor(['a', 'b'])), 'equal: cannot combine a float32 tensor with a string tensor');
    assertThrowsMessage(() => st.concat([s, st.tensor([[1, 2]])]), 'tensors[1] has dtype float32, expected string');
    assertThrowsMessage(() => st.zeros([2], 'string'), "strings fill 'string' tensors");
    assertThrowsMessage(() => st.fill([2], 'a', 'float32'), "a float32 tensor cannot be filled with \"a\"");
    assertThrowsMessage(() => st.tensor([1, 2], [2], 'string'), "dtype 'string' needs strings (or one Uint8Array per element), got 1");
    assertThrowsMessage(() => st.tensor(['a', 'b'], [3]), 'shape [3] holds 3 values, but 2 were given');
    assertThrowsMessage(() => st.tensor([['a'], ['b', 'c']]), 'ragged nested array');
    assertThrowsMessage(() => st.grad((x: st.Tensor) => st.sum(x))(s), 'grad: input 0 has dtype string');
    // the internal guard: an op that skipped convert still cannot run a kernel on bytes
    assertThrowsMessage(() => st.maximum(s as never, s as never), 'maximum does not support string tensors');
  }
});

test('memory: string tensors count their bytes and buffers, movement ops leave nothing behind', async () => {
  for (const backend of ['js', 'wasm']) {
    await st.setBackend(backend);
    const before = st.memory();
    const s = st.tensor(['ab', 'é', '']); // 2 + 2 + 0 bytes
    let now = st.memory();
    assert.equal(now.numTensors - before.numTensors, 1, backend);
    assert.equal(now.numBuffers - before.numBuffers, 1, backend);
    assert.equal(now.numBytes - before.numBytes, 4, backend);
    const r = s.reshape([3, 1]); // shares the storage
    now = st.memory();
    assert.equal(now.numBuffers - before.numBuffers, 1, backend);
    assert.equal(now.numTensors - before.numTensors, 2, backend);
    const idx = st.tensor([0, 0], [2], 'int32');
    const q = st.tensor(['q', 'q']);
    const e = st.scalar('é');
    const cond = st.tensor([true, false, true]);
    const made = [st.tile(s, [2]), st.concat([s, s]), st.gather(s, idx), st.slice(s, 1, 1), st.transpose(r), st.stack([s, s]),
      st.where(cond, s, s)];
    const u = st.unique(q);
    const cmp = st.equal(s, e);
    now = st.memory();
    // s, r, idx, q, e, cond, the seven results, unique's two and equal's one: no int32 stand-in is left
    assert.equal(now.numTensors - before.numTensors, 16, backend);
    assert.equal(now.numBuffers - before.numBuffers, 15, backend);
    if (backend === 'js') {
      // s 4 bytes, idx 8, q 2, e 2; tile 8, concat 8, gather 4, slice 2, transpose 4, stack 8, where 3 + 4;
      // unique 1 + 8 (int32 indices); equal 3 bools
      assert.equal(now.numBytes - before.numBytes, 4 + 8 + 2 + 2 + 8 + 8 + 4 + 2 + 4 + 8 + 3 + 4 + 1 + 8 + 3, backend);
    }
    st.dispose([s, r, idx, q, e, cond, ...made, u.values, u.indices, cmp]);
    const kept = st.tidy(() => {
      st.tensor(['xx', 'yyy']);
      st.equal(st.tensor(['a']), 'a');
      return st.concat([st.tensor(['é']), st.tensor(['x'])]);
    });
    assert.equal(st.memory().numTensors - before.numTensors, 1, backend);
    assert.deepEqual(kept.arraySync(), ['é', 'x']);
    kept.dispose();
    const after = st.memory();
    assert.equal(after.numTensors, before.numTensors, backend);
    assert.equal(after.numBuffers, before.numBuffers, backend);
    assert.equal(after.numBytes, before.numBytes, backend);
  }
});

test('string weights are refused when saving and loading model files', () => {
  assertThrowsMessage(() => encodeWeights([{ name: 'vocab', tensor: st.tensor(['a', 'b']) }]),
    'weight "vocab" is a string tensor; striate writes float32, int32, bool and float64 weights only');
  assertThrowsMessage(() => decodeWeights(new Uint8Array(8), [{ name: 'vocab', shape: [2], dtype: 'string' }], 'model.json'),
    'model.json: weight "vocab" has unsupported dtype "string"', 'string weights are not supported');
});

test('tf.data CSV columns of dtype string batch into string tensors, as in tf.data', async () => {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const file = join(mkdtempSync(join(tmpdir(), 'strings-')), 'people.csv');
  writeFileSync(file, 'name,age,city\nann,30,paris\nbob,40,nyc\n"c,d",50,rome\n');
  const tfd = await import('@tensorflow/tfjs-data');
  const config = { columnConfigs: { city: { dtype: 'string' as const }, age: { isLabel: true } } };
  const read = async (ds: { batch(n: number): { toArray(): Promise<unknown[]> } }) =>
    (await ds.batch(2).toArray()).map((e) => {
      const { xs, ys } = e as { xs: Record<string, AnyTensor>; ys: Record<string, AnyTensor> };
      return { xs: Object.fromEntries(Object.entries(xs).map(([k, v]) => [k, plain(v)])), age: plain(ys.age) };
    });
  const theirs = await read(tfd.csv(`file://${file}`, config as never) as never);
  for (const backend of ['js', 'wasm']) {
    await st.setBackend(backend);
    assert.deepEqual(await read(st.data.csv(`file://${file}`, config) as never), theirs, backend);
  }
  assert.deepEqual((theirs[0] as unknown as { xs: { city: unknown } }).xs.city, { dtype: 'string', shape: [2], values: ['paris', 'nyc'] });
});
