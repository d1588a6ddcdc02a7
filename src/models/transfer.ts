/**
 * Transfer learning helpers for the seeds' "what if you do not have much data": a linear
 * classifier (logistic regression) to train on features a frozen network extracts, and
 * `fineTune`, which keeps a trained network's body, freezes its first layers and puts a new
 * softmax head on it for a new task.
 */
import '../nn/transfer.js'; // featureExtractor and freezeUpTo on models
import { model, sequential, type LayersModel, type Sequential } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';
import type { SymbolicTensor } from '../nn/layer.js';

export interface LogisticRegressionArgs {
  /** features per sample */
  inputDim: number;
  /** number of classes (a softmax over them) */
  classes: number;
  /** L2 penalty on the weights (default none) */
  l2?: number;
  name?: string;
}

/**
 * Multinomial logistic regression: one Dense softmax layer, to compile with categoricalCrossentropy.
 *
 * @example
 * ```ts
 * const model = st.models.logisticRegression({ inputDim: 2, classes: 2 });
 * model.predict(st.ones([1, 2])).print();
 * ```
 */
export function logisticRegression(args: LogisticRegressionArgs): Sequential {
  const { inputDim, classes } = args ?? ({} as LogisticRegressionArgs);
  for (const [key, value] of [['inputDim', inputDim], ['classes', classes]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`models.logisticRegression: ${key} must be a positive integer, got ${JSON.stringify(value)}`);
    }
  }
  const kernelRegularizer = args.l2 === undefined ? undefined : { className: 'L2', config: { l2: args.l2 } };
  return sequential({
    name: args.name ?? 'logistic_regression',
    layers: [layers.dense({ units: classes, activation: 'softmax', inputShape: [inputDim], kernelRegularizer })],
  });
}

export interface FineTuneArgs {
  /** classes of the new softmax head */
  classes: number;
  /** freeze every layer of the base from the first through this one (default: freeze nothing) */
  freezeUpTo?: string;
  /** the layer whose output feeds the new head (default: the input of the base's last Dense layer) */
  featureLayer?: string;
  name?: string;
}

/**
 * A model that is `base` up to its features with a new `classes`-way softmax head. The body's
 * layers are the base's own (shared, not copied), so training the new model changes them in
 * the base too; load a second copy of the base to keep one untouched.
 *
 * @example
 * ```ts
 * const base = st.models.mlp({ inputShape: [4], units: [8], classes: 3 });
 * const tuned = st.models.fineTune(base, { classes: 2 });
 * console.log(tuned.outputs[0].shape); // [null, 2]
 * ```
 */
export function fineTune(base: LayersModel, args: FineTuneArgs): LayersModel {
  if (!base || typeof (base as LayersModel).featureExtractor !== 'function') {
    throw new Error('models.fineTune: expected a built model as the base (a Sequential or st.model)');
  }
  const { classes } = args ?? ({} as FineTuneArgs);
  if (!Number.isInteger(classes) || classes < 1) {
    throw new Error(`models.fineTune: classes must be a positive integer, got ${JSON.stringify(classes)}`);
  }
  const body = base.featureExtractor(args.featureLayer);
  if (body.outputs.length !== 1) {
    throw new Error(`models.fineTune: the feature layer must have one output, "${args.featureLayer}" has ${body.outputs.length}`);
  }
  let features: SymbolicTensor = body.outputs[0];
  // a convolutional layer's maps are flattened for the dense head
  if (features.rank > 2) features = layers.flatten().apply(features);
  const head = layers.dense({ units: classes, activation: 'softmax' }).apply(features);
  const tuned = model({ inputs: base.inputs, outputs: head, name: args.name });
  if (args.freezeUpTo !== undefined) tuned.freezeUpTo(args.freezeUpTo);
  return tuned;
}
