/**
 * The browser's model stores, under TensorFlow.js' own names and layouts so that either library
 * reads what the other saved: `localstorage://path` (keys `tensorflowjs_models/<path>/...`, the
 * weights base64-encoded), `indexeddb://path` (database `tensorflowjs`, stores `models_store`
 * and `model_info_store`), and `downloads://name` (the browser downloads name.json and
 * name.weights.bin). Each is an IO handler exchanging artifacts (no optimizer state).
 */
import type { ModelArtifacts, ModelArtifactsInfo, ModelStoreManager, SaveResult } from './handlers.js';
import { getModelArtifactsInfoForJSON } from './io_utils.js';

type Handler = { save(a: ModelArtifacts): Promise<SaveResult>; load(): Promise<ModelArtifacts> };

const LOCAL_PREFIX = 'tensorflowjs_models';
const DB_NAME = 'tensorflowjs';
const MODELS = 'models_store';
const INFO = 'model_info_store';

function info(a: ModelArtifacts): ModelArtifactsInfo {
  if (a.modelTopology instanceof ArrayBuffer) throw new Error('the browser stores keep JSON topologies only (layers models)');
  return getModelArtifactsInfoForJSON(a);
}

function oneBuffer(a: ModelArtifacts): ArrayBuffer {
  const parts = a.weightData === undefined ? [] : [a.weightData].flat();
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let o = 0;
  for (const b of parts) {
    out.set(new Uint8Array(b), o);
    o += b.byteLength;
  }
  return out.buffer;
}

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(text: string): ArrayBuffer {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out.buffer;
}

function need<T>(what: string, url: string, value: T | undefined): T {
  if (value === undefined || value === null) throw new Error(`${url}: this browser has no ${what}`);
  return value;
}

const LOCAL_PARTS = ['info', 'model_topology', 'weight_specs', 'weight_data', 'model_metadata'];
const localKey = (path: string, part: string): string => `${LOCAL_PREFIX}/${path}/${part}`;

function localStorageHandler(path: string, url: string): Handler {
  const key = (part: string): string => localKey(path, part);
  return {
    async save(a) {
      const store = need('localStorage', url, globalThis.localStorage);
      const items: [string, string][] = [
        ['info', JSON.stringify(info(a))], ['model_topology', JSON.stringify(a.modelTopology)],
        ['weight_specs', JSON.stringify(a.weightSpecs ?? [])], ['weight_data', toBase64(oneBuffer(a))],
        ['model_metadata', JSON.stringify({ format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy,
          trainingConfig: a.trainingConfig, userDefinedMetadata: a.userDefinedMetadata })],
      ];
      try {
        for (const [part, value] of items) store.setItem(key(part), value);
      } catch (e) {
        for (const [part] of items) store.removeItem(key(part));
        throw new Error(`${url}: localStorage refused the model (${(e as Error).name}: it holds about 5 MB; try indexeddb://)`);
      }
      return { modelArtifactsInfo: JSON.parse(items[0][1]) };
    },
    async load() {
      const store = need('localStorage', url, globalThis.localStorage);
      const topology = store.getItem(key('model_topology'));
      if (topology === null) throw new Error(`${url}: no model saved under this name in localStorage`);
      const meta = JSON.parse(store.getItem(key('model_metadata')) ?? '{}');
      return { ...meta, modelTopology: JSON.parse(topology), weightSpecs: JSON.parse(store.getItem(key('weight_specs')) ?? '[]'),
        weightData: fromBase64(store.getItem(key('weight_data')) ?? '') };
    },
  };
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function openDb(url: string): Promise<IDBDatabase> {
  const open = need('indexedDB', url, globalThis.indexedDB).open(DB_NAME, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore(MODELS, { keyPath: 'modelPath' });
    open.result.createObjectStore(INFO, { keyPath: 'modelPath' });
  };
  return request(open);
}

function indexedDbHandler(path: string, url: string): Handler {
  return {
    async save(a) {
      const db = await openDb(url);
      try {
        const tx = db.transaction([MODELS, INFO], 'readwrite');
        const modelArtifactsInfo = info(a);
        tx.objectStore(INFO).put({ modelPath: path, modelArtifactsInfo });
        tx.objectStore(MODELS).put({ modelPath: path, modelArtifacts: { ...a, weightData: oneBuffer(a) } });
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(new Error(`${url}: IndexedDB refused the model (${tx.error?.message})`));
        });
        return { modelArtifactsInfo };
      } finally {
        db.close();
      }
    },
    async load() {
      const db = await openDb(url);
      try {
        const record = await request(db.transaction(MODELS, 'readonly').objectStore(MODELS).get(path));
        if (!record) throw new Error(`${url}: no model saved under this name in IndexedDB`);
        return record.modelArtifacts as ModelArtifacts;
      } finally {
        db.close();
      }
    },
  };
}

function downloadsHandler(name: string, url: string): Handler {
  return {
    async save(a) {
      const doc = need('document to download from', url, globalThis.document);
      const weightsName = `${name}.weights.bin`;
      const json = { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy,
        trainingConfig: a.trainingConfig, userDefinedMetadata: a.userDefinedMetadata,
        weightsManifest: [{ paths: [`./${weightsName}`], weights: a.weightSpecs ?? [] }] };
      for (const [file, blob] of [[`${name}.json`, new Blob([JSON.stringify(json)], { type: 'application/json' })],
        [weightsName, new Blob([oneBuffer(a)], { type: 'application/octet-stream' })]] as const) {
        const link = doc.createElement('a');
        link.download = file;
        link.href = URL.createObjectURL(blob);
        link.click();
      }
      return { modelArtifactsInfo: info(a) };
    },
    async load() {
      throw new Error(`${url}: downloads:// only saves; load the downloaded files over http(s) or from a file input`);
    },
  };
}

/** The handler a browser URL names, or null for other URLs (file paths, http). */
export function browserHandler(url: string, door: string): Handler | null {
  const m = /^(localstorage|indexeddb|downloads):\/\/(.*)$/i.exec(url);
  if (!m) return null;
  const [, scheme, path] = m;
  if (path === '') throw new Error(`${door}: ${url} needs a name after the scheme, e.g. ${scheme.toLowerCase()}://my-model`);
  switch (scheme.toLowerCase()) {
    case 'localstorage': return localStorageHandler(path, url);
    case 'indexeddb': return indexedDbHandler(path, url);
    default: return downloadsHandler(path, url);
  }
}

/** `listModels` / `removeModel` over localStorage: a model is listed by its info key. */
export const localStorageManager: ModelStoreManager & { available(): boolean } = {
  available: () => globalThis.localStorage != null,
  async listModels() {
    const store = need('localStorage', 'localstorage://', globalThis.localStorage);
    const out: { [path: string]: ModelArtifactsInfo } = {};
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (key === null || !key.startsWith(`${LOCAL_PREFIX}/`) || !key.endsWith('/info')) continue;
      out[key.slice(LOCAL_PREFIX.length + 1, -'/info'.length)] = JSON.parse(store.getItem(key) ?? 'null');
    }
    return out;
  },
  async removeModel(path) {
    const store = need('localStorage', `localstorage://${path}`, globalThis.localStorage);
    const text = store.getItem(localKey(path, 'info'));
    if (text === null) throw new Error(`removeModel: no model saved at localstorage://${path}`);
    for (const part of LOCAL_PARTS) store.removeItem(localKey(path, part));
    return JSON.parse(text);
  },
};

/** `listModels` / `removeModel` over IndexedDB's model_info_store and models_store. */
export const indexedDbManager: ModelStoreManager & { available(): boolean } = {
  available: () => globalThis.indexedDB != null,
  async listModels() {
    const db = await openDb('indexeddb://');
    try {
      const all = await request(db.transaction(INFO, 'readonly').objectStore(INFO).getAll());
      const out: { [path: string]: ModelArtifactsInfo } = {};
      for (const item of all) out[item.modelPath] = item.modelArtifactsInfo;
      return out;
    } finally {
      db.close();
    }
  },
  async removeModel(path) {
    const db = await openDb(`indexeddb://${path}`);
    try {
      const tx = db.transaction([INFO, MODELS], 'readwrite');
      const record = await request(tx.objectStore(INFO).get(path));
      if (!record) throw new Error(`removeModel: no model saved at indexeddb://${path}`);
      tx.objectStore(INFO).delete(path);
      tx.objectStore(MODELS).delete(path);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(new Error(`removeModel: IndexedDB refused to remove indexeddb://${path} (${tx.error?.message})`));
      });
      return record.modelArtifactsInfo as ModelArtifactsInfo;
    } finally {
      db.close();
    }
  },
};
