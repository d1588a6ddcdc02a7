/**
 * `st.io.toOnnx(model)`: a model as ONNX (a serialized ModelProto) for ONNX Runtime and other
 * ONNX readers. The graph takes and returns tensors exactly as `model.predict` does (channels-last
 * images, batch first, the batch size left free) and computes what predict computes: inference
 * mode, so dropout is gone and batch normalization uses its moving statistics.
 */
import type { Layer, Shape } from '../nn/layer.js';
import { InputLayer, LayersModel } from '../nn/model.js';
import { version } from '../version.js';
import { encodeModelProto, DataType } from './onnx_schema.js';
import { GraphBuilder, type Value } from './onnx_graph.js';
import { layerExport, SUPPORTED_LAYERS } from './onnx_layers.js';

export interface OnnxExportOptions {
  /** the default-domain opset the graph declares, 13 to 17 (default 17) */
  opsetVersion?: number;
  /** the name of the free batch dimension in the inputs' and outputs' shapes (default 'batch') */
  batchDimName?: string;
  /** a description stored in the file */
  docString?: string;
}

/** IR version 8 (ONNX 1.10) reads every opset from 13 to 17. */
const IR_VERSION = 8;

function valueInfo(name: string, shape: Shape, batchDimName: string): Record<string, unknown> {
  return {
    name,
    type: {
      tensorType: {
        elemType: DataType.FLOAT,
        shape: { dim: shape.map((d, i) => (d === null ? { dimParam: i === 0 ? batchDimName : `${name}_dim${i}` } : { dimValue: d })) },
      },
    },
  };
}

function unsupported(layer: Layer): Error {
  return new Error(`toOnnx: layer "${layer.name}" (${layer.className}) has no ONNX export; ` +
    `supported layer classes: ${SUPPORTED_LAYERS.join(', ')}`);
}

/** Every layer is checked before any weight is read, so the error names the first unsupported one. */
function checkLayers(model: LayersModel): void {
  for (const node of model.graphNodes) {
    if (node.layer instanceof LayersModel) checkLayers(node.layer);
    else if (!(node.layer instanceof InputLayer) && !layerExport(node.layer)) throw unsupported(node.layer);
  }
}

/** Writes `model`'s layers on `inputs`; a model used as a layer (transfer learning) is written inline. */
function exportGraph(g: GraphBuilder, model: LayersModel, inputs: Value[]): Value[] {
  const values = new Map<number, Value>();
  model.inputs.forEach((s, i) => values.set(s.id, inputs[i]));
  for (const node of model.graphNodes) {
    if (node.layer instanceof InputLayer) continue;
    const ins = node.inputs.map((s) => values.get(s.id)!);
    const outShapes = node.outputs.map((s) => s.shape);
    const outs = node.layer instanceof LayersModel
      ? exportGraph(g, node.layer, ins).map((v, i) => ({ ...v, shape: outShapes[i] }))
      : layerExport(node.layer)!(g, node.layer, ins, outShapes);
    node.outputs.forEach((s, i) => values.set(s.id, outs[i]));
  }
  return model.outputs.map((s) => values.get(s.id)!);
}

/**
 * The model as ONNX bytes (a ModelProto). Throws naming the first layer that has no ONNX form.
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 2, inputShape: [3] })] });
 * const bytes = st.io.toOnnx(model); // write it to model.onnx for ONNX Runtime
 * console.log(bytes.length);
 * ```
 */
export function toOnnx(model: LayersModel, options: OnnxExportOptions = {}): Uint8Array {
  if (!(model instanceof LayersModel)) throw new Error('toOnnx: expected a model (st.sequential or st.model)');
  const opset = options.opsetVersion ?? 17;
  if (!Number.isInteger(opset) || opset < 13 || opset > 17) {
    throw new Error(`toOnnx: opsetVersion must be an integer from 13 to 17, got ${JSON.stringify(options.opsetVersion)}`);
  }
  const batchDimName = options.batchDimName ?? 'batch';
  if (!model.built || model.inputs.length === 0) {
    throw new Error(`toOnnx: model "${model.name}" is not built yet; give its first layer an inputShape or call it on data first`);
  }
  checkLayers(model);

  const g = new GraphBuilder();
  const inputValues: Value[] = [];
  const inputs = model.inputs.map((s) => {
    const name = g.fresh(s.sourceLayer!.name);
    inputValues.push({ shape: s.shape, last: name });
    return valueInfo(name, s.shape, batchDimName);
  });
  const outputValues = exportGraph(g, model, inputValues);
  const outputs = model.outputs.map((s, k) => {
    const v = outputValues[k];
    const name = g.fresh(`${s.sourceLayer!.name}_output`);
    g.nodes.push({ opType: 'Identity', input: [g.last(v, s.sourceLayer!.name)], output: [name], name: g.fresh(`${name}/Identity`), attribute: [] });
    return valueInfo(name, s.shape, batchDimName);
  });

  return encodeModelProto({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: opset }],
    producerName: 'striate',
    producerVersion: version,
    docString: options.docString ?? '',
    graph: { name: model.name, node: g.nodes, initializer: g.initializers, input: inputs, output: outputs },
  });
}
