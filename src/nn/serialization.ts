/**
 * Layer configs as TensorFlow.js writes them into model.json. In memory a config is camelCase
 * (what `getConfig()` returns and constructors take); on disk every key, and every string value
 * but names, is snake_case, and initializers, regularizers and constraints are
 * `{class_name, config}`. The registry maps Keras class names back to constructors.
 */
import { Layer } from './layer.js';
import { SerializationMap, type ConfigDict as SerializableConfig } from '../tensor/serializable.js';
import { getInitializer } from './initializers.js';
import { getRegularizer } from './regularizers.js';
import { getConstraint } from './constraints.js';

export type ConfigValue = null | boolean | number | string | ConfigValue[] | { [key: string]: ConfigValue };
export type ConfigDict = { [key: string]: ConfigValue };

/** A serialized Keras object: a class name and its options. */
export interface ClassConfig {
  className: string;
  config: ConfigDict;
}

/** 'kernelSize' -> 'kernel_size', 'channelsLast' -> 'channels_last' (the rule TensorFlow.js applies). */
export function toSnakeCase(name: string): string {
  return name.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** 'kernel_size' -> 'kernelSize'; names without an underscore are left as they are. */
export function toCamelCase(name: string): string {
  if (name.length <= 1 || !name.includes('_')) return name;
  return name.replace(/_+(\w|$)/g, (_, c: string) => c.toUpperCase());
}

/**
 * In inbound_nodes, input_layers and output_layers (and Keras 3's keras_history) the first item of
 * each entry is a layer name, kept verbatim.
 */
function isNameSlot(key: string | undefined, index: number, item: unknown): boolean {
  return (key === 'inboundNodes' || key === 'inputLayers' || key === 'outputLayers' || key === 'kerasHistory')
    && index === 0 && typeof item === 'string';
}

function convert(value: unknown, key: string | undefined, keyFn: (k: string) => string, ownKey: (k: string) => string,
  keepString: (k: string) => boolean): ConfigValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return keyFn(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    return value.map((item, i) => (isNameSlot(key, i, item) ? item as string : convert(item, key, keyFn, ownKey, keepString)));
  }
  const out: ConfigDict = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const tsKey = ownKey(k);
    out[keyFn(k)] = keepString(tsKey) && typeof v === 'string' ? v : convert(v, tsKey, keyFn, ownKey, keepString);
  }
  return out;
}

/** camelCase config -> model.json's snake_case (names and class names kept verbatim). */
export function toPythonic(value: unknown): ConfigValue {
  return convert(value, undefined, toSnakeCase, (k) => k, (k) => k === 'name' || k === 'className');
}

/** model.json's snake_case -> camelCase config (names kept verbatim). */
export function fromPythonic(value: unknown): ConfigValue {
  return convert(value, undefined, toCamelCase, toCamelCase, (k) => k === 'name' || k === 'className');
}

/**
 * In model files 'hard_sigmoid' means TensorFlow.js' (0.2 x + 0.5); striate's hardSigmoid is
 * Keras 3's (x / 6 + 0.5), so it is written under a name of its own, which TensorFlow.js refuses
 * rather than misreads.
 */
const ACTIVATION_TO_FILE: Record<string, string> = { tfjsHardSigmoid: 'hardSigmoid', hardSigmoid: 'hardSigmoidKeras3' };
const ACTIVATION_FROM_FILE: Record<string, string> = { hardSigmoid: 'tfjsHardSigmoid', hardSigmoidKeras3: 'hardSigmoid' };
const ACTIVATION_KEYS = new Set(['activation', 'recurrentActivation']);

/** Keras 3 spellings that TensorFlow.js knows under another class name. */
const CLASS_TO_FILE: Record<string, string> = { LecunNormal: 'LeCunNormal', LecunUniform: 'LeCunUniform' };

function asClassConfig(thing: { className: string; getConfig(): Record<string, unknown> }): ClassConfig {
  const config = thing.getConfig() as ConfigDict;
  // TensorFlow.js has one regularizer class, L1L2; L1 and L2 are it with the other factor 0
  if (thing.className === 'L1') return { className: 'L1L2', config: { l1: config.l1, l2: 0 } };
  if (thing.className === 'L2') return { className: 'L1L2', config: { l1: 0, l2: config.l2 } };
  return { className: CLASS_TO_FILE[thing.className] ?? thing.className, config };
}

/**
 * A layer's config with everything resolved to plain data: initializer names become
 * `{className, config}` objects, wrapped layers are serialized in turn.
 */
export function layerConfig(layer: Layer): ConfigDict {
  const config: ConfigDict = {};
  for (const [key, value] of Object.entries(layer.getConfig())) {
    if (value === undefined) continue;
    const where = `${layer.className} "${layer.name}"`;
    if (key.endsWith('Initializer')) {
      config[key] = value === null ? null : asClassConfig(getInitializer(value as string, where)) as unknown as ConfigDict;
    } else if (key.endsWith('Regularizer')) {
      const r = getRegularizer(value as string | null, where);
      config[key] = r ? asClassConfig(r) as unknown as ConfigDict : null;
    } else if (key.endsWith('Constraint')) {
      const c = getConstraint(value as string | null, where);
      config[key] = c ? asClassConfig(c) as unknown as ConfigDict : null;
    } else if (ACTIVATION_KEYS.has(key) && typeof value === 'string') {
      config[key] = ACTIVATION_TO_FILE[value] ?? value;
    } else if (key === 'layer' && wrappedLayer(layer)) {
      config[key] = serializeLayer(wrappedLayer(layer)!) as unknown as ConfigDict;
    } else {
      config[key] = value as ConfigValue;
    }
  }
  if (layer.batchInputShape && config.batchInputShape === undefined) config.batchInputShape = [...layer.batchInputShape];
  return config;
}

/** The layer that a wrapper (Bidirectional, TimeDistributed) wraps, as its config should name it. */
function wrappedLayer(layer: Layer): Layer | undefined {
  const w = layer as Layer & { forwardLayer?: Layer; layer?: Layer };
  if (w.layer instanceof Layer) return w.layer;
  if (w.forwardLayer instanceof Layer) {
    // the forward copy is named forward_<name>; Keras' config names the layer it was given
    const f = w.forwardLayer;
    const inner = Object.create(f) as Layer;
    Object.defineProperty(inner, 'name', { value: f.name.replace(/^forward_/, '') });
    return inner;
  }
  return undefined;
}

/**
 * `{className, config}` of a layer, camelCase.
 *
 * @example
 * ```ts
 * console.log(st.serializeLayer(st.layers.dense({ units: 3 })).className); // 'Dense'
 * ```
 */
export function serializeLayer(layer: Layer): ClassConfig {
  return { className: layer.className, config: layerConfig(layer) };
}

/**
 * Keras (3, and in places 2) spells a few things of a layer config its own way: `batch_shape` for
 * batch_input_shape, and the dtype as a policy object (`{class_name: 'DTypePolicy', config:
 * {name: 'float32'}}`; Keras 2's mixed precision wrote `{class_name: 'Policy', ...}`). Mixed
 * policies keep float32 variables, which is what striate computes in.
 */
function fromKeras3(args: Record<string, unknown>, where: string): void {
  if (args.batchShape !== undefined && args.batchInputShape === undefined) args.batchInputShape = args.batchShape;
  delete args.batchShape;
  // Keras writes the global poolings' keepdims in one word (TensorFlow.js: keep_dims)
  if (args.keepdims !== undefined && args.keepDims === undefined) args.keepDims = args.keepdims;
  delete args.keepdims;
  const dtype = args.dtype as { className?: unknown; config?: { name?: unknown } } | string | undefined;
  if (dtype !== undefined && typeof dtype === 'object') {
    const policy = dtype.config?.name;
    if (typeof policy !== 'string') {
      throw new Error(`${where}: expected the dtype to be a name or a dtype policy {class_name, config: {name}}, got ${JSON.stringify(dtype)}`);
    }
    args.dtype = /^mixed/.test(policy) ? 'float32' : policy;
  }
}

/** Builds a layer of one class from its camelCase config. */
export type LayerBuilder = (config: Record<string, unknown>) => Layer;

const registry = new Map<string, LayerBuilder>();

/**
 * Makes `className` loadable from model files.
 *
 * @example
 * ```ts
 * // makes a custom layer loadable from model files: the builder gets the saved config
 * st.registerLayerClass('MyDense', (config) => st.layers.dense({ ...(config as { units: number }) }));
 * ```
 */
export function registerLayerClass(className: string, build: LayerBuilder): void {
  registry.set(className, build);
}

/** The layer classes model files may name: striate's own and those given to serialization.registerClass. */
export function registeredLayerClasses(): string[] {
  const userLayers = Object.entries(SerializationMap.getMap().classNameMap)
    .filter(([, [cls]]) => cls.prototype instanceof Layer).map(([name]) => name);
  return [...new Set([...registry.keys(), ...userLayers])].sort();
}

/** A builder for a class registered with serialization.registerClass, if it is a layer class. */
function userLayerBuilder(className: string): LayerBuilder | undefined {
  const map = SerializationMap.getMap().classNameMap;
  if (!Object.prototype.hasOwnProperty.call(map, className)) return undefined;
  const [cls, fromConfig] = map[className];
  return (config) => {
    const made = fromConfig(cls, config as SerializableConfig);
    if (!(made instanceof Layer)) {
      throw new Error(`class "${className}" (registered with serialization.registerClass) is not a layer`);
    }
    return made;
  };
}

/**
 * A layer from `{className, config}` (camelCase). Null options are dropped, so that the
 * layer's own default applies, as it does for TensorFlow.js' nulls.
 *
 * @example
 * ```ts
 * const layer = st.deserializeLayer(st.serializeLayer(st.layers.dense({ units: 3 })));
 * console.log(layer.getClassName()); // 'Dense'
 * ```
 */
export function deserializeLayer(spec: ClassConfig, where = 'deserializeLayer'): Layer {
  const config = (spec?.config ?? {}) as Record<string, unknown>;
  const name = typeof config.name === 'string' ? config.name : '?';
  if (typeof spec?.className !== 'string') {
    throw new Error(`${where}: layer "${name}" has no class name (expected {class_name, config})`);
  }
  // striate's own classes first: a user class of the same name does not replace a built-in layer
  const build = registry.get(spec.className) ?? userLayerBuilder(spec.className);
  if (!build) {
    throw new Error(`${where}: unsupported layer class "${spec.className}" in layer "${name}"; ` +
      `striate reads ${registeredLayerClasses().join(', ')}`);
  }
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === null || v === undefined) continue;
    args[k] = ACTIVATION_KEYS.has(k) && typeof v === 'string' ? ACTIVATION_FROM_FILE[v] ?? v : v;
  }
  fromKeras3(args, `${where}: layer "${name}" (${spec.className})`);
  try {
    return build(args);
  } catch (e) {
    throw new Error(`${where}: cannot build layer "${name}" (${spec.className}): ${(e as Error).message}`);
  }
}
