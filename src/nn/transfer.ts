/**
 * Transfer learning on models (the seeds' "what if you do not have much data"): a network
 * trained on one task as a feature extractor for another, and freezing its first layers to
 * fine-tune the rest. Adds `featureExtractor` and `freezeUpTo` to `LayersModel` (and so to
 * `Sequential`); both work on the model's own graph, so nothing is copied: the new model's
 * layers are the old model's layers, weights included.
 */
import type { Layer, LayerNode, SymbolicTensor } from './layer.js';
import { InputLayer, LayersModel } from './model.js';

declare module './model.js' {
  interface LayersModel {
    /**
     * A model from this model's inputs to the output of `layerName` (default: the input of the
     * last Dense layer, i.e. the features the classifier reads). It shares this model's layers.
     */
    featureExtractor(layerName?: string): LayersModel;
    /**
     * Freezes (`trainable = false`) every layer from the first through `layerName`, in
     * `model.layers` order, and returns them (input layers aside); later layers are left as they are.
     */
    freezeUpTo(layerName: string): Layer[];
  }
}

/** The one call of `layer` in `model`'s graph (a shared layer called twice has no single output). */
function nodeOf(model: LayersModel, layerName: string): LayerNode {
  const layer = model.getLayer(layerName); // throws, listing the names, when there is none
  const calls = model.graphNodes.filter((n) => n.layer === layer);
  if (calls.length !== 1) {
    throw new Error(`model "${model.name}".featureExtractor: layer "${layerName}" is called ${calls.length} times in ` +
      'the graph, so its output is ambiguous; build the model with st.model({inputs, outputs}) from the call you want');
  }
  return calls[0];
}

/** The symbolic tensors a feature extractor ends at. */
function featureOutputs(model: LayersModel, layerName?: string): SymbolicTensor[] {
  if (model.graphNodes.length === 0) {
    throw new Error(`model "${model.name}".featureExtractor: the model is not built yet; give its first layer an ` +
      'inputShape or call it on data first');
  }
  if (layerName !== undefined) return nodeOf(model, layerName).outputs;
  const dense = model.graphNodes.filter((n) => n.layer.className === 'Dense');
  if (dense.length === 0) {
    throw new Error(`model "${model.name}".featureExtractor: there is no Dense layer whose input to take; name a layer ` +
      `(${model.layers.map((l) => l.name).join(', ')})`);
  }
  return dense[dense.length - 1].inputs;
}

function featureExtractor(this: LayersModel, layerName?: string): LayersModel {
  if (layerName !== undefined && typeof layerName !== 'string') {
    throw new Error(`model "${this.name}".featureExtractor: expected a layer name, got ${JSON.stringify(layerName)}`);
  }
  const outputs = featureOutputs(this, layerName);
  // the name is made unique so that several extractors of one model can live side by side
  return new LayersModel({ inputs: this.inputs, outputs: outputs.length === 1 ? outputs[0] : outputs }, `${this.name}_features`);
}

function freezeUpTo(this: LayersModel, layerName: string): Layer[] {
  const last = this.getLayer(layerName);
  // an input layer has nothing to freeze (and model files do not record its flag)
  const frozen = this.layers.slice(0, this.layers.indexOf(last) + 1).filter((l) => !(l instanceof InputLayer));
  for (const layer of frozen) layer.trainable = false;
  return frozen;
}

const proto = LayersModel.prototype as unknown as Record<string, unknown>;
for (const [name, fn] of Object.entries({ featureExtractor, freezeUpTo })) {
  Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
}
