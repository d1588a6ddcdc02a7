/**
 * Saved models by URL (`tf.io.listModels`, `removeModel`, `copyModel`, `moveModel`): stores
 * that can list and remove register a manager under their scheme (localstorage and indexeddb
 * where the browser has them, file in Node). Copying loads through the source URL's handler and
 * saves through the destination's, so any two kinds of store work together.
 */
import type { ModelArtifactsInfo, ModelStoreManager } from './handlers.js';
import { handlerFor } from './router_registry.js';
import { indexedDbManager, localStorageManager } from './browser_handlers.js';

type Manager = ModelStoreManager & { available?(): boolean };

const managers = new Map<string, Manager>([['localstorage', localStorageManager], ['indexeddb', indexedDbManager]]);

/** Registers the manager of a store scheme (e.g. 'file'); a scheme has at most one. */
export function registerModelStoreManager(scheme: string, manager: Manager): void {
  scheme = scheme.replace(/:\/\/$/, '');
  if (scheme === '') throw new Error('registerModelStoreManager: the scheme must not be empty');
  if (managers.has(scheme)) throw new Error(`registerModelStoreManager: a manager is already registered for '${scheme}'`);
  managers.set(scheme, manager);
}

function active(): [string, Manager][] {
  return [...managers].filter(([, m]) => m.available?.() ?? true);
}

function split(url: string, where: string): { scheme: string; path: string } {
  const at = typeof url === 'string' ? url.indexOf('://') : -1;
  if (at < 0) {
    throw new Error(`${where}: ${JSON.stringify(url)} has no scheme; expected e.g. ${active().map(([s]) => `${s}://name`).join(', ') || 'localstorage://name'}`);
  }
  return { scheme: url.slice(0, at), path: url.slice(at + 3) };
}

function managerOf(scheme: string, where: string): Manager {
  const m = managers.get(scheme.toLowerCase());
  if (!m || !(m.available?.() ?? true)) {
    throw new Error(`${where}: no model store for '${scheme}://' here (stores here: ${active().map(([s]) => `${s}://`).join(', ') || 'none'})`);
  }
  return m;
}

/**
 * Every model in the stores that can list, keyed by URL ('localstorage://name': its info).
 *
 * @example
 * ```ts
 * console.log(Object.keys(await st.io.listModels())); // the models in the registered stores
 * ```
 */
export async function listModels(): Promise<{ [url: string]: ModelArtifactsInfo }> {
  const out: { [url: string]: ModelArtifactsInfo } = {};
  for (const [scheme, manager] of active()) {
    const models = await manager.listModels();
    for (const path of Object.keys(models)) out[`${scheme}://${path}`] = models[path];
  }
  return out;
}

/**
 * Removes the model at `url` and returns what its store knew of it.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const url = 'file://' + fs.mkdtempSync(path.join(os.tmpdir(), 'st-rm-'));
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * await model.save(url);
 * const info = await st.io.removeModel(url);
 * console.log(info.weightDataBytes); // 12: what the store knew of the model
 * ```
 */
export async function removeModel(url: string): Promise<ModelArtifactsInfo> {
  const { scheme, path } = split(url, 'removeModel');
  return managerOf(scheme, 'removeModel').removeModel(path);
}

async function copy(sourceURL: string, destURL: string, where: string, removeSource: boolean): Promise<ModelArtifactsInfo> {
  if (sourceURL === destURL) throw new Error(`${where}: the source and destination are the same URL (${sourceURL})`);
  const source = handlerFor('load', sourceURL, where);
  const dest = handlerFor('save', destURL, where);
  if (!source.load) throw new Error(`${where}: the handler for ${sourceURL} cannot load`);
  if (!dest.save) throw new Error(`${where}: the handler for ${destURL} cannot save`);
  const manager = removeSource ? managerOf(split(sourceURL, where).scheme, where) : null;
  const result = await dest.save(await source.load());
  // the copy is whole before the original goes (TensorFlow.js removes a same-store source first)
  if (manager) await manager.removeModel(split(sourceURL, where).path);
  return result.modelArtifactsInfo;
}

/**
 * Copies the model at `sourceURL` to `destURL` (any two stores).
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-copy-'));
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * await model.save('file://' + path.join(dir, 'a'));
 * await st.io.copyModel('file://' + path.join(dir, 'a', 'model.json'), 'file://' + path.join(dir, 'b'));
 * console.log(fs.readdirSync(dir)); // ['a', 'b']
 * ```
 */
export function copyModel(sourceURL: string, destURL: string): Promise<ModelArtifactsInfo> {
  return copy(sourceURL, destURL, 'copyModel', false);
}

/**
 * Moves the model at `sourceURL` to `destURL`: copies it, then removes the source.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-move-'));
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * await model.save('file://' + path.join(dir, 'a'));
 * await st.io.moveModel('file://' + path.join(dir, 'a', 'model.json'), 'file://' + path.join(dir, 'b'));
 * console.log(fs.readdirSync(path.join(dir, 'a')), fs.readdirSync(path.join(dir, 'b'))); // [] ['model.json', 'weights.bin']
 * ```
 */
export function moveModel(sourceURL: string, destURL: string): Promise<ModelArtifactsInfo> {
  return copy(sourceURL, destURL, 'moveModel', true);
}
