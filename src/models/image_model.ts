/**
 * What the ImageNet-style zoo models (AlexNet, VGG, ResNet, Inception) share: the options a
 * Keras `applications` user expects, the classifier top, and the width multiplier.
 */
import type { SymbolicTensor } from '../nn/layer.js';
import { input } from '../nn/model.js';
import { layers } from '../nn/layers/index.js';
import type { ActivationIdentifier } from '../nn/activations.js';

export interface ImageModelArgs {
  /** one image's shape, [height, width, channels]; each model states its default and smallest size */
  inputShape?: number[];
  /** classes of the classifier (default 1000, ImageNet's) */
  classes?: number;
  /** the classifier on top (default true); false ends at the last feature map or at `pooling` */
  includeTop?: boolean;
  /** without the top: 'avg' or 'max' pools the last feature map to one vector per image */
  pooling?: 'avg' | 'max' | null;
  /** the classifier's activation (default 'softmax'; null or 'linear' gives logits) */
  classifierActivation?: ActivationIdentifier | null;
  /** scales every layer's filters (and hidden dense units) for small, quick variants (default 1) */
  widthMultiplier?: number;
  name?: string;
}

/** Checks the options every image model shares; `where` names the model in errors. */
export function checkImageArgs(where: string, args: ImageModelArgs, defaultShape: number[], minSize: number):
  { inputShape: number[]; classes: number; alpha: number } {
  const inputShape = args.inputShape ?? defaultShape;
  const { classes = 1000, widthMultiplier: alpha = 1 } = args;
  if (!Array.isArray(inputShape) || inputShape.length !== 3 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`models.${where}: inputShape must be [height, width, channels] of positive integers, got ${JSON.stringify(inputShape)}`);
  }
  if (inputShape[0] < minSize || inputShape[1] < minSize) {
    throw new Error(`models.${where}: images must be at least ${minSize}x${minSize}, got ${inputShape[0]}x${inputShape[1]}`);
  }
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`models.${where}: classes must be a positive integer, got ${classes}`);
  if (!(typeof alpha === 'number' && alpha > 0 && Number.isFinite(alpha))) {
    throw new Error(`models.${where}: widthMultiplier must be a positive number, got ${alpha}`);
  }
  if (args.pooling != null && args.pooling !== 'avg' && args.pooling !== 'max') {
    throw new Error(`models.${where}: pooling must be 'avg', 'max' or null, got ${JSON.stringify(args.pooling)}`);
  }
  return { inputShape, classes, alpha };
}

/** `n` units or filters scaled by the width multiplier, never below one. */
export function widthOf(n: number, alpha: number): number {
  return Math.max(1, Math.round(n * alpha));
}

export function imageInput(inputShape: number[], name = 'input_layer'): SymbolicTensor {
  return input({ shape: inputShape, name });
}

/**
 * The top of the networks that end in global pooling (ResNet, Inception): Keras' avg_pool and
 * predictions layers with the top, else the optional pooling.
 */
export function pooledTop(x: SymbolicTensor, args: ImageModelArgs, classes: number): SymbolicTensor {
  if (args.includeTop ?? true) {
    x = layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x);
    return classifier(x, args, classes);
  }
  return poolFeatures(x, args);
}

/** Without the top: the pooled feature vector, or the feature map itself. */
export function poolFeatures(x: SymbolicTensor, args: ImageModelArgs): SymbolicTensor {
  if (args.pooling === 'avg') return layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x);
  if (args.pooling === 'max') return layers.globalMaxPooling2d({ name: 'max_pool' }).apply(x);
  return x;
}

export function classifier(x: SymbolicTensor, args: ImageModelArgs, classes: number): SymbolicTensor {
  const activation = args.classifierActivation === undefined ? 'softmax' : args.classifierActivation ?? 'linear';
  return layers.dense({ units: classes, activation, name: 'predictions' }).apply(x);
}
