/**
 * Hostile model files: shard names that leave the model's folder (files and http), shapes that
 * overflow or do not fit the shard, truncated shards and quantization fields that make no sense.
 * Each is refused with its message, and nothing outside the folder is opened or fetched (fs and
 * fetch are watched).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import { checkShardPath, checkShardUrl } from '../../src/io/shard_paths.js';
import { assertThrowsMessage } from '../helpers.js';
import { ready, tfl } from './tfjs_interop.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'striate-hostile-'));

function tinyModel(): st.LayersModel {
  st.setSeed(3);
  return st.sequential({ layers: [st.layers.dense({ units: 2, inputShape: [3], name: 'd' })] });
}

/** A folder with a valid TensorFlow.js-style model (no striate key) and a secret file beside the folder. */
function fixture(): { root: string; dir: string; secret: string; json: Record<string, unknown>; write: (edit: (j: any) => void) => string } {
  const root = tmp();
  const dir = path.join(root, 'model');
  fs.mkdirSync(dir);
  const secret = path.join(root, 'secret.bin');
  fs.writeFileSync(secret, new Uint8Array(32));
  const a = st.io.toArtifacts(tinyModel());
  fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), new Uint8Array(a.weightData as ArrayBuffer));
  const json = { format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }] };
  const write = (edit: (j: any) => void): string => {
    const copy = JSON.parse(JSON.stringify(json));
    edit(copy);
    const file = path.join(dir, 'model.json');
    fs.writeFileSync(file, JSON.stringify(copy));
    return file;
  };
  return { root, dir, secret, json, write };
}

/** Runs `fn` with fs's reading calls watched; returns every path they were given. */
async function watchingFs(fn: () => unknown): Promise<string[]> {
  const seen: string[] = [];
  const names = ['readFileSync', 'openSync', 'statSync', 'existsSync', 'readFile'] as const;
  const saved = names.map((n) => (fs as any)[n]);
  names.forEach((n, i) => {
    (fs as any)[n] = (p: unknown, ...rest: unknown[]) => {
      if (typeof p === 'string') seen.push(path.resolve(p));
      return saved[i].call(fs, p, ...rest);
    };
  });
  try {
    await fn();
  } finally {
    names.forEach((n, i) => { (fs as any)[n] = saved[i]; });
  }
  return seen;
}

const ESCAPES: [string, RegExp][] = [
  ['../secret.bin', /goes up out of the folder with "\.\."/],
  ['sub/../../secret.bin', /goes up out of the folder/],
  ['..\\secret.bin', /goes up out of the folder/],
  ['%2e%2e/secret.bin', /goes up out of the folder/],
  ['%252e%252e%252fsecret.bin', /goes up out of the folder/],
  ['/etc/passwd', /it is an absolute path/],
  ['\\\\server\\share\\x.bin', /it is an absolute path/],
  ['C:\\x.bin', /drive letter/],
  ['https://evil.example/x.bin', /URL with its own scheme/],
  ['//evil.example/x.bin', /absolute path/],
  ['file:///etc/passwd', /URL with its own scheme/],
];

test('shard names that leave the folder are refused by name, plain or percent-encoded; names inside pass', () => {
  for (const [name, why] of ESCAPES) {
    assertThrowsMessage(() => checkShardPath(name, 'm/model.json'), `m/model.json: the weights manifest names the shard ${JSON.stringify(name)}, which is outside the model's folder`, why,
      'Nothing was read');
  }
  for (const ok of ['group1-shard1of1.bin', './model.weights.bin', 'sub/w.bin', 'a..b.bin', 'weights%20v2.bin']) assert.equal(checkShardPath(ok, 'm'), ok);
  assertThrowsMessage(() => checkShardPath(42, 'm/model.json'), 'm/model.json: the weights manifest names a shard 42; expected a file name');
  // a resolved URL must stay on the model's origin and under its folder
  checkShardUrl('https://h.example/models/a/w.bin', 'https://h.example/models/a/model.json', 'x');
  assertThrowsMessage(() => checkShardUrl('https://evil.example/a/w.bin', 'https://h.example/a/model.json', 'x'), 'is on another origin than', 'nothing was fetched');
  assertThrowsMessage(() => checkShardUrl('https://h.example/a/../b/w.bin', 'https://h.example/a/model.json', 'x'), 'resolves to /b/w.bin, outside the model\'s folder /a/');
  assertThrowsMessage(() => checkShardUrl('https://h.example/a/%2e%2e/w.bin', 'https://h.example/a/model.json', 'x'), 'resolves to /w.bin, outside');
});

test('file://: every loader refuses an escaping shard before opening it, and never touches the file outside', async () => {
  const f = fixture();
  for (const [name, why] of ESCAPES) {
    const file = f.write((j) => { j.weightsManifest[0].paths = [name]; });
    const seen = await watchingFs(async () => {
      await assert.rejects(st.loadLayersModel(`file://${file}`), (e: Error) => e.message.includes('outside the model\'s folder') && why.test(e.message));
      assert.throws(() => st.io.loadLayersModelSync(file), /outside the model's folder/);
      await assert.rejects(st.io.fileSystem(file).load!(), /outside the model's folder/);
      await assert.rejects(st.loadLayersModel(st.io.browserFiles([new File([fs.readFileSync(file)], 'model.json')])), /outside the model's folder/);
    });
    assert.ok(seen.includes(path.join(f.dir, 'model.json')), 'the watch sees the reads');
    const outside = seen.filter((p) => !p.startsWith(f.dir + path.sep));
    assert.deepEqual(outside, [], `${name}: nothing outside the folder is touched (touched ${outside.join(', ')})`);
    assert.ok(!seen.includes(f.secret));
  }
  // striate's own optimizer shard names are checked too
  const file = f.write((j) => { j.striate = { version: 1, shards: {}, optimizer: { iterations: 1, paths: ['../secret.bin'], weights: [] } }; });
  await assert.rejects(st.loadLayersModel(`file://${file}`), /names the shard "\.\.\/secret\.bin", which is outside the model's folder/);
  // and a weights-only save (st.io.saveWeights / loadWeights)
  const wdir = path.join(f.root, 'weights');
  st.io.saveWeights(tinyModel(), wdir);
  const wjson = JSON.parse(fs.readFileSync(path.join(wdir, 'weights.json'), 'utf8'));
  wjson.weightsManifest[0].paths = ['../secret.bin'];
  fs.writeFileSync(path.join(wdir, 'weights.json'), JSON.stringify(wjson));
  assertThrowsMessage(() => st.io.loadWeights(tinyModel(), wdir), 'names the shard "../secret.bin", which is outside the model\'s folder');
  // a name inside a subfolder is fine
  fs.mkdirSync(path.join(f.dir, 'sub'));
  fs.copyFileSync(path.join(f.dir, 'group1-shard1of1.bin'), path.join(f.dir, 'sub', 'w.bin'));
  const inside = f.write((j) => { j.weightsManifest[0].paths = ['sub/w.bin']; });
  assert.equal((await st.loadLayersModel(`file://${inside}`)).layers.length, 1);
});

/** A fake fetch serving the fixture's files under https://models.example/m/, recording each URL asked for. */
function fakeServer(f: ReturnType<typeof fixture>): { fetchFunc: (url: string) => Promise<Response>; asked: string[] } {
  const asked: string[] = [];
  const fetchFunc = async (url: string): Promise<Response> => {
    asked.push(url);
    const u = new URL(url);
    if (u.origin !== 'https://models.example' || !u.pathname.startsWith('/m/')) return new Response('secret', { status: 200 });
    const p = path.join(f.dir, decodeURIComponent(u.pathname.slice(3)));
    return fs.existsSync(p) ? new Response(fs.readFileSync(p)) : new Response('missing', { status: 404, statusText: 'Not Found' });
  };
  return { fetchFunc, asked };
}

test('http: escaping shard names and other origins are refused before they are fetched', async () => {
  const f = fixture();
  for (const [name, why] of ESCAPES) {
    f.write((j) => { j.weightsManifest[0].paths = [name]; });
    const { fetchFunc, asked } = fakeServer(f);
    const url = 'https://models.example/m/model.json';
    await assert.rejects(st.loadLayersModel(url, { fetchFunc }), (e: Error) => e.message.includes('outside the model\'s folder') && why.test(e.message));
    await assert.rejects(st.io.http(url, { fetchFunc }).load!(), /outside the model's folder/);
    await assert.rejects(st.io.http(url, { fetchFunc, weightPathPrefix: 'https://cdn.example/w/' }).load!(), /outside the model's folder/);
    assert.deepEqual(asked, [url, url, url], `${name}: only model.json was fetched`);
  }
  // tf.io.loadWeights / weightsLoaderFactory refuse the same names
  let fetched = 0;
  const load = st.io.weightsLoaderFactory(async (urls) => { fetched += urls.length; return []; });
  await assert.rejects(load([{ paths: ['../x.bin'], weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }], 'https://h.example/m'),
    /loadWeights: the weights manifest names the shard "\.\.\/x\.bin", which is outside the model's folder/);
  assert.equal(fetched, 0);
  // a clean file loads through the same fake server
  f.write(() => {});
  const ok = fakeServer(f);
  const model = await st.loadLayersModel('https://models.example/m/model.json', { fetchFunc: ok.fetchFunc });
  assert.equal(model.layers.length, 1);
  assert.deepEqual(ok.asked, ['https://models.example/m/model.json', 'https://models.example/m/group1-shard1of1.bin']);
});

test('shapes that overflow, are negative or fractional, or need more bytes than the shard, are refused before the model is built', async () => {
  const f = fixture();
  const cases: [unknown[], string][] = [
    [[1e9, 1e9, 1e9], 'whose element count overflows (more than 2^53 values)'],
    [[-3, 2], 'dimension -3 is not a non-negative integer'],
    [[1.5, 2], 'dimension 1.5 is not a non-negative integer'],
    [['3', 2], 'dimension "3" is not a non-negative integer'],
    [[1e300], 'dimension 1e+300 is too large to count'],
    [[1e6, 1e6], 'weight data ends at byte 32, but weight "d/kernel" needs bytes 0..4000000000000 (truncated shard?)'],
  ];
  for (const [shape, message] of cases) {
    // a topology that would allocate 4 TB if it were built first: the manifest check must come before it
    const file = f.write((j) => {
      j.weightsManifest[0].weights[0].shape = shape;
      j.modelTopology.config.layers[0].config.units = 1e6;
      j.modelTopology.config.layers[0].config.batch_input_shape = [null, 1e6];
    });
    assertThrowsMessage(() => st.io.loadLayersModelSync(file), message);
    const a = { modelTopology: {}, weightSpecs: [{ name: 'w', shape, dtype: 'float32' }], weightData: new ArrayBuffer(8) };
    assertThrowsMessage(() => st.io.decodeWeights(a.weightData, a.weightSpecs as never), message.includes('truncated') ? 'needs bytes 0..4000000000000' : message);
  }
  // a nonsense entry is refused before any shard is read or fetched
  const bad = f.write((j) => { j.weightsManifest[0].weights[0].shape = [-3, 2]; });
  const seen = await watchingFs(() => assert.throws(() => st.io.loadLayersModelSync(bad), /dimension -3 is not a non-negative integer/));
  assert.ok(seen.includes(bad) && !seen.includes(path.join(f.dir, 'group1-shard1of1.bin')), `read: ${seen.join(', ')}`);
  const { fetchFunc, asked } = fakeServer(f);
  await assert.rejects(st.loadLayersModel('https://models.example/m/model.json', { fetchFunc }), /dimension -3 is not a non-negative integer/);
  assert.deepEqual(asked, ['https://models.example/m/model.json']);
  // a truncated shard (no checksum key: a TensorFlow.js-style file)
  const file = f.write(() => {});
  const shard = path.join(f.dir, 'group1-shard1of1.bin');
  fs.writeFileSync(shard, fs.readFileSync(shard).subarray(0, 20));
  assertThrowsMessage(() => st.io.loadLayersModelSync(file), `${file}: weight data ends at byte 20, but weight "d/kernel" needs bytes 0..24 (truncated shard?)`);
  await assert.rejects(st.io.fileSystem(file).load!().then((a) => st.loadLayersModel(st.io.fromMemory(a))), /weight 'd\/kernel' needs bytes 0\.\.24, but the weight data has 20 \(truncated\?\)|needs bytes 0\.\.24/);
});

test('quantization fields that make no sense are refused, each with its message', () => {
  const data = new ArrayBuffer(64);
  const refuse = (spec: Record<string, unknown>, ...message: string[]) =>
    assertThrowsMessage(() => st.io.decodeWeights(data, [{ name: 'w', shape: [4], dtype: 'float32', ...spec }] as never), ...message);
  refuse({ quantization: { dtype: 'int4', scale: 1, min: 0 } }, 'decodeWeights: weight "w" has quantization dtype "int4"; known: \'uint8\', \'uint16\', \'float16\'');
  refuse({ quantization: { dtype: 'uint8', scale: NaN, min: 0 } }, 'weight "w" is quantized as uint8 but its scale is NaN', 'expected a finite number');
  refuse({ quantization: { dtype: 'uint8', scale: Infinity, min: 0 } }, 'its scale is Infinity');
  refuse({ quantization: { dtype: 'uint16', scale: '0.1', min: 0 } }, 'quantized as uint16 but its scale is "0.1"');
  refuse({ quantization: { dtype: 'uint8', scale: 0.1 } }, 'quantized as uint8 but its min is missing');
  refuse({ quantization: { dtype: 'uint8', scale: 0.1, min: null } }, 'its min is null');
  refuse({ quantization: { dtype: 'uint8', scale: -0.1, min: 0 } }, 'quantized as uint8 with a negative scale -0.1');
  refuse({ dtype: 'bool', quantization: { dtype: 'uint8', scale: 1, min: 0 } }, 'weight "w" of dtype "bool" cannot be quantized (float32 and int32 weights can)');
  refuse({ dtype: 'int32', quantization: { dtype: 'float16' } }, 'weight "w" is stored as float16, which only float32 weights can be, but its dtype is "int32"');
  refuse({ quantization: 'uint8' }, 'weight "w" has quantization "uint8"; expected {dtype, scale, min}');
  refuse({ dtype: 'float128' }, 'weight "w" has unsupported dtype "float128"');
  // a scale of 0 (every value is min) is a constant weight, which is fine
  const zero = st.io.decodeWeights(data, [{ name: 'w', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0, min: 0.5 } }]);
  assert.deepEqual(Array.from(zero.w.dataSync()), [0.5, 0.5, 0.5, 0.5]);
  // the same checks guard model files
  const f = fixture();
  const file = f.write((j) => { j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: -1, min: 0 }; });
  assertThrowsMessage(() => st.io.loadLayersModelSync(file), `${file}: weight "d/kernel" is quantized as uint8 with a negative scale -1`);
});

test('loading shows progress: onProgress rises to 1 for files and http', async () => {
  const f = fixture();
  const file = f.write(() => {});
  const fractions: number[] = [];
  await st.loadLayersModel(`file://${file}`, { onProgress: (x) => fractions.push(x) });
  assert.ok(fractions.length > 0 && fractions[fractions.length - 1] === 1, `file: ${fractions}`);
  assert.ok(fractions.every((x, i) => i === 0 || x >= fractions[i - 1]), 'rising');
  const sync: number[] = [];
  st.io.loadLayersModelSync(file, { onProgress: (x) => sync.push(x) });
  assert.equal(sync[sync.length - 1], 1);
  // over http, the same fractions as TensorFlow.js reports for the same file and server
  const http: number[] = [];
  const tfHttp: number[] = [];
  const { fetchFunc } = fakeServer(f);
  await st.loadLayersModel('https://models.example/m/model.json', { fetchFunc, onProgress: (x) => http.push(x) });
  await ready();
  await tfl.loadLayersModel('https://models.example/m/model.json', { fetchFunc: fakeServer(f).fetchFunc as typeof fetch, onProgress: (x) => tfHttp.push(x) });
  assert.deepEqual(http, tfHttp);
  assert.equal(http[http.length - 1], 1);
  const handler: number[] = [];
  await st.loadLayersModel(st.io.http('https://models.example/m/model.json', { fetchFunc, onProgress: (x) => handler.push(x) }));
  assert.deepEqual(handler, [0.5, 1]);
  assertThrowsMessage(() => st.io.loadLayersModelSync(file, { onProgres: () => {} } as never), 'unknown option "onProgres" for loadLayersModel');
});
