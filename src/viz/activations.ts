/**
 * Every layer's output for one input, by walking the model's graph in order and keeping each
 * node's result (the model only returns its outputs). Viz keeps this helper of its own so that
 * pictures need nothing but a built model; it takes the model through type-only imports.
 */
import { Tensor } from '../tensor/tensor.js';
import { shareStorage } from '../tensor/engine.js';
import type { Layer, LayerNode } from '../nn/layer.js';
import type { LayersModel } from '../nn/model.js';

export interface LayerActivation {
  layer: Layer;
  /** the layer's output (batch of 1 from activations(), the whole batch from runGraph()) */
  output: Tensor;
}

/** The input as a batch of one: a tensor already [1, ...] or one sample without the batch axis. */
export function asBatchOfOne(model: LayersModel, input: Tensor, where: string): Tensor {
  if (!(input instanceof Tensor)) throw new Error(`${where}: expected the input as a Tensor, got ${typeof input}`);
  const want = model.inputs[0]?.shape ?? model.batchInputShape;
  if (want && input.rank === want.length - 1) return shareStorage(input, [1, ...input.shape]);
  if (input.shape[0] !== 1) {
    throw new Error(`${where}: expected one sample (shape [1, ...] or the model's input shape without the batch axis), ` +
      `got shape [${input.shape.join(', ')}]`);
  }
  return input;
}

function takesList(layer: Layer): boolean {
  return (layer as Layer & { takesList?: boolean }).takesList === true;
}

/**
 * The output of every layer call (InputLayer included: its output is the input), in graph
 * order, for one input sample. Runs with training: false, so dropout passes values through.
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 2, inputShape: [3] })] });
 * console.log(st.viz.activations(model, st.ones([1, 3])).length); // one entry per layer
 * ```
 */
export function activations(model: LayersModel, input: Tensor): LayerActivation[] {
  const where = `viz.activations (model "${model?.name}")`;
  checkModel(model, where);
  return runGraph(model, asBatchOfOne(model, input, where));
}

function checkModel(model: LayersModel, where: string): void {
  if (!model || typeof model.execute !== 'function') throw new Error(`${where}: expected a model (st.sequential or st.model)`);
  if (model.inputs.length > 1) throw new Error(`${where}: models with ${model.inputs.length} inputs are not supported; expected one`);
}

/** Every layer's output for a whole batch `x` (for pictures over a grid of inputs). */
export function runGraph(model: LayersModel, x: Tensor): LayerActivation[] {
  checkModel(model, `viz (model "${model?.name}")`);
  // a Sequential without an input shape builds its graph on its first call
  if (model.graphNodes.length === 0) model.execute(x, { training: false });
  const values = new Map<number, Tensor>();
  values.set(model.inputs[0].id, x);
  const out: LayerActivation[] = [];
  for (const node of model.graphNodes as readonly LayerNode[]) {
    if (node.layer.className === 'InputLayer') {
      out.push({ layer: node.layer, output: x });
      continue;
    }
    const ins = node.inputs.map((s) => values.get(s.id)!);
    const arg = takesList(node.layer) || ins.length > 1 ? ins : ins[0];
    const result = (node.layer.apply as (v: Tensor | Tensor[], a: { training: boolean }) => Tensor | Tensor[])(arg, { training: false });
    const outs = Array.isArray(result) ? result : [result];
    node.outputs.forEach((s, i) => values.set(s.id, outs[i]));
    out.push({ layer: node.layer, output: outs[0] });
  }
  return out;
}

/**
 * The output of the named layer for one input (its first call, if the layer is shared).
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 2, inputShape: [3], name: 'hidden' })] });
 * st.viz.layerOutput(model, st.ones([1, 3]), 'hidden').print();
 * ```
 */
export function layerOutput(model: LayersModel, input: Tensor, layerName: string): Tensor {
  const all = activations(model, input);
  const hit = all.find((a) => a.layer.name === layerName);
  if (!hit) {
    throw new Error(`viz: model "${model.name}" has no layer "${layerName}"; its layers are ${all.map((a) => a.layer.name).join(', ')}`);
  }
  return hit.output;
}
