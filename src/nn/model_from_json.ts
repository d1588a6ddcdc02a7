/**
 * TensorFlow.js' `models.modelFromJSON`: a model from its topology (model.json's
 * `modelTopology`, or `{modelTopology}`), with fresh weights. Custom classes come from
 * `serialization.registerClass` or, for this call only, from `customObjects` ({className: class}).
 */
import { fromPythonic, type ClassConfig } from './serialization.js';
import { modelFromConfig } from './model_config.js';
import type { LayersModel } from './model.js';
import { SerializationMap, type Serializable, type SerializableConstructor } from '../tensor/serializable.js';

/**
 * @example
 * ```ts
 * const m = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * const copy = await st.models.modelFromJSON({ modelTopology: JSON.parse(m.toJSON() as string) });
 * console.log(copy.layers.length);
 * ```
 */
export async function modelFromJSON(modelAndWeightsConfig: Record<string, unknown>,
  customObjects?: Record<string, unknown>): Promise<LayersModel> {
  const where = 'models.modelFromJSON';
  if (modelAndWeightsConfig === null || typeof modelAndWeightsConfig !== 'object') {
    throw new Error(`${where}: expected a model topology (model.json's modelTopology) or {modelTopology}, got ${typeof modelAndWeightsConfig}`);
  }
  if (modelAndWeightsConfig.weightsManifest !== undefined && modelAndWeightsConfig.weightsManifest !== null) {
    throw new Error(`${where}: reading weights from a weightsManifest is not supported here; load the files with ` +
      'st.loadLayersModel(url or handler)');
  }
  let topology = ('modelTopology' in modelAndWeightsConfig ? modelAndWeightsConfig.modelTopology : modelAndWeightsConfig) as Record<string, unknown>;
  // Keras' converter nests the topology under model_config
  if (topology && typeof topology === 'object' && topology.model_config) topology = topology.model_config as Record<string, unknown>;
  if (!topology || typeof topology !== 'object' || typeof (topology.class_name ?? topology.className) !== 'string') {
    throw new Error(`${where}: the topology has no class_name (expected {class_name: 'Sequential' or 'Model', config})`);
  }
  const spec = fromPythonic({ class_name: topology.class_name ?? topology.className, config: topology.config }) as unknown as ClassConfig;
  const map = SerializationMap.getMap().classNameMap;
  const before = { ...map };
  for (const [name, cls] of Object.entries(customObjects ?? {})) {
    if (typeof cls !== 'function') throw new Error(`${where}: customObjects["${name}"] must be a class, got ${typeof cls}`);
    const c = cls as SerializableConstructor<Serializable>;
    map[name] = [c, c.fromConfig ?? ((k, config) => new k(config))];
  }
  try {
    return modelFromConfig(spec, where);
  } finally {
    if (customObjects) {
      for (const key of Object.keys(map)) delete map[key];
      Object.assign(map, before);
    }
  }
}
