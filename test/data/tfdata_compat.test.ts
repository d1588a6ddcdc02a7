/**
 * st.data against TensorFlow.js' tf.data (tfjs-data 4.22): each creation function and Dataset
 * method run on both with the same inputs, compared on order, batching, shapes, dtypes, values
 * and `size`; csv files read by both; shuffles compared on being seeded permutations; and
 * fitDataset/evaluateDataset training on csv and generator datasets.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import * as st from '../../src/index.js';
import { assertClose } from '../helpers.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyDataset = any;

/** The two libraries behind one face, so a pipeline is written once and run on both. */
interface Lib {
  name: string;
  array(items: unknown[]): AnyDataset;
  generator(fn: () => unknown): AnyDataset;
  func(fn: () => unknown): AnyDataset;
  zip(d: unknown): AnyDataset;
  tensor(values: unknown, shape?: number[], dtype?: 'float32' | 'int32' | 'bool'): unknown;
}
const ST: Lib = {
  name: 'striate', array: (i) => st.data.array(i), generator: (f) => st.data.generator(f as never), func: (f) => st.data.func(f as never),
  zip: (d) => st.data.zip(d as never), tensor: (v, s, d) => st.tensor(v as never, s, d),
};
const TF: Lib = {
  name: 'tfjs', array: (i) => tfd.array(i as never), generator: (f) => tfd.generator(f as never), func: (f) => tfd.func(f as never),
  zip: (d) => tfd.zip(d as never), tensor: (v, s, d) => tf.tensor(v as never, s, d),
};

/** An element with every tensor (of either library) replaced by {shape, dtype, values}; Infinity stays comparable. */
function plain(v: unknown): unknown {
  if (v instanceof st.Tensor || v instanceof tf.Tensor) {
    const t = v as { shape: number[]; dtype: string; dataSync(): ArrayLike<number> };
    return { shape: [...t.shape], dtype: t.dtype, values: Array.from(t.dataSync()) };
  }
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/**
 * Builds the pipeline on both libraries and compares every element and the size; `ourSize`
 * replaces the size comparison where TensorFlow.js computes it wrongly (said at the call).
 */
async function same(what: string, build: (lib: Lib) => AnyDataset, read: 'toArray' | 'toArrayForTest' = 'toArray', ourSize?: number | null): Promise<unknown[]> {
  const ours = build(ST);
  const theirs = build(TF);
  if (ourSize !== undefined) assert.equal(ours.size, ourSize, `${what}: size`);
  else assert.deepEqual(ours.size, theirs.size, `${what}: size`);
  const [a, b] = [plain(await ours[read]()), plain(await theirs[read]())];
  assert.deepEqual(a, b, `${what}: elements`);
  return a as unknown[];
}

await tf.setBackend('cpu');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('st.data has every name tfjs-data exports (webcam and microphone fail in Node with a reason)', async () => {
  const leftOut = new Set(['default', 'version_data']);
  for (const name of Object.keys(tfd)) {
    if (leftOut.has(name)) continue;
    assert.ok(name in st.data, `st.data.${name} is missing`);
    assert.equal(typeof (st.data as Record<string, unknown>)[name], typeof (tfd as Record<string, unknown>)[name], name);
  }
  assert.equal(st.data.Dataset.MAX_BUFFER_SIZE, tfd.Dataset.MAX_BUFFER_SIZE);
  await assert.rejects(st.data.webcam(), /data.webcam: only in a browser.*navigator.mediaDevices/);
  await assert.rejects(st.data.microphone(), /data.microphone: only in a browser/);
});

test('creation: array, generator (sync, async, iterator functions, promised iterators), func and zip match tf.data', async () => {
  await same('array of numbers', (l) => l.array([1, 2, 3]));
  await same('array of objects with tensors', (l) => l.array([{ a: l.tensor([1, 2]), b: 'x' }, { a: l.tensor([3, 4]), b: 'y' }]));
  await same('generator function', (l) => l.generator(function* () { yield 1; yield 2; yield 3; }));
  await same('async generator function', (l) => l.generator(async function* () { yield { v: 1 }; yield { v: 2 }; }));
  await same('function returning an iterator', (l) => l.generator(() => {
    let i = 0;
    return { next: () => (i < 3 ? { value: i++ * 10, done: false } : { value: null, done: true }) };
  }));
  await same('async function returning an iterator', (l) => l.generator(async () => {
    let i = 0;
    return { next: async () => (i < 2 ? { value: i++, done: false } : { value: null, done: true }) };
  }));
  await same('func', (l) => {
    let i = -1;
    return l.func(() => (++i < 4 ? { value: i * i, done: false } : { value: null, done: true }));
  });
  await same('zip of an array', (l) => l.zip([l.array([1, 2, 3]), l.array(['a', 'b', 'c', 'd'])]));
  await same('zip of an object', (l) => l.zip({ xs: l.array([1, 2]), ys: l.array([3, 4, 5]) }));
  // TensorFlow.js takes only the top level's sizes into account (NaN here); the shortest is 2
  await same('nested zip', (l) => l.zip({ a: l.array([1, 2, 3]), b: [l.array([4, 5]), { c: l.array([6, 7, 8]) }] }), 'toArray', 2);
  // an unsized member makes the zip's size unknown (TensorFlow.js says 2 or 0, depending on the order)
  await same('zip with an unsized member', (l) => l.zip([l.generator(function* () { yield 1; }), l.array([1, 2])]), 'toArray', null);
  // a generator restarts on each iteration; func's one stream does not
  const gen = st.data.generator(function* () { yield 1; yield 2; });
  assert.deepEqual([await gen.toArray(), await gen.toArray()], [[1, 2], [1, 2]]);
  let i = 0;
  const f = st.data.func(() => (i < 3 ? { value: i++, done: false } : { value: null, done: true }));
  assert.deepEqual([await f.take(2).toArray(), await f.toArray()], [[0, 1], [2]]);
});

test('batch stacks numbers, booleans, rows, typed arrays, tensors and nested objects as tf.data does', async () => {
  await same('numbers', (l) => l.array([1, 2, 3, 4, 5]).batch(2));
  await same('numbers, no small last batch', (l) => l.array([1, 2, 3, 4, 5]).batch(2, false));
  await same('booleans', (l) => l.array([true, false, true]).batch(3));
  await same('rows of numbers', (l) => l.array([[1, 2], [3, 4], [5, 6]]).batch(2));
  await same('nested rows', (l) => l.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]).batch(2));
  await same('Float32Array rows', (l) => l.array([new Float32Array([1, 2]), new Float32Array([3, 4])]).batch(2));
  await same('Int32Array rows', (l) => l.array([new Int32Array([1, 2]), new Int32Array([3, 4])]).batch(2));
  await same('float tensors', (l) => l.array([l.tensor([[1, 2]]), l.tensor([[3, 4]]), l.tensor([[5, 6]])]).batch(2));
  await same('int32 scalars', (l) => l.array([l.tensor(1, [], 'int32'), l.tensor(2, [], 'int32')]).batch(2));
  await same('{xs, ys} of tensors and numbers', (l) => l.array(range(5).map((i) => ({ xs: l.tensor([i, -i]), ys: i % 2 }))).batch(2));
  await same('nested objects', (l) => l.array([{ a: 1, b: { c: [1, 2] } }, { a: 2, b: { c: [3, 4] } }]).batch(2));
  await same('later elements\' extra keys are ignored', (l) => l.array([{ a: 1 }, { a: 3, b: 4 }]).batch(2));
  // strings batch into string tensors (numbers among them as text), as in TensorFlow.js
  await same('strings', (l) => l.array(['a', 'bé', '']).batch(2));
  await same('rows of strings and text after numbers', (l) => l.array([['a', 'b'], ['c', 1]]).batch(2));
  await same('string tensors', (l) => l.array([l.tensor(['x', 'y']), l.tensor(['z', ''])]).batch(2));
  // TensorFlow.js turns an array holding tensors into a tensor with no values; we stack entry by entry
  const [pair] = await st.data.array([[st.tensor([1, 2]), st.scalar(3)], [st.tensor([4, 5]), st.scalar(6)]]).batch(2).toArray() as st.Tensor[][];
  assert.deepEqual(plain(pair), [{ shape: [2, 2], dtype: 'float32', values: [1, 2, 4, 5] }, { shape: [2], dtype: 'float32', values: [3, 6] }]);
  // where TensorFlow.js pads with NaN or garbage, we say what is wrong
  await assert.rejects(st.data.array([{ a: 1, b: 2 }, { a: 3 }]).batch(2).toArray(), /element 0 is an object with keys a, b but element 1 has no key "b"/);
  await assert.rejects(st.data.array([[1, 2], [3]]).batch(2).toArray(), /element 0 is an array of numbers of shape \[2\] but element 1 is an array of numbers of shape \[1\]/);
  await assert.rejects(st.data.array([st.tensor([1, 2]), st.tensor([3])]).batch(2).toArray(), /element 0 is a float32 tensor \[2\] but element 1 is a float32 tensor \[1\]/);
});

test('map, mapAsync, filter, take, skip, repeat, concatenate, prefetch and forEachAsync match tf.data, sizes too', async () => {
  const base = (l: Lib) => l.array(range(7));
  await same('map', (l) => base(l).map((x: number) => ({ x, twice: x * 2 })));
  await same('map to tensors', (l) => base(l).map((x: number) => l.tensor([x, x + 1])).batch(3));
  await same('mapAsync', (l) => base(l).mapAsync(async (x: number) => x - 1));
  await same('filter', (l) => base(l).filter((x: number) => x % 3 !== 0));
  for (const n of [0, 3, 7, 20]) await same(`take(${n})`, (l) => base(l).take(n));
  // a negative count takes everything; TensorFlow.js then reports the size as -1
  await same('take(-1)', (l) => base(l).take(-1), 'toArray', 7);
  for (const n of [0, 3, 7, 20]) await same(`skip(${n})`, (l) => base(l).skip(n));
  // a negative count skips nothing; TensorFlow.js then reports the size as 0
  await same('skip(-1)', (l) => base(l).skip(-1), 'toArray', 7);
  for (const n of [0, 1, 3]) await same(`repeat(${n})`, (l) => base(l).repeat(n));
  await same('repeat() then take', (l) => base(l).repeat().take(17));
  await same('repeat(-1) then take', (l) => base(l).take(2).repeat(-1).take(5));
  await same('concatenate', (l) => base(l).take(2).concatenate(l.array([10, 11])));
  await same('prefetch', (l) => base(l).prefetch(3).batch(4));
  await same('toArrayForTest', (l) => base(l).map((x: number) => x + 0.5), 'toArrayForTest');
  await same('a chain', (l) => base(l).repeat(3).skip(2).filter((x: number) => x !== 4).map((x: number) => [x, x]).batch(5, false).take(2));
  for (const [name, build] of [
    ['repeat()', (l: Lib) => base(l).repeat()], ['repeat().filter', (l: Lib) => base(l).repeat().filter(() => true)],
    ['repeat().batch', (l: Lib) => base(l).repeat().batch(2)], ['concatenate infinite', (l: Lib) => base(l).concatenate(base(l).repeat())],
    ['generator', (l: Lib) => l.generator(function* () { yield 1; })], ['generator.batch', (l: Lib) => l.generator(function* () { yield 1; }).batch(2)],
  ] as const) {
    assert.deepEqual(build(ST).size, build(TF).size, `size of ${name}`);
  }
  for (const lib of [ST, TF]) {
    const seen: number[] = [];
    await base(lib).forEachAsync((x: number) => { seen.push(x); });
    assert.deepEqual(seen, range(7), `${lib.name} forEachAsync`);
    const it = await base(lib).take(2).iterator();
    assert.deepEqual([await it.next(), await it.next(), await it.next()],
      [{ value: 0, done: false }, { value: 1, done: false }, { value: null, done: true }], `${lib.name} iterator().next()`);
    await assert.rejects(base(lib).repeat().toArray(), /infinite|endless/, `${lib.name} toArray of an endless stream`);
  }
});

test('shuffle: a seeded permutation, repeatable; bufferSize windows; reshuffleEachIteration', async () => {
  for (const lib of [ST, TF]) {
    const a = await lib.array(range(30)).shuffle(30, 'seed-a').toArray();
    const again = await lib.array(range(30)).shuffle(30, 'seed-a').toArray();
    assert.deepEqual([...a].sort((x: number, y: number) => x - y), range(30), `${lib.name}: a permutation`);
    assert.notDeepEqual(a, range(30), `${lib.name}: shuffled`);
    assert.deepEqual(again, a, `${lib.name}: the same seed gives the same order`);
    const d = lib.array(range(30)).shuffle(30, 'seed-b');
    assert.notDeepEqual(await d.toArray(), await d.toArray(), `${lib.name}: a new order each iteration`);
    assert.equal(lib.array(range(30)).shuffle(8).size, 30);
  }
  // documented behaviour: the same order every iteration (TensorFlow.js 4.22 reshuffles anyway)
  const fixed = st.data.array(range(30)).shuffle(30, 'seed-c', false);
  assert.deepEqual(await fixed.toArray(), await fixed.toArray());
  // a window of 4: element v cannot come out before it has been read
  const local = await st.data.array(range(40)).shuffle(4, 9).toArray();
  local.forEach((v, pos) => assert.ok(v <= pos + 4, `${v} came out at ${pos}`));
  assert.throws(() => st.data.array([1]).shuffle(undefined as never), /Dataset.shuffle: bufferSize must be given .*dataset's size \(1 elements\)/);
  assert.throws(() => tfd.array([1]).shuffle(undefined as never), /bufferSize to be specified/);
});

test('errors: named, and thrown where tf.data throws', async () => {
  assert.throws(() => st.data.array([1]).batch(0), /Dataset.batch: batchSize must be a positive integer, got 0/);
  assert.throws(() => tfd.array([1]).batch(0), /batchSize needs to be positive/);
  assert.throws(() => st.data.array([1]).prefetch(undefined as never), /Dataset.prefetch: bufferSize must be given/);
  assert.throws(() => st.data.zip([1, 2] as never), /data.zip: \[0\] is number; the leaves of the structure given to zip must be Datasets/);
  assert.throws(() => st.data.zip(5 as never), /data.zip: expected an array or object of Datasets, got number/);
  assert.throws(() => st.data.generator([1, 2] as never), /data.generator: expected a function returning an iterator.*not its result/);
  await assert.rejects(st.data.generator(() => 5 as never).toArray(), /data.generator: the function returned number, not an iterator/);
  assert.throws(() => st.data.array([1]).map(5 as never), /Dataset.map: expected a function, got number/);
});

test('a Dataset subclass overriding iterator() gets every method, as in tf.data', async () => {
  class Countdown extends st.data.Dataset<number> {
    override async iterator() {
      let n = 4;
      return new st.data.DatasetIterator<number>({ next: async () => (n > 0 ? { value: n--, done: false } : { value: undefined, done: true }) });
    }
  }
  assert.deepEqual(await new Countdown().map((x) => x * 10).batch(3).toArray().then((b) => b.map((t) => Array.from((t as st.Tensor).dataSync()))), [[40, 30, 20], [10]]);
  class Broken extends st.data.Dataset<number> {}
  await assert.rejects(new Broken().toArray(), /Broken: a Dataset subclass must override iterator\(\)/);
});

// ---- csv ----

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-tfdata-'));
function writeCsv(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

/** csv read by both libraries from the same file:// path, compared element by element; returns ours. */
async function sameCsv(what: string, file: string, config: Record<string, unknown>): Promise<unknown[]> {
  const ours = st.data.csv(`file://${file}`, config as st.data.CSVConfig);
  const theirs = tfd.csv(`file://${file}`, config as never);
  assert.deepEqual(await ours.columnNames(), await theirs.columnNames(), `${what}: columnNames()`);
  const [a, b] = [plain(await ours.toArray()), plain(await theirs.toArray())];
  assert.deepEqual(a, b, `${what}: rows`);
  return a as unknown[];
}

test('csv: header, labels, defaults, missing values, dtypes, chosen columns, delimiters: as tf.data reads them', async () => {
  const file = writeCsv('houses.csv', 'rooms,area,garden,city,price\n3,70.5,true,Oslo,200\n2,,false,,150\n4,120,1,Bergen,310\r\n5,99.9,0,Oslo,250\n');
  const config = { columnConfigs: { price: { isLabel: true }, area: { default: -1 }, rooms: { dtype: 'int32' }, garden: { dtype: 'bool' } } };
  const rows = await sameCsv('labels and defaults', file, config);
  assert.deepEqual(rows[1], { xs: { rooms: 2, area: -1, garden: 0, city: undefined }, ys: { price: 150 } });
  await sameCsv('no config', file, {});
  await sameCsv('configuredColumnsOnly', file, { configuredColumnsOnly: true, columnConfigs: { price: { isLabel: true }, rooms: {} } });
  await sameCsv('own column names over the header', file, { columnNames: ['a', 'b', 'c', 'd', 'e'] });
  const noHeader = writeCsv('plain.csv', '1;2;3\n4;5;6\n');
  await sameCsv('no header, delimiter ;', noHeader, { hasHeader: false, columnNames: ['x', 'y', 'z'], delimiter: ';' });
  const spaced = writeCsv('spaced.txt', 'a b  c\n1   2 3\n4 5    6\n');
  await sameCsv('delimWhitespace', spaced, { delimWhitespace: true });
  const quoted = writeCsv('quoted.csv', 'name,value\n"Smith, J",1\nplain,2\n');
  await sameCsv('quoted cells', quoted, {});
  // the size is unknown until read, as in tf.data
  assert.equal(st.data.csv(`file://${file}`).size, tfd.csv(`file://${file}`).size);
});

test('csv errors name the source and the line', async () => {
  const bad = writeCsv('bad.csv', 'a,b,c\n1,2,3\n4,5\n7,8,9\n');
  const ds = st.data.csv(`file://${bad}`);
  await assert.rejects(ds.toArray(), (e: Error) => {
    assert.match(e.message, new RegExp(`csv file://${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line 3: expected 3 values \\(columns a, b, c\\), got 2: "4,5"`));
    return true;
  });
  await assert.rejects(tfd.csv(`file://${bad}`).toArray(), /Invalid row in csv file/);
  const missing = writeCsv('missing.csv', 'x,y\n1,2\n3,\n');
  await assert.rejects(st.data.csv(`file://${missing}`, { columnConfigs: { y: { isLabel: true } } }).toArray(), /line 3: column "y" is a label but the cell is empty/);
  await assert.rejects(st.data.csv(`file://${missing}`, { columnConfigs: { x: { required: true }, y: { required: true } } }).toArray(), /line 3: column "y" is required but the cell is empty/);
  await assert.rejects(st.data.csv(`file://${missing}`, { columnConfigs: { z: {} } }).columnNames(), /columnConfigs has the key "z", which is not a column; the columns are x, y/);
  await assert.rejects(st.data.csv(`file://${missing}`, { hasHeader: false }).toArray(), /hasHeader is false, so columnNames must name the columns/);
  await assert.rejects(st.data.csv(`file://${missing}`, { columnNames: ['a'] }).toArray(), /columnNames has 1 names but the header line has 2 columns/);
  await assert.rejects(st.data.csv(`file://${path.join(tmp, 'nope.csv')}`).toArray(), /cannot read .*nope.csv: no such file/);
  assert.throws(() => st.data.csv(`file://${missing}`, { delimiter: ';', delimWhitespace: true }), /either delimWhitespace or a delimiter/);
  assert.throws(() => st.data.csv(`file://${missing}`, { hasheader: false } as never), /unknown option "hasheader" for data.csv; did you mean "hasHeader"\?/);
});

test('TextLineDataset over FileDataSource (Buffer, path, small chunks) and csv over http match tf.data', async () => {
  const text = 'first line\r\nsecond, with ünïcödé\n\nlast without newline';
  const bytes = new TextEncoder().encode(text);
  const ours = await new st.data.TextLineDataset(new st.data.FileDataSource(bytes, { chunkSize: 3 })).toArray();
  const theirs = await new tfd.TextLineDataset(new tfd.FileDataSource(bytes, { chunkSize: 3 })).toArray();
  assert.deepEqual(ours, theirs);
  assert.deepEqual(ours, ['first line', 'second, with ünïcödé', '', 'last without newline']);
  const file = writeCsv('lines.txt', text);
  assert.deepEqual(await new st.data.TextLineDataset(new st.data.FileDataSource(`file://${file}`, { chunkSize: 5 })).toArray(), theirs);
  assert.deepEqual(await new st.data.TextLineDataset(new st.data.URLDataSource(`file://${file}`)).toArray(), theirs);
  // a Blob (a browser File is one) read in chunks; tfjs-data reads Blobs only in a browser
  assert.deepEqual(await new st.data.TextLineDataset(new st.data.FileDataSource(new Blob([bytes]), { chunkSize: 4 })).toArray(), theirs);
  assert.deepEqual(await new st.data.TextLineDataset(new st.data.FileDataSource(bytes, { offset: 12 })).toArray(), theirs.slice(1));
  const server = http.createServer((req, res) => {
    if (req.url === '/data.csv') res.end('u,v\n1,2\n3,4\n');
    else { res.statusCode = 404; res.end(); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const config = { columnConfigs: { v: { isLabel: true } } };
    assert.deepEqual(plain(await st.data.csv(`${url}/data.csv`, config).toArray()), plain(await tfd.csv(`${url}/data.csv`, config as never).toArray()));
    await assert.rejects(st.data.csv(`${url}/missing.csv`).toArray(), /URLDataSource: fetching http:.*missing.csv failed: HTTP 404/);
  } finally {
    server.close();
  }
});

// ---- training ----

test('fitDataset learns a linear regression from a csv dataset; evaluateDataset agrees with evaluate', async () => {
  const lines = ['x1,x2,y'];
  let s = 7;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < 256; i++) {
    const [a, b] = [rnd(), rnd()];
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${(2 * a - 3 * b + 1).toFixed(4)}`);
  }
  const file = writeCsv('regression.csv', `${lines.join('\n')}\n`);
  const data = st.data.csv(`file://${file}`, { columnConfigs: { y: { isLabel: true } } })
    .map(({ xs, ys }: any) => ({ xs: Object.values(xs) as number[], ys: Object.values(ys) as number[] }));
  const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2], kernelInitializer: st.initializers.zeros() })] });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  const train = data.shuffle(256, 'csv').batch(32);
  const h = await model.fitDataset(train, { epochs: 30, verbose: 0, validationData: data.batch(64), validationBatches: 2 });
  const final = h.history.loss.at(-1)!;
  assert.ok(final < 1e-3, `training loss ${final}`);
  assert.ok(h.history.val_loss.at(-1)! < 1e-3, `val_loss ${h.history.val_loss.at(-1)}`);
  assertClose(Array.from((model.getWeights()[0]).dataSync()), [2, -3], 0.02, 'learned kernel');
  const [all] = await data.batch(256).toArray() as { xs: st.Tensor; ys: st.Tensor }[];
  const viaDataset = await model.evaluateDataset(data.batch(50)) as st.Tensor;
  const direct = model.evaluate(all.xs, all.ys) as st.Tensor;
  assertClose(viaDataset.dataSync()[0], direct.dataSync()[0], 1e-4, 'evaluateDataset vs evaluate');
  assert.deepEqual(viaDataset.shape, []);
});

test('fitDataset learns a classifier from a generator dataset, with xs keyed by input name and [x, y] validation', async () => {
  function* points(seed: number, n: number) {
    let s = seed;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 2;
    for (let i = 0; i < n; i++) {
      const p = [rnd(), rnd()];
      yield { xs: { coords: p }, ys: p[0] * p[0] + p[1] * p[1] < 1.3 ? 1 : 0 };
    }
  }
  const input = st.input({ shape: [2], name: 'coords' });
  const hidden = st.layers.dense({ units: 16, activation: 'tanh', kernelInitializer: st.initializers.glorotUniform({ seed: 1 }) }).apply(input) as st.SymbolicTensor;
  const output = st.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: st.initializers.glorotUniform({ seed: 2 }) }).apply(hidden) as st.SymbolicTensor;
  const model = st.model({ inputs: input, outputs: output });
  model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  let started = 0;
  const train = st.data.generator(() => { started++; return points(1, 800); }).batch(32);
  const [held] = await st.data.generator(() => points(99, 400)).batch(400).toArray() as { xs: { coords: st.Tensor }; ys: st.Tensor }[];
  const h = await model.fitDataset(train, { epochs: 15, verbose: 0, validationData: [held.xs.coords, held.ys] });
  assert.equal(started, 15, 'one fresh pass per epoch');
  const accuracy = h.history.val_acc.at(-1)!;
  assert.ok(accuracy > 0.9, `held-out accuracy ${accuracy}`);
  const ev = await model.evaluateDataset(st.data.generator(() => points(99, 400)).batch(100), { batches: 4 }) as st.Tensor[];
  assertClose(ev[1].dataSync()[0], accuracy, 1e-5, 'evaluateDataset accuracy');
  await assert.rejects(model.fitDataset(st.data.array([{ xs: { coord: st.tensor([[1, 2]]) }, ys: st.tensor([1]) }]), { verbose: 0 }),
    /batch 0 xs has keys coord, but the model's inputs are named coords/);
  await assert.rejects(model.fitDataset(train, { epochs: 1, validationSplit: 0.2 } as never), /validationSplit cannot split a stream/);
  await assert.rejects(model.fitDataset(train, { epoch: 1 } as never), /unknown option "epoch" for model "[^"]+".fitDataset; did you mean "epochs"\?/);
});

test('batchesPerEpoch runs one stream across epochs and stops at its end, as tfjs-layers does', async () => {
  const batches = (lib: Lib) => lib.array(range(5).map((i) => ({ xs: lib.tensor([[i]]), ys: lib.tensor([[i]]) })));
  const counts: number[][] = [];
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (m: string) => { warnings.push(m); };
  try {
    for (const lib of [ST, TF]) {
      const seen: number[] = [];
      const callbacks = { onBatchBegin: async () => undefined, onEpochEnd: async () => { seen.push(-1); }, onBatchEnd: async () => { seen.push(1); } };
      if (lib === ST) {
        const m = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [1] })] });
        m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
        await m.fitDataset(batches(lib), { epochs: 3, batchesPerEpoch: 2, verbose: 0, callbacks });
      } else {
        const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [1] })] });
        m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
        await m.fitDataset(batches(lib), { epochs: 3, batchesPerEpoch: 2, verbose: 0, callbacks });
      }
      counts.push(seen);
    }
  } finally {
    console.warn = warn;
  }
  // epochs of 2, 2 and 1 batches: the third epoch found the stream's end
  assert.deepEqual(counts[0], [1, 1, -1, 1, 1, -1, 1, -1]);
  assert.deepEqual(counts[0], counts[1]);
  assert.ok(warnings.some((w) => /ran out after 1 of the 2 batches per epoch/.test(w)), warnings.join('\n'));
});
