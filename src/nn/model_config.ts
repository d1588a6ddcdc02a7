/**
 * Model topologies as Keras and TensorFlow.js write them: a Sequential is its list of layer
 * configs (the first one carrying `batchInputShape`); a graph model lists every layer with
 * `inboundNodes` — for each call of the layer, the `[layerName, nodeIndex, tensorIndex, {}]` of
 * each input — plus `inputLayers` and `outputLayers`. Configs here are camelCase.
 */
import { Layer, LayerNode, SymbolicTensor } from './layer.js';
import { InputLayer, LayersModel, Sequential } from './model.js';
import {
  deserializeLayer, layerConfig, registerLayerClass, toPythonic, type ClassConfig, type ConfigDict, type ConfigValue,
} from './serialization.js';
import { version } from '../version.js';
import './layer_registry.js';

type TensorRef = [string, number, number];

/**
 * The model's topology as `{className, config}` (className 'Sequential' or 'Model', as TensorFlow.js writes).
 *
 * @example
 * ```ts
 * const m = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * console.log(st.modelToConfig(m).className); // 'Sequential'
 * ```
 */
export function modelToConfig(model: LayersModel): ClassConfig {
  if (model instanceof Sequential) {
    const layers = model.sequentialLayers.map((l, i) => {
      if (l instanceof LayersModel) return modelToConfig(l) as unknown as ConfigValue;
      const config = layerConfig(l);
      if (i === 0 && !config.batchInputShape && model.batchInputShape) config.batchInputShape = [...model.batchInputShape];
      return { className: l.className, config } as unknown as ConfigValue;
    });
    return { className: 'Sequential', config: { name: model.name, layers } };
  }
  const own = new Set(model.graphNodes);
  // a node's index counts only this model's calls of the layer, in the order they were made
  // (a nested model's calls are numbered from 1, as Keras and TensorFlow.js number them: their node 0 is
  // the nested model's own graph)
  const nodeIndex = (node: LayerNode): number =>
    node.layer.nodes.filter((n) => own.has(n)).indexOf(node) + (node.layer instanceof LayersModel ? 1 : 0);
  const ref = (s: SymbolicTensor): TensorRef => [s.node!.layer.name, nodeIndex(s.node!), s.outputIndex];
  const layers = model.layers.map((l) => {
    const calls = l instanceof InputLayer ? [] : l.nodes.filter((n) => own.has(n));
    const config = l instanceof InputLayer
      ? { batchInputShape: [...l.batchInputShape!], dtype: l.dtype, sparse: false, name: l.name }
      : nestedOrLayerConfig(l);
    return {
      name: l.name, className: l instanceof LayersModel ? modelToConfig(l).className : l.className, config,
      inboundNodes: calls.map((n) => n.inputs.map((s) => [...ref(s), {}])),
    } as unknown as ConfigValue;
  });
  return {
    className: 'Model',
    config: {
      name: model.name, layers,
      inputLayers: model.inputs.map(ref) as unknown as ConfigValue,
      outputLayers: model.outputs.map(ref) as unknown as ConfigValue,
    },
  };
}

function nestedOrLayerConfig(l: Layer): ConfigDict {
  if (l instanceof LayersModel) return modelToConfig(l).config;
  const config = layerConfig(l);
  delete config.batchInputShape; // a graph's shapes come from its InputLayers
  return config;
}

interface LayerEntry {
  name?: string;
  className: string;
  config: ConfigDict;
  /** Keras 2: per call, the list of `[layer, node, tensor, kwargs]`; Keras 3: per call, `{args, kwargs}` */
  inboundNodes?: ([string, number, number, unknown?][] | Keras3Node)[];
}

/** A call of a layer as Keras 3 writes it: the call's arguments, tensors written as `__keras_tensor__` objects. */
interface Keras3Node {
  args: unknown[];
  kwargs?: Record<string, unknown>;
}

/** The `[layer, node, tensor]` of each tensor a call takes, in order, from either format. */
function callInputs(node: unknown, where: string, layer: string): TensorRef[] {
  if (Array.isArray(node)) return node.map((r) => [r[0], r[1], r[2]] as TensorRef);
  if (node && typeof node === 'object' && Array.isArray((node as Keras3Node).args)) {
    const refs: TensorRef[] = [];
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v === 'object' && (v as { className?: unknown }).className === '__keras_tensor__') {
        const h = (v as { config?: { kerasHistory?: unknown } }).config?.kerasHistory;
        if (!Array.isArray(h) || typeof h[0] !== 'string') {
          throw new Error(`${where}: layer "${layer}" has an input tensor without a keras_history [layer, node, tensor]`);
        }
        refs.push([h[0], Number(h[1]), Number(h[2])]);
      }
    };
    visit((node as Keras3Node).args);
    return refs;
  }
  throw new Error(`${where}: layer "${layer}" has an inbound node that is neither a list of [layer, node, tensor] ` +
    `(Keras 2) nor {args, kwargs} (Keras 3): ${JSON.stringify(node)?.slice(0, 200)}`);
}

/** Keras 3 writes a single model input or output as one `[layer, node, tensor]`, not a list of them. */
function refList(refs: unknown): TensorRef[] {
  if (!Array.isArray(refs)) return [];
  return refs.length > 0 && typeof refs[0] === 'string' ? [refs as unknown as TensorRef] : refs as TensorRef[];
}

/**
 * Rebuilds a model from `{className, config}` (camelCase); `where` names the file in errors.
 *
 * @example
 * ```ts
 * const m = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * const copy = st.modelFromConfig(st.modelToConfig(m)); // same architecture, fresh weights
 * console.log(copy.layers.length);
 * ```
 */
export function modelFromConfig(spec: ClassConfig, where = 'modelFromConfig'): LayersModel {
  const config = spec.config as unknown as { name?: string; layers?: LayerEntry[]; inputLayers?: TensorRef[]; outputLayers?: TensorRef[] };
  if (!config || !Array.isArray(config.layers)) {
    throw new Error(`${where}: model config has no layer list (expected config.layers)`);
  }
  if (spec.className === 'Sequential') return sequentialFromConfig(config.name, config.layers, where);
  if (spec.className === 'Model' || spec.className === 'Functional') return graphFromConfig({ ...config, layers: config.layers }, where);
  throw new Error(`${where}: unsupported model class "${spec.className}" (expected Sequential, Model or Functional)`);
}

function sequentialFromConfig(name: string | undefined, entries: LayerEntry[], where: string): Sequential {
  const model = new Sequential({ name });
  for (const entry of entries) {
    const layer = entry.className === 'Sequential' || entry.className === 'Model' || entry.className === 'Functional'
      ? modelFromConfig(entry, where) : deserializeLayer(entry, where);
    model.add(layer);
  }
  return model;
}

function graphFromConfig(
  config: { name?: string; layers: LayerEntry[]; inputLayers?: TensorRef[]; outputLayers?: TensorRef[] }, where: string,
): LayersModel {
  const layers = new Map<string, Layer>();
  /** outputs of each call made so far: `${layer}#${nodeIndex}` */
  const made = new Map<string, SymbolicTensor[]>();
  const pending: { layer: Layer; node: number; inputs: TensorRef[] }[] = [];
  let keras3File = false;
  const nestedFunctional = new Set<string>();
  const nestedModels = new Set<string>();
  for (const entry of config.layers) {
    const name = entry.name ?? (entry.config?.name as string);
    const isModel = entry.className === 'Sequential' || entry.className === 'Model' || entry.className === 'Functional';
    const layer = isModel ? modelFromConfig(entry, where) : deserializeLayer(entry, where);
    layers.set(name, layer);
    if (layer instanceof InputLayer) made.set(`${name}#0`, [layer.output]);
    // Keras 2 and TensorFlow.js number a nested model's calls from 1 (its node 0 is its own inner
    // graph). Keras 3 numbers them from 0 in the calls' keras_history, but from 1 for a nested
    // Functional model in input_layers/output_layers (see `find`)
    const calls = entry.inboundNodes ?? [];
    const keras3 = calls.some((c) => !Array.isArray(c));
    if (keras3) keras3File = true;
    if (isModel && entry.className !== 'Sequential') nestedFunctional.add(name);
    const first = isModel && !keras3 ? 1 : 0;
    if (isModel) nestedModels.add(name);
    calls.forEach((call, node) => pending.push({ layer, node: first + node, inputs: callInputs(call, where, name) }));
  }
  // striate before 2026-12-05 numbered a nested model's calls from 0. Keras and TensorFlow.js never
  // name node 0 of a nested model (it is the model's inner graph), so a file that does is one of
  // those: its nested calls are renumbered, and the files it saved keep loading.
  const namesNodeZero = (refs: TensorRef[]): boolean => refs.some(([l, n]) => nestedModels.has(l) && n === 0);
  if (!keras3File && (pending.some((p) => namesNodeZero(p.inputs)) || namesNodeZero(refList(config.outputLayers)))) {
    for (const p of pending) if (nestedModels.has(p.layer.name)) p.node -= 1;
  }
  // apply calls whose inputs exist, until all are made (Keras' files list layers in an order where one pass suffices)
  while (pending.length > 0) {
    const i = pending.findIndex((p) => p.inputs.every(([l, n]) => made.has(`${l}#${n}`)));
    if (i < 0) {
      const p = pending[0];
      const missing = p.inputs.find(([l, n]) => !made.has(`${l}#${n}`))!;
      throw new Error(`${where}: layer "${p.layer.name}" takes input from "${missing[0]}" (node ${missing[1]}), ` +
        `which ${layers.has(missing[0]) ? 'is never computed' : 'is not in the model'}`);
    }
    const [p] = pending.splice(i, 1);
    const xs = p.inputs.map(([l, n, t]) => made.get(`${l}#${n}`)![t]);
    const y: SymbolicTensor | SymbolicTensor[] = xs.length === 1 ? p.layer.apply(xs[0]) : p.layer.apply(xs);
    made.set(`${p.layer.name}#${p.node}`, Array.isArray(y) ? y : [y]);
  }
  const find = (r: TensorRef, what: string): SymbolicTensor => {
    const node = keras3File && nestedFunctional.has(r[0]) ? r[1] - 1 : r[1];
    const outs = made.get(`${r[0]}#${node}`);
    if (!outs?.[r[2]]) throw new Error(`${where}: model ${what} "${r[0]}" (node ${r[1]}, tensor ${r[2]}) is not in the graph`);
    return outs[r[2]];
  };
  return new LayersModel({
    name: config.name,
    inputs: refList(config.inputLayers).map((r) => find(r, 'input')),
    outputs: refList(config.outputLayers).map((r) => find(r, 'output')),
  });
}

registerLayerClass('Sequential', (args) => modelFromConfig({ className: 'Sequential', config: args as ConfigDict }));
registerLayerClass('Model', (args) => modelFromConfig({ className: 'Model', config: args as ConfigDict }));
registerLayerClass('Functional', (args) => modelFromConfig({ className: 'Functional', config: args as ConfigDict }));

declare module './model.js' {
  interface LayersModel {
    /** The model's topology as model.json's `modelTopology` (a JSON string unless returnString is false), as in TensorFlow.js. */
    toJSON(unused?: unknown, returnString?: boolean): string | Record<string, unknown>;
  }
}

// model.ts cannot import this file (it imports model.ts), so a model's config is attached here
Object.defineProperty(LayersModel.prototype, 'getConfig', {
  value: function getConfig(this: LayersModel): Record<string, unknown> { return modelToConfig(this).config; },
  writable: true, configurable: true,
});
Object.defineProperty(LayersModel.prototype, 'toJSON', {
  value: function toJSON(this: LayersModel, _unused?: unknown, returnString = true): string | Record<string, unknown> {
    const topology = {
      ...(toPythonic(modelToConfig(this)) as Record<string, unknown>), keras_version: `striate ${version}`, backend: 'tensor_flow.js',
    };
    return returnString ? JSON.stringify(topology) : topology;
  },
  writable: true, configurable: true,
});
