/**
 * URL routers, as in TensorFlow.js: a router looks at a URL (or a list of URLs) and returns an
 * IO handler for it, or null when the URL is not its kind. striate's own kinds are routers
 * too (http(s)://; localstorage://, indexeddb:// and downloads:// where the browser has those
 * stores; file:// in Node), so `getLoadHandlers`/`getSaveHandlers` answer as TensorFlow.js'
 * do. Routers a program registers come first when `loadLayersModel`, `model.save` and
 * `copyModel` pick a handler, so a program can take over a scheme.
 */
import type { IOHandler } from './handlers.js';
import { http, isHTTPScheme, type LoadOptions } from './http.js';
import { browserHandler } from './browser_handlers.js';

export type IORouter = (url: string | string[], loadOptions?: LoadOptions) => IOHandler | null;

const saveRouters: IORouter[] = [];
const loadRouters: IORouter[] = [];
const builtIn = new Set<IORouter>();

function checkRouter(where: string, router: unknown): void {
  if (typeof router !== 'function') throw new Error(`${where}: expected a router function (url => IO handler or null), got ${router === null ? 'null' : typeof router}`);
}

/**
 * Adds a router: a function from a URL to a save handler (or null when the URL is not its own), consulted by `model.save(url)`.
 *
 * @example
 * ```ts
 * // model.save('docsave://name') keeps the artifacts in a Map
 * const saved = new Map();
 * st.io.registerSaveRouter((url) => typeof url === 'string' && url.startsWith('docsave://')
 *   ? st.io.withSaveHandler(async (artifacts) => {
 *     saved.set(url, artifacts);
 *     return { modelArtifactsInfo: st.io.getModelArtifactsInfoForJSON(artifacts) };
 *   })
 *   : null);
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * await model.save('docsave://first');
 * console.log([...saved.keys()]); // ['docsave://first']
 * ```
 */
export function registerSaveRouter(router: IORouter): void {
  checkRouter('registerSaveRouter', router);
  saveRouters.push(router);
}

/**
 * Adds a router: a function from a URL to a load handler (or null when the URL is not its own), consulted by `loadLayersModel(url)`.
 *
 * @example
 * ```ts
 * // st.loadLayersModel('docload://name') reads from a Map of artifacts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * const store = new Map([['docload://tiny', st.io.toArtifacts(model)]]);
 * st.io.registerLoadRouter((url) => typeof url === 'string' && store.has(url) ? st.io.fromMemory(store.get(url)!) : null);
 * const loaded = await st.loadLayersModel('docload://tiny');
 * console.log(loaded.layers.length); // 1
 * ```
 */
export function registerLoadRouter(router: IORouter): void {
  checkRouter('registerLoadRouter', router);
  loadRouters.push(router);
}

/** Registers one of striate's own routers (the kinds it knows without being told). */
export function registerBuiltInRouter(router: IORouter, kinds: { save: boolean; load: boolean }): void {
  builtIn.add(router);
  if (kinds.save) saveRouters.push(router);
  if (kinds.load) loadRouters.push(router);
}

function handlersOf(routers: IORouter[], url: string | string[], loadOptions?: LoadOptions): IOHandler[] {
  const out: IOHandler[] = [];
  for (const router of routers) {
    const handler = router(url, loadOptions);
    if (handler != null) out.push(handler);
  }
  return out;
}

/**
 * Every registered router's save handler for `url`, in the order the routers were registered.
 *
 * @example
 * ```ts
 * console.log(st.io.getSaveHandlers('file:///tmp/model').length); // 1
 * ```
 */
export function getSaveHandlers(url: string | string[]): IOHandler[] {
  return handlersOf(saveRouters, url);
}

/**
 * Every registered router's load handler for `url`, in the order the routers were registered.
 *
 * @example
 * ```ts
 * console.log(st.io.getLoadHandlers('file:///tmp/model/model.json').length); // 1
 * ```
 */
export function getLoadHandlers(url: string | string[], loadOptions?: LoadOptions): IOHandler[] {
  return handlersOf(loadRouters, url, loadOptions);
}

/** The handler of a router the program registered for `url`, if exactly one matches (several: an error). */
export function programHandler(kind: 'save' | 'load', url: string | string[], where: string, loadOptions?: LoadOptions): IOHandler | null {
  const routers = (kind === 'save' ? saveRouters : loadRouters).filter((r) => !builtIn.has(r));
  const found = handlersOf(routers, url, loadOptions);
  if (found.length > 1) throw new Error(`${where}: ${found.length} registered routers answer ${JSON.stringify(url)}; expected one`);
  return found[0] ?? null;
}

/** The one handler for `url`: a program's router first, else striate's own; none or several is an error. */
export function handlerFor(kind: 'save' | 'load', url: string, where: string): IOHandler {
  const mine = programHandler(kind, url, where);
  if (mine) return mine;
  const found = handlersOf((kind === 'save' ? saveRouters : loadRouters).filter((r) => builtIn.has(r)), url);
  if (found.length !== 1) {
    throw new Error(`${where}: ${found.length === 0 ? 'no' : found.length} ${kind} handler${found.length === 1 ? '' : 's'} for ${JSON.stringify(url)} ` +
      '(known here: http(s)://, file:// in Node, localstorage:// and indexeddb:// in a browser, or a router you register)');
  }
  return found[0];
}

const httpRouter: IORouter = (url, loadOptions) => {
  if (typeof globalThis.fetch !== 'function' && loadOptions?.fetchFunc == null) return null;
  const all = Array.isArray(url) ? url.every(isHTTPScheme) : isHTTPScheme(url);
  return all ? http(url, loadOptions) : null;
};

/** The browser stores, where this runtime has them (as TensorFlow.js routes them only in a browser). */
function storeRouter(kind: 'save' | 'load'): IORouter {
  return (url) => {
    if (typeof url !== 'string') return null;
    const scheme = /^([a-z]+):\/\//i.exec(url)?.[1]?.toLowerCase();
    const present = scheme === 'localstorage' ? globalThis.localStorage != null
      : scheme === 'indexeddb' ? globalThis.indexedDB != null
        : scheme === 'downloads' ? kind === 'save' && globalThis.document != null : false;
    return present ? browserHandler(url, kind === 'save' ? 'save' : 'load') : null;
  };
}

registerBuiltInRouter(httpRouter, { save: true, load: true });
registerBuiltInRouter(storeRouter('save'), { save: true, load: false });
registerBuiltInRouter(storeRouter('load'), { save: false, load: true });
