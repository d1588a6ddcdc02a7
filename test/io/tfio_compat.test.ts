/**
 * st.io against TensorFlow.js 4.22's tf.io, side by side on the same inputs: the export list,
 * models through memory handlers both ways, weight encoding byte for byte, decoding (quantized
 * too), streams, composite buffers, model.json helpers, http handlers driven by one fake fetch,
 * weight loaders, routers, the file system handler and the model stores.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from '../../src/index.js';
import * as browserEntry from '../../src/browser.js';
import { ready, tf, tfl } from './tfjs_interop.js';
import { assertThrowsMessage, testValues } from '../helpers.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'striate-tfio-'));
const info = { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const } };

function bytes(b: ArrayBuffer | ArrayBuffer[] | undefined): number[] {
  return Array.from(new Uint8Array(tf.io.concatenateArrayBuffers(b as ArrayBuffer[])));
}

function striateModel(): st.LayersModel {
  st.setSeed(11);
  return st.sequential({ layers: [
    st.layers.dense({ units: 4, activation: 'relu', inputShape: [3], name: 'hidden' }),
    st.layers.dense({ units: 2, activation: 'softmax', name: 'out' }),
  ] });
}

const x = Float32Array.from(testValues(6, 4));
const stPredict = (m: st.LayersModel) => Array.from((m.predict(st.tensor(x, [2, 3])) as st.Tensor).dataSync());
const tfPredict = (m: tfl.LayersModel) => Array.from((m.predict(tf.tensor(x, [2, 3])) as tf.Tensor).dataSync());

function near(a: number[], b: number[], what: string): void {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6, `${what}: element ${i} is ${v}, expected ${b[i]}`));
}

test('st.io has every function and class of tf.io, in Node and in the browser entry', () => {
  const names = Object.keys(tf.io).filter((k) => typeof (tf.io as Record<string, unknown>)[k] === 'function');
  assert.ok(names.length >= 25, `tf.io lists ${names.length} functions`);
  const missingNode = names.filter((n) => typeof (st.io as Record<string, unknown>)[n] !== 'function');
  const missingBrowser = names.filter((n) => typeof (browserEntry.io as Record<string, unknown>)[n] !== 'function');
  assert.deepEqual(missingNode, [], 'missing from the Node entry');
  assert.deepEqual(missingBrowser, [], 'missing from the browser entry');
  assert.equal(typeof st.io.fileSystem, 'function');
  assert.equal((browserEntry.io as Record<string, unknown>).fileSystem, undefined, 'the browser io has no file system');
});

test('a model saved via st.io.withSaveHandler loads through tf.io.fromMemory, and back through st.io.fromMemory', async () => {
  await ready();
  const model = striateModel();
  let saved: st.io.ModelArtifacts | undefined;
  const result = await model.save(st.io.withSaveHandler(async (a) => {
    saved = a;
    return info;
  }));
  assert.equal(result, info, 'save returns what the handler returned');
  const inTf = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
  near(tfPredict(inTf), stPredict(model), 'striate -> tfjs');

  let fromTf: tf.io.ModelArtifacts | undefined;
  await inTf.save(tf.io.withSaveHandler(async (a) => {
    fromTf = a;
    return info;
  }));
  const back = await st.loadLayersModel(st.io.fromMemory(fromTf!));
  near(stPredict(back), tfPredict(inTf), 'tfjs -> striate');

  // the Sync forms, on both sides
  let syncSaved: st.io.ModelArtifacts | undefined;
  await model.save(st.io.withSaveHandlerSync((a) => {
    syncSaved = a;
    return info;
  }));
  assert.deepEqual(bytes(syncSaved!.weightData), bytes(saved!.weightData));
  const viaSync = await st.loadLayersModel(st.io.fromMemorySync(syncSaved!));
  near(stPredict(viaSync), stPredict(model), 'fromMemorySync');
  const tfSync = await tfl.loadLayersModel(tf.io.fromMemorySync(syncSaved as tf.io.ModelArtifacts) as tf.io.IOHandler);
  near(tfPredict(tfSync), stPredict(model), 'tf.io.fromMemorySync of striate artifacts');
  // TensorFlow.js' handler objects into striate, striate's into TensorFlow.js
  near(stPredict(await st.loadLayersModel(tf.io.fromMemory(fromTf!))), tfPredict(inTf), 'tf.io.fromMemory into striate');
  near(tfPredict(await tfl.loadLayersModel(st.io.fromMemory(saved!) as tf.io.IOHandler)), stPredict(model), 'st.io.fromMemory into tfjs');

  // the deprecated spread form gives the same artifacts as TensorFlow.js' (both warn)
  const warn = console.warn;
  console.warn = () => {};
  try {
    const spreadSt = await st.io.fromMemory(saved!.modelTopology!, saved!.weightSpecs, saved!.weightData).load!();
    const spreadTf = await tf.io.fromMemory(saved!.modelTopology!, saved!.weightSpecs as tf.io.WeightsManifestEntry[], saved!.weightData).load!();
    assert.deepEqual(Object.keys(spreadSt).sort(), Object.keys(spreadTf).sort());
    assert.equal(spreadSt.modelTopology, spreadTf.modelTopology);
  } finally {
    console.warn = warn;
  }
});

test('handlers that cannot do the job are refused with a clear message', async () => {
  const model = striateModel();
  await assert.rejects(st.loadLayersModel(st.io.withSaveHandler(async () => info)), /loadLayersModel: the IO handler has no load\(\) method/);
  await assert.rejects(model.save(st.io.fromMemory({ modelTopology: {} })), /model "sequential_\d+"\.save: the IO handler has no save\(\) method/);
  assert.throws(() => st.io.withSaveHandler(42 as never), /withSaveHandler: expected 'saveHandler' to be a function/);
  await assert.rejects(st.loadLayersModel('mem://x', { batchSize: 3 } as never), /unknown option "batchSize" for loadLayersModel/);
});

test('encodeWeights gives TensorFlow.js\' bytes and specs; decodeWeights reads them back', async () => {
  await ready();
  const values = { a: Array.from(testValues(6, 1)), b: [3, -7, 2147483647, -2147483648], c: [1, 0, 1] };
  const stList = [
    { name: 'dense/kernel', tensor: st.tensor(values.a, [2, 3]) },
    { name: 'counts', tensor: st.tensor(values.b, [4], 'int32') },
    { name: 'mask', tensor: st.tensor(values.c, [3], 'bool') },
  ];
  const tfList = [
    { name: 'dense/kernel', tensor: tf.tensor(values.a, [2, 3]) },
    { name: 'counts', tensor: tf.tensor(values.b, [4], 'int32') },
    { name: 'mask', tensor: tf.tensor(values.c, [3], 'bool') },
  ];
  for (const group of [undefined, 'optimizer'] as const) {
    const ours = await st.io.encodeWeights(stList, group);
    const theirs = await tf.io.encodeWeights(tfList, group);
    assert.deepEqual(Array.from(new Uint8Array(ours.data)), Array.from(new Uint8Array(theirs.data)), `bytes, group ${group}`);
    assert.deepEqual(ours.specs, theirs.specs, `specs, group ${group}`);
  }
  // a map encodes in key order, as tfjs does
  const mapOurs = await st.io.encodeWeights({ z: stList[1].tensor, a: stList[0].tensor });
  const mapTheirs = await tf.io.encodeWeights({ z: tfList[1].tensor, a: tfList[0].tensor });
  assert.deepEqual(mapOurs.specs, mapTheirs.specs);
  assert.deepEqual(Array.from(new Uint8Array(mapOurs.data)), Array.from(new Uint8Array(mapTheirs.data)));

  const { data, specs } = await tf.io.encodeWeights(tfList);
  // split over shards at odd byte offsets
  const split = [data.slice(0, 5), data.slice(5, 5), data.slice(5, 17), data.slice(17)];
  for (const weightData of [data, split]) {
    const ours = st.io.decodeWeights(weightData, specs);
    const theirs = tf.io.decodeWeights(weightData, specs);
    assert.deepEqual(Object.keys(ours), Object.keys(theirs));
    for (const k of Object.keys(ours)) {
      assert.deepEqual(Array.from(ours[k].dataSync()), Array.from(theirs[k].dataSync()), k);
      assert.deepEqual([...ours[k].shape], theirs[k].shape);
      assert.equal(ours[k].dtype, theirs[k].dtype);
    }
  }
  assertThrowsMessage(() => st.io.decodeWeights(data.slice(0, 30), specs), "decodeWeights: weight 'counts' needs bytes 24..40, but the weight data has 30");
  assertThrowsMessage(() => st.io.decodeWeights(data, [{ name: 's', shape: [1], dtype: 'string' }]), 'weight "s" has unsupported dtype "string"',
    'string weights are not supported');
  assertThrowsMessage(() => st.io.decodeWeights(data, [{ name: 'q', shape: [1], dtype: 'float32', quantization: { dtype: 'int4' as never } }]),
    'weight "q" has quantization dtype "int4"; known: \'uint8\', \'uint16\', \'float16\'');
});

test('quantized weights (uint8, uint16, float16) decode to TensorFlow.js\' values', async () => {
  await ready();
  const u8 = Uint8Array.from({ length: 256 }, (_, i) => i);
  const u16 = Uint16Array.from({ length: 300 }, (_, i) => i * 211);
  const halves = Uint16Array.from({ length: 65536 }, (_, i) => i);
  const specs: tf.io.WeightsManifestEntry[] = [
    { name: 'u8', shape: [256], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.013, min: -1.7 } },
    { name: 'u16', shape: [300], dtype: 'float32', quantization: { dtype: 'uint16', scale: 1.5e-4, min: -3 } },
    { name: 'i8', shape: [256], dtype: 'int32', quantization: { dtype: 'uint8', scale: 0.37, min: -20 } },
    { name: 'f16', shape: [65536], dtype: 'float32', quantization: { dtype: 'float16' } },
  ];
  const data = tf.io.concatenateArrayBuffers([u8.slice().buffer, u16.slice().buffer, u8.slice().buffer, halves.slice().buffer]);
  const ours = st.io.decodeWeights(data, specs);
  const theirs = tf.io.decodeWeights(data, specs);
  for (const s of specs) {
    const a = ours[s.name].dataSync();
    const b = theirs[s.name].dataSync();
    assert.equal(ours[s.name].dtype, theirs[s.name].dtype, s.name);
    for (let i = 0; i < b.length; i++) {
      assert.ok(Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i])), `${s.name}[${i}]: ${a[i]} vs ${b[i]}`);
    }
  }
  // and a quantized model file loads: a dense layer's weights stored as uint8 codes
  const model = striateModel();
  const plain = st.io.toArtifacts(model);
  const tensors = st.io.decodeWeights(plain.weightData!, plain.weightSpecs!);
  const parts: ArrayBuffer[] = [];
  const qspecs = plain.weightSpecs!.map((s) => {
    const v = Array.from(tensors[s.name].dataSync());
    const min = Math.min(...v);
    const scale = (Math.max(...v) - min) / 255 || 1;
    parts.push(Uint8Array.from(v, (t) => Math.round((t - min) / scale)).buffer);
    return { ...s, quantization: { dtype: 'uint8' as const, scale, min } };
  });
  const quantized = { ...plain, weightSpecs: qspecs, weightData: st.io.concatenateArrayBuffers(parts) };
  const fromSt = stPredict(await st.loadLayersModel(st.io.fromMemory(quantized)));
  const fromTf = tfPredict(await tfl.loadLayersModel(tf.io.fromMemory(quantized as tf.io.ModelArtifacts)));
  near(fromSt, fromTf, 'a uint8-quantized model in both');
  assertThrowsMessage(() => st.io.decodeWeights(u8.buffer, [{ name: 'h', shape: [2], dtype: 'int32', quantization: { dtype: 'float16' } }]),
    'weight "h" is stored as float16, which only float32 weights can be');
  assertThrowsMessage(() => st.io.decodeWeights(u8.buffer, [{ name: 'n', shape: [2], dtype: 'float32', quantization: { dtype: 'uint8' } }]),
    'is quantized as uint8 but its scale is missing');
});

test('decodeWeightsStream reads weights as their bytes arrive, as tf.io.decodeWeightsStream does', async () => {
  await ready();
  const { data, specs } = await tf.io.encodeWeights([
    { name: 'a', tensor: tf.tensor(Array.from(testValues(10, 2)), [10]) },
    { name: 'b', tensor: tf.tensor([1, 2, 3], [3], 'int32') },
  ]);
  const stream = (cuts: number[]) => {
    const chunks = cuts.slice(0, -1).map((c, i) => data.slice(c, cuts[i + 1]));
    return new ReadableStream<ArrayBuffer>({ start(c) { for (const ch of chunks) c.enqueue(ch); c.close(); } });
  };
  const cuts = [0, 3, 4, 30, 41, data.byteLength];
  const ours = await st.io.decodeWeightsStream(stream(cuts), specs);
  const theirs = await tf.io.decodeWeightsStream(stream(cuts), specs);
  for (const k of ['a', 'b']) assert.deepEqual(Array.from(ours[k].dataSync()), Array.from(theirs[k].dataSync()), k);
  await assert.rejects(st.io.decodeWeightsStream(stream([0, 30]), specs), /the stream ended after 30 bytes, 10 short of weight 'a'/);
});

test('CompositeArrayBuffer and concatenateArrayBuffers slice as TensorFlow.js\' do', () => {
  const shard = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 255).buffer;
  for (const sizes of [[8, 8, 8, 3], [5, 0, 13, 1, 9], [1], []]) {
    const buffers = sizes.map((n, i) => shard(n, i * 31));
    const ours = new st.io.CompositeArrayBuffer(buffers);
    const theirs = new tf.io.CompositeArrayBuffer(buffers);
    // tfjs leaves byteLength undefined for no buffers at all
    assert.equal(ours.byteLength, theirs.byteLength ?? 0);
    const total = ours.byteLength;
    for (let start = -2; start <= total + 1; start++) {
      for (const end of [start, start + 1, start + 6, total, total + 3, undefined]) {
        assert.deepEqual(Array.from(new Uint8Array(ours.slice(start, end))), Array.from(new Uint8Array(theirs.slice(start, end))),
          `sizes ${sizes} slice(${start}, ${end})`);
      }
    }
    assert.deepEqual(Array.from(new Uint8Array(st.io.concatenateArrayBuffers(buffers))), Array.from(new Uint8Array(tf.io.concatenateArrayBuffers(buffers))));
  }
  // a typed array stands for its whole buffer, in both
  const view = new Uint8Array(shard(10, 1), 2, 4);
  assert.deepEqual(Array.from(new Uint8Array(new st.io.CompositeArrayBuffer(view).slice())),
    Array.from(new Uint8Array(new tf.io.CompositeArrayBuffer(view).slice())));
});

test('the model.json helpers give TensorFlow.js\' results', async () => {
  const json = {
    modelTopology: { class_name: 'Sequential', config: { name: 'héllo' } }, format: 'layers-model', generatedBy: 'x', convertedBy: null,
    trainingConfig: { loss: 'mse', optimizer_config: {} }, userDefinedMetadata: { a: 1 }, signature: { s: 1 },
    weightsManifest: [{ paths: ['a.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' as const }] },
      { paths: ['b.bin'], weights: [{ name: 'v', shape: [1], dtype: 'int32' as const }] }],
  };
  assert.deepEqual(st.io.getWeightSpecs(json.weightsManifest), tf.io.getWeightSpecs(json.weightsManifest));
  const data = [new ArrayBuffer(8), new ArrayBuffer(4)];
  const specs = st.io.getWeightSpecs(json.weightsManifest);
  assert.deepEqual(st.io.getModelArtifactsForJSONSync(json, specs, data), tf.io.getModelArtifactsForJSONSync(json, specs as tf.io.WeightsManifestEntry[], data));
  const loader = async () => [specs, data] as [st.io.WeightsManifestEntry[], ArrayBuffer[]];
  assert.deepEqual(await st.io.getModelArtifactsForJSON(json, loader), await tf.io.getModelArtifactsForJSON(json, loader as never));
  const artifacts = st.io.getModelArtifactsForJSONSync(json, specs, data);
  const { dateSaved: d1, ...ours } = st.io.getModelArtifactsInfoForJSON(artifacts);
  const { dateSaved: d2, ...theirs } = tf.io.getModelArtifactsInfoForJSON(artifacts as tf.io.ModelArtifacts);
  assert.deepEqual(ours, theirs);
  assert.ok(d1 instanceof Date && d2 instanceof Date);
  assert.throws(() => st.io.getModelArtifactsForJSONSync(json), /model.json has a weightsManifest but no weightSpecs were given/);
  for (const url of ['http://a/b', 'https://a', 'HTTP://a', 'file://x', 'localstorage://m', ' http://a', 'httpx://a']) {
    assert.equal(st.io.isHTTPScheme(url), tf.io.isHTTPScheme(url), url);
  }
});

/** A fake server: answers GETs from `files` by URL (query strings kept), records every request. */
function fakeFetch(files: Record<string, Uint8Array | string>, log: { url: string; init?: RequestInit; details?: unknown }[]) {
  return async (url: string, init?: RequestInit, details?: unknown): Promise<Response> => {
    log.push({ url, init, details });
    if (init?.body != null) return new Response('saved', { status: 200 });
    const body = files[url];
    return body === undefined ? new Response('nope', { status: 404, statusText: 'Not Found' }) : new Response(body as BodyInit);
  };
}

test('http handlers: the same requests, URLs, progress and artifacts as tf.io.http', async () => {
  await ready();
  const model = striateModel();
  const a = st.io.toArtifacts(model);
  const weights = new Uint8Array(a.weightData as ArrayBuffer);
  const half = Math.floor(weights.length / 2);
  const json = JSON.stringify({
    modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: null,
    weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: a.weightSpecs }],
  });
  const files = {
    'https://host/models/m/model.json?v=3': json,
    'https://host/models/m/group1-shard1of2.bin?v=3': weights.slice(0, half),
    'https://host/models/m/group1-shard2of2.bin?v=3': weights.slice(half),
    'https://cdn/w/group1-shard1of2.bin': weights.slice(0, half),
    'https://cdn/w/group1-shard2of2.bin': weights.slice(half),
    // a weightPathPrefix keeps model.json's query string, a weightUrlConverter does not
    'https://cdn/w/group1-shard1of2.bin?v=3': weights.slice(0, half),
    'https://cdn/w/group1-shard2of2.bin?v=3': weights.slice(half),
  };
  const cases: [string, Record<string, unknown>][] = [
    ['https://host/models/m/model.json?v=3', {}],
    ['https://host/models/m/model.json?v=3', { weightPathPrefix: 'https://cdn/w/' }],
    ['https://host/models/m/model.json?v=3', { weightUrlConverter: async (name: string) => `https://cdn/w/${name}` }],
  ];
  for (const [url, extra] of cases) {
    const runs = [];
    for (const io of [st.io, tf.io] as const) {
      const log: { url: string; init?: RequestInit; details?: unknown }[] = [];
      const progress: number[] = [];
      const handler = io.http(url, { ...extra, fetchFunc: fakeFetch(files, log), requestInit: { headers: { 'x-key': 'k' } },
        onProgress: (f: number) => progress.push(f) } as never);
      const loaded = await handler.load!();
      runs.push({ loaded, log: log.map((l) => [l.url, JSON.stringify(l.init), JSON.stringify(l.details)]), progress });
    }
    const [ours, theirs] = runs;
    assert.deepEqual(ours.log, theirs.log, `requests for ${JSON.stringify(extra)}`);
    assert.deepEqual(ours.progress, theirs.progress, 'progress');
    assert.deepEqual(bytes(ours.loaded.weightData), bytes(theirs.loaded.weightData));
    assert.deepEqual(ours.loaded.weightSpecs, theirs.loaded.weightSpecs);
    assert.deepEqual(ours.loaded.modelTopology, theirs.loaded.modelTopology);
    near(stPredict(await st.loadLayersModel(st.io.fromMemory(ours.loaded))), stPredict(model), 'loaded over http');
  }
  // loadLayersModel takes the same options for an https URL
  const viaOptions = await st.loadLayersModel('https://host/models/m/model.json?v=3', { fetchFunc: fakeFetch(files, []) });
  near(stPredict(viaOptions), stPredict(model), 'loadLayersModel(url, {fetchFunc})');
  // a missing file is named
  await assert.rejects(st.io.http('https://host/none/model.json', { fetchFunc: fakeFetch(files, []) }).load!(),
    /http: the model file https:\/\/host\/none\/model.json answered HTTP 404 Not Found/);
  assert.throws(() => st.io.http('https://h/m.json', { requestInit: { body: 'x' } }), /requestInit must have no body/);
  assert.throws(() => st.io.http(''), /expected the URL of the model/);

  // saving POSTs the same form: model.json (with a manifest naming model.weights.bin) and the weights
  const forms = [];
  for (const io of [st.io, tf.io] as const) {
    const log: { url: string; init?: RequestInit }[] = [];
    const result = await io.http('https://host/upload', { fetchFunc: fakeFetch({}, log), requestInit: { method: 'PUT' } } as never)
      .save!(a as tf.io.ModelArtifacts);
    assert.equal(result.responses?.length, 1);
    const body = log[0].init!.body as FormData;
    const parts: Record<string, unknown> = { method: log[0].init!.method, url: log[0].url };
    for (const [k, v] of (body as unknown as { entries(): Iterable<[string, unknown]> }).entries()) parts[k] = k === 'model.json' ? JSON.parse(await (v as Blob).text()) : Array.from(new Uint8Array(await (v as Blob).arrayBuffer()));
    forms.push(parts);
  }
  assert.deepEqual(forms[0], forms[1]);
});

test('loadWeights and weightsLoaderFactory fetch and decode as TensorFlow.js\' do', async () => {
  await ready();
  const { data, specs } = await tf.io.encodeWeights([
    { name: 'a', tensor: tf.tensor([1, 2, 3, 4], [2, 2]) },
    { name: 'b', tensor: tf.tensor([5, 6], [2], 'int32') },
    { name: 'c', tensor: tf.tensor([7, 8, 9], [3]) },
  ]);
  const bytesOf = new Uint8Array(data);
  const manifest = [
    { paths: ['g1-1', 'g1-2'], weights: specs.slice(0, 2) },
    { paths: ['g2'], weights: specs.slice(2) },
  ];
  const store: Record<string, ArrayBuffer> = { 'w/g1-1': bytesOf.slice(0, 10).buffer, 'w/g1-2': bytesOf.slice(10, 24).buffer, 'w/g2': bytesOf.slice(24).buffer };
  for (const names of [undefined, ['c'], ['b', 'a']]) {
    const asked: string[][] = [[], []];
    const ours = await st.io.weightsLoaderFactory(async (urls) => { asked[0].push(...urls); return urls.map((u) => store[u]); })(manifest, 'w', names);
    const theirs = await tf.io.weightsLoaderFactory(async (urls) => { asked[1].push(...urls); return urls.map((u) => store[u]); })(manifest, 'w', names);
    assert.deepEqual(asked[0], asked[1], `urls for ${names}`);
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());
    for (const k of Object.keys(ours)) assert.deepEqual(Array.from(ours[k].dataSync()), Array.from(theirs[k].dataSync()), k);
  }
  await assert.rejects(st.io.weightsLoaderFactory(async () => [])(manifest, 'w', ['zz']), /the manifest has no weights named zz; it has a, b, c/);

  // loadWeights fetches through the global fetch, in both libraries
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (url: string) => new Response(new Uint8Array(store[url.replace('https://h/', '')]))) as typeof fetch;
  try {
    const ours = await st.io.loadWeights(manifest, 'https://h/w/', ['b']);
    const theirs = await tf.io.loadWeights(manifest, 'https://h/w/', ['b']);
    assert.deepEqual(Array.from(ours.b.dataSync()), Array.from(theirs.b.dataSync()));
  } finally {
    globalThis.fetch = realFetch;
  }
});

test('routers: a registered router serves loadLayersModel, model.save and get*Handlers', async () => {
  const model = striateModel();
  const memory = new Map<string, st.io.ModelArtifacts>();
  const router = (url: string | string[]) => {
    if (typeof url !== 'string' || !url.startsWith('mem://')) return null;
    const key = url.slice('mem://'.length);
    return {
      save: async (a: st.io.ModelArtifacts) => { memory.set(key, a); return { modelArtifactsInfo: st.io.getModelArtifactsInfoForJSON(a) }; },
      load: async () => memory.get(key)!,
    };
  };
  st.io.registerSaveRouter(router);
  st.io.registerLoadRouter(router);
  assert.equal(st.io.getSaveHandlers('mem://one').length, 1);
  assert.equal(st.io.getLoadHandlers('mem://one').length, 1);
  assert.equal(st.io.getLoadHandlers('nothing://one').length, 0);
  // as in tfjs: an http URL has the built-in http handler (Node has fetch); localstorage has none outside a browser
  for (const url of ['https://h/model.json', 'localstorage://m']) {
    assert.equal(st.io.getLoadHandlers(url).length, tf.io.getLoadHandlers(url).length, url);
  }
  await model.save('mem://one');
  near(stPredict(await st.loadLayersModel('mem://one')), stPredict(model), 'through the router');
  assert.throws(() => st.io.registerLoadRouter('x' as never), /registerLoadRouter: expected a router function/);
});

/** A Storage over a Map: the browser's localStorage, for Node. */
class MemoryStorage {
  private items = new Map<string, string>();
  get length() { return this.items.size; }
  key(i: number) { return [...this.items.keys()][i] ?? null; }
  getItem(k: string) { return this.items.get(k) ?? null; }
  setItem(k: string, v: string) { this.items.set(k, String(v)); }
  removeItem(k: string) { this.items.delete(k); }
  clear() { this.items.clear(); }
}

test('fileSystem, listModels, copyModel, moveModel and removeModel across file:// and localstorage://', async () => {
  await ready();
  const dir = tmp();
  const model = striateModel();
  // fileSystem: model.json + weights.bin, as tfjs-node writes them
  const result = await model.save(st.io.fileSystem(path.join(dir, 'a')));
  assert.equal(result.modelArtifactsInfo.modelTopologyType, 'JSON');
  assert.deepEqual(fs.readdirSync(path.join(dir, 'a')).sort(), ['model.json', 'weights.bin']);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'a', 'model.json'), 'utf8'));
  assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
  near(stPredict(await st.loadLayersModel(st.io.fileSystem(path.join(dir, 'a', 'model.json')))), stPredict(model), 'fileSystem round trip');
  near(stPredict(await st.loadLayersModel(`file://${path.join(dir, 'a', 'model.json')}`)), stPredict(model), 'file:// load of fileSystem output');
  // TensorFlow.js reads what fileSystem wrote, through its own getModelArtifactsForJSON
  const tfModel = await tfl.loadLayersModel({ load: () => tf.io.getModelArtifactsForJSON(json, async (m) =>
    [tf.io.getWeightSpecs(m), new Uint8Array(fs.readFileSync(path.join(dir, 'a', 'weights.bin'))).buffer]) });
  near(tfPredict(tfModel), stPredict(model), 'tfjs reads fileSystem output');
  // a torn save (weights.bin from another model) is caught by the checksum
  fs.writeFileSync(path.join(dir, 'a', 'weights.bin'), Buffer.alloc(fs.statSync(path.join(dir, 'a', 'weights.bin')).size));
  await assert.rejects(st.loadLayersModel(st.io.fileSystem(path.join(dir, 'a', 'model.json'))), /weights\.bin does not match the checksum/);
  await assert.rejects(st.loadLayersModel(st.io.fileSystem(path.join(dir, 'a'))), /is a folder; give the path of its model.json/);
  fs.writeFileSync(path.join(dir, 'file'), 'x');
  await assert.rejects(model.save(st.io.fileSystem(path.join(dir, 'file'))), /is a file; save needs a folder path/);
  assert.equal(st.io.getLoadHandlers(`file://${dir}/model.json`).length, 1);

  // the model stores, with a localStorage in place (TensorFlow.js reads it only where it believes it is in a browser;
  // its listModels knows the stores found when it was imported, so here only its handlers are compared)
  const g = globalThis as Record<string, unknown>;
  g.localStorage = new MemoryStorage();
  g.window = globalThis;
  const wasBrowser = tf.env().getBool('IS_BROWSER');
  tf.env().set('IS_BROWSER', true);
  try {
    await model.save(st.io.fileSystem(path.join(dir, 'b')));
    const copied = await st.io.copyModel(`file://${path.join(dir, 'b', 'model.json')}`, 'localstorage://copied');
    assert.equal(copied.modelTopologyType, 'JSON');
    assert.deepEqual(Object.keys(await st.io.listModels()), ['localstorage://copied']);
    near(tfPredict(await tfl.loadLayersModel('localstorage://copied')), stPredict(model), 'tfjs loads striate\'s localstorage copy');
    await st.io.moveModel('localstorage://copied', 'localstorage://moved');
    assert.deepEqual(Object.keys(await st.io.listModels()), ['localstorage://moved']);
    near(stPredict(await st.loadLayersModel('localstorage://moved')), stPredict(model), 'after moveModel');
    // and the other way: a model tfjs saved there, moved by striate to a folder
    await tfModel.save('localstorage://from-tfjs');
    await st.io.moveModel('localstorage://from-tfjs', `file://${path.join(dir, 'c')}`);
    assert.deepEqual(Object.keys(await st.io.listModels()).sort(), ['localstorage://moved']);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'c')).sort(), ['model.json', 'weights.bin']);
    const removed = await st.io.removeModel('localstorage://moved');
    assert.equal(removed.modelTopologyType, 'JSON');
    assert.deepEqual(await st.io.listModels(), {});
    await assert.rejects(st.io.removeModel('localstorage://moved'), /removeModel: no model saved at localstorage:\/\/moved/);
    await assert.rejects(st.io.copyModel('localstorage://a', 'localstorage://a'), /copyModel: the source and destination are the same URL/);
  } finally {
    tf.env().set('IS_BROWSER', wasBrowser);
    delete g.localStorage;
    delete g.window;
  }
  // file:// removal takes model.json and the files it names, nothing else
  fs.writeFileSync(path.join(dir, 'c', 'notes.txt'), 'keep');
  await st.io.removeModel(`file://${path.join(dir, 'c')}`);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'c')), ['notes.txt']);
  await assert.rejects(st.io.removeModel('nowhere'), /removeModel: "nowhere" has no scheme/);
  await assert.rejects(st.io.removeModel('localstorage://x'), /removeModel: no model store for 'localstorage:\/\/' here \(stores here: file:\/\/\)/);
  // st.io.loadWeights still reads striate's weights folders (a model, not a manifest, comes first)
  st.io.saveWeights(model, path.join(dir, 'w'));
  const fresh = striateModel();
  st.io.loadWeights(fresh, path.join(dir, 'w'));
  near(stPredict(fresh), stPredict(model), 'st.io.loadWeights(model, dir)');
});
