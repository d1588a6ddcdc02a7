/**
 * IO handlers over memory (`tf.io.fromMemory`, `tf.io.withSaveHandler` and their Sync forms):
 * a model goes to or comes from a JavaScript object, with no file or network in between.
 */
import type {
  IOHandler, IOHandlerSync, ModelArtifacts, SaveResult, TrainingConfig, WeightData, WeightsManifestEntry,
} from './handlers.js';

function looksLikeArtifacts(x: unknown): boolean {
  return typeof x === 'object' && x !== null && ((x as ModelArtifacts).modelTopology != null || (x as ModelArtifacts).weightSpecs != null);
}

/**
 * A handler whose `load()` gives `modelArtifacts` back. The older call with the topology,
 * specs, data and training config as separate arguments still works (with a warning, as in
 * TensorFlow.js, which has deprecated it); so does a bare topology as the one argument.
 *
 * @example
 * ```ts
 * const artifacts = st.io.toArtifacts(st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] }));
 * const handler = st.io.fromMemorySync(artifacts);
 * console.log(handler.load!().modelTopology !== undefined); // true
 * ```
 */
export function fromMemorySync(modelArtifacts: {} | ModelArtifacts, weightSpecs?: WeightsManifestEntry[], weightData?: WeightData,
  trainingConfig?: TrainingConfig): IOHandlerSync {
  if (modelArtifacts === null || typeof modelArtifacts !== 'object') {
    throw new Error(`fromMemory: expected model artifacts (an object with modelTopology and/or weightSpecs), got ${modelArtifacts === null ? 'null' : typeof modelArtifacts}`);
  }
  let artifacts: ModelArtifacts;
  if (arguments.length === 1 && looksLikeArtifacts(modelArtifacts)) {
    artifacts = modelArtifacts as ModelArtifacts;
  } else {
    console.warn('fromMemory: pass one ModelArtifacts object ({modelTopology, weightSpecs, weightData, ...}); ' +
      'the form with separate arguments, or a bare topology, is deprecated in TensorFlow.js');
    artifacts = arguments.length === 1 ? { modelTopology: modelArtifacts } : { modelTopology: modelArtifacts, weightSpecs, weightData, trainingConfig };
  }
  return { load: () => artifacts };
}

/**
 * `fromMemorySync` whose `load()` returns a promise, for `loadLayersModel`.
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * const artifacts = st.io.toArtifacts(model);
 * const copy = await st.loadLayersModel(st.io.fromMemory(artifacts));
 * console.log(copy.layers.length);
 * ```
 */
export function fromMemory(modelArtifacts: {} | ModelArtifacts, weightSpecs?: WeightsManifestEntry[], weightData?: WeightData,
  trainingConfig?: TrainingConfig): IOHandler {
  // the argument count matters (one artifacts object or the deprecated spread form), so pass them on as they came
  const sync = (fromMemorySync as (...a: unknown[]) => IOHandlerSync)(...Array.from(arguments));
  return { load: async () => sync.load!() };
}

function checkCallback(where: string, saveHandler: unknown): void {
  if (typeof saveHandler !== 'function') {
    throw new Error(`${where}: expected 'saveHandler' to be a function taking the model artifacts, got ${saveHandler === null ? 'null' : typeof saveHandler}`);
  }
}

/**
 * A handler whose `save(artifacts)` calls `saveHandler(artifacts)` and returns its promised result.
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * await model.save(st.io.withSaveHandler(async (artifacts) => {
 *   console.log(Object.keys(artifacts));
 *   return { modelArtifactsInfo: st.io.getModelArtifactsInfoForJSON(artifacts) };
 * }));
 * ```
 */
export function withSaveHandler(saveHandler: (artifacts: ModelArtifacts) => Promise<SaveResult>): IOHandler {
  checkCallback('withSaveHandler', saveHandler);
  return { save: (artifacts) => saveHandler(artifacts) };
}

/**
 * A handler whose `save(artifacts)` calls `saveHandler(artifacts)` and returns its result.
 *
 * @example
 * ```ts
 * const handler = st.io.withSaveHandlerSync((artifacts) => ({ modelArtifactsInfo: st.io.getModelArtifactsInfoForJSON(artifacts) }));
 * console.log(typeof handler.save); // 'function'
 * ```
 */
export function withSaveHandlerSync(saveHandler: (artifacts: ModelArtifacts) => SaveResult): IOHandlerSync {
  checkCallback('withSaveHandlerSync', saveHandler);
  return { save: (artifacts) => saveHandler(artifacts) };
}
