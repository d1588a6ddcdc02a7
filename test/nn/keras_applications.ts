/**
 * ImageNet architectures as keras.applications (tf.keras 2.x) defines them, rebuilt with
 * TensorFlow.js' layers API: the same layer classes, order, options and layer names (the
 * automatic names Keras gives unnamed layers too), so that TensorFlow.js' saved file is the
 * converter's file for the Keras model. To keep the tests fast, the channel counts can be scaled:
 * MobileNet's `alpha` and EfficientNet's width coefficient are Keras' own knobs; for ResNet50,
 * VGG16, InceptionV3 and DenseNet121 `width` scales every filter count (1 = Keras' model).
 * EfficientNet's Normalization layer is left out (TensorFlow.js has no such layer).
 */
import { tfl } from '../io/tfjs_interop.js';

type Sym = tfl.SymbolicTensor;
type Pad = [[number, number], [number, number]];
const L = tfl.layers;

/** Keras' automatic layer names: conv2d, conv2d_1, batch_normalization, ... */
class AutoNames {
  private counts = new Map<string, number>();
  next(base: string): string {
    const n = this.counts.get(base) ?? 0;
    this.counts.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  }
}

/** imagenet_utils.correct_pad: the padding before a strided 'valid' convolution, for even and odd sizes. */
function correctPad(x: Sym, kernel: number): Pad {
  const [h, w] = [x.shape[1] as number, x.shape[2] as number];
  const c = Math.floor(kernel / 2);
  return [[c - (1 - (h % 2)), c], [c - (1 - (w % 2)), c]];
}

function makeDivisible(v: number, divisor = 8): number {
  let n = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (n < 0.9 * v) n += divisor;
  return n;
}

const apply = (layer: tfl.layers.Layer, x: Sym | Sym[]): Sym => layer.apply(x) as Sym;
const scale = (filters: number, width: number): number => Math.max(1, Math.round(filters * width));

// ---------------------------------------------------------------- MobileNet v1
export function mobileNet(size: number, alpha: number, classes: number): tfl.LayersModel {
  const input = tfl.input({ shape: [size, size, 3], name: 'input_1' });
  let x = apply(L.conv2d({ filters: Math.trunc(32 * alpha), kernelSize: 3, padding: 'same', useBias: false, strides: 2, name: 'conv1' }), input);
  x = apply(L.batchNormalization({ axis: -1, name: 'conv1_bn' }), x);
  x = apply(L.reLU({ maxValue: 6, name: 'conv1_relu' }), x);
  const block = (filters: number, id: number, strides = 1): void => {
    if (strides !== 1) x = apply(L.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: `conv_pad_${id}` }), x);
    x = apply(L.depthwiseConv2d({ kernelSize: 3, padding: strides === 1 ? 'same' : 'valid', depthMultiplier: 1, strides,
      useBias: false, name: `conv_dw_${id}` }), x);
    x = apply(L.batchNormalization({ axis: -1, name: `conv_dw_${id}_bn` }), x);
    x = apply(L.reLU({ maxValue: 6, name: `conv_dw_${id}_relu` }), x);
    x = apply(L.conv2d({ filters: Math.trunc(filters * alpha), kernelSize: 1, padding: 'same', useBias: false, strides: 1,
      name: `conv_pw_${id}` }), x);
    x = apply(L.batchNormalization({ axis: -1, name: `conv_pw_${id}_bn` }), x);
    x = apply(L.reLU({ maxValue: 6, name: `conv_pw_${id}_relu` }), x);
  };
  block(64, 1);
  block(128, 2, 2); block(128, 3);
  block(256, 4, 2); block(256, 5);
  block(512, 6, 2); for (let id = 7; id <= 11; id++) block(512, id);
  block(1024, 12, 2); block(1024, 13);
  const channels = Math.trunc(1024 * alpha);
  x = apply(L.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
  x = apply(L.reshape({ targetShape: [1, 1, channels], name: 'reshape_1' }), x);
  x = apply(L.dropout({ rate: 1e-3, name: 'dropout' }), x);
  x = apply(L.conv2d({ filters: classes, kernelSize: 1, padding: 'same', name: 'conv_preds' }), x);
  x = apply(L.reshape({ targetShape: [classes], name: 'reshape_2' }), x);
  x = apply(L.activation({ activation: 'softmax', name: 'predictions' }), x);
  return tfl.model({ inputs: input, outputs: x, name: `mobilenet_${alpha}_${size}` });
}

// ---------------------------------------------------------------- MobileNet v2
export function mobileNetV2(size: number, alpha: number, classes: number): tfl.LayersModel {
  const input = tfl.input({ shape: [size, size, 3], name: 'input_1' });
  const bn = (name: string): tfl.layers.Layer => L.batchNormalization({ axis: -1, epsilon: 1e-3, momentum: 0.999, name });
  let x = apply(L.conv2d({ filters: makeDivisible(32 * alpha), kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1' }), input);
  x = apply(bn('bn_Conv1'), x);
  x = apply(L.reLU({ maxValue: 6, name: 'Conv1_relu' }), x);
  const block = (filters: number, stride: number, expansion: number, id: number): void => {
    const inputs = x;
    const inChannels = x.shape[3] as number;
    const pointwise = makeDivisible(Math.trunc(filters * alpha));
    let prefix = `block_${id}_`;
    if (id) {
      x = apply(L.conv2d({ filters: expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand` }), x);
      x = apply(bn(`${prefix}expand_BN`), x);
      x = apply(L.reLU({ maxValue: 6, name: `${prefix}expand_relu` }), x);
    } else {
      prefix = 'expanded_conv_';
    }
    if (stride === 2) x = apply(L.zeroPadding2d({ padding: correctPad(x, 3), name: `${prefix}pad` }), x);
    x = apply(L.depthwiseConv2d({ kernelSize: 3, strides: stride, useBias: false, padding: stride === 1 ? 'same' : 'valid',
      name: `${prefix}depthwise` }), x);
    x = apply(bn(`${prefix}depthwise_BN`), x);
    x = apply(L.reLU({ maxValue: 6, name: `${prefix}depthwise_relu` }), x);
    x = apply(L.conv2d({ filters: pointwise, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project` }), x);
    x = apply(bn(`${prefix}project_BN`), x);
    if (inChannels === pointwise && stride === 1) x = apply(L.add({ name: `${prefix}add` }), [inputs, x]);
  };
  const spec: [number, number, number][] = [[16, 1, 1], [24, 2, 6], [24, 1, 6], [32, 2, 6], [32, 1, 6], [32, 1, 6], [64, 2, 6],
    [64, 1, 6], [64, 1, 6], [64, 1, 6], [96, 1, 6], [96, 1, 6], [96, 1, 6], [160, 2, 6], [160, 1, 6], [160, 1, 6], [320, 1, 6]];
  spec.forEach(([f, s, e], id) => block(f, s, e, id));
  const last = alpha > 1 ? makeDivisible(1280 * alpha) : 1280;
  x = apply(L.conv2d({ filters: last, kernelSize: 1, useBias: false, name: 'Conv_1' }), x);
  x = apply(bn('Conv_1_bn'), x);
  x = apply(L.reLU({ maxValue: 6, name: 'out_relu' }), x);
  x = apply(L.globalAveragePooling2d({ name: 'global_average_pooling2d' }), x);
  x = apply(L.dense({ units: classes, activation: 'softmax', name: 'predictions' }), x);
  return tfl.model({ inputs: input, outputs: x, name: `mobilenetv2_${alpha}_${size}` });
}

// ---------------------------------------------------------------- ResNet50
export function resNet50(size: number, width: number, classes: number): tfl.LayersModel {
  const f = (n: number): number => scale(n, width);
  const bn = (name: string): tfl.layers.Layer => L.batchNormalization({ axis: 3, epsilon: 1.001e-5, name });
  const input = tfl.input({ shape: [size, size, 3], name: 'input_1' });
  let x = apply(L.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: 'conv1_pad' }), input);
  x = apply(L.conv2d({ filters: f(64), kernelSize: 7, strides: 2, useBias: true, name: 'conv1_conv' }), x);
  x = apply(bn('conv1_bn'), x);
  x = apply(L.activation({ activation: 'relu', name: 'conv1_relu' }), x);
  x = apply(L.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: 'pool1_pad' }), x);
  x = apply(L.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1_pool' }), x);
  const block1 = (filters: number, stride: number, convShortcut: boolean, name: string): void => {
    let shortcut = x;
    if (convShortcut) {
      shortcut = apply(L.conv2d({ filters: 4 * filters, kernelSize: 1, strides: stride, name: `${name}_0_conv` }), x);
      shortcut = apply(bn(`${name}_0_bn`), shortcut);
    }
    let y = apply(L.conv2d({ filters, kernelSize: 1, strides: stride, name: `${name}_1_conv` }), x);
    y = apply(bn(`${name}_1_bn`), y);
    y = apply(L.activation({ activation: 'relu', name: `${name}_1_relu` }), y);
    y = apply(L.conv2d({ filters, kernelSize: 3, padding: 'same', name: `${name}_2_conv` }), y);
    y = apply(bn(`${name}_2_bn`), y);
    y = apply(L.activation({ activation: 'relu', name: `${name}_2_relu` }), y);
    y = apply(L.conv2d({ filters: 4 * filters, kernelSize: 1, name: `${name}_3_conv` }), y);
    y = apply(bn(`${name}_3_bn`), y);
    y = apply(L.add({ name: `${name}_add` }), [shortcut, y]);
    x = apply(L.activation({ activation: 'relu', name: `${name}_out` }), y);
  };
  const stack1 = (filters: number, blocks: number, stride1: number, name: string): void => {
    block1(filters, stride1, true, `${name}_block1`);
    for (let i = 2; i <= blocks; i++) block1(filters, 1, false, `${name}_block${i}`);
  };
  stack1(f(64), 3, 1, 'conv2');
  stack1(f(128), 4, 2, 'conv3');
  stack1(f(256), 6, 2, 'conv4');
  stack1(f(512), 3, 2, 'conv5');
  x = apply(L.globalAveragePooling2d({ name: 'avg_pool' }), x);
  x = apply(L.dense({ units: classes, activation: 'softmax', name: 'predictions' }), x);
  return tfl.model({ inputs: input, outputs: x, name: 'resnet50' });
}

// ---------------------------------------------------------------- VGG16
export function vgg16(size: number, width: number, classes: number): tfl.LayersModel {
  const input = tfl.input({ shape: [size, size, 3], name: 'input_1' });
  let x = input;
  const blocks: [number, number][] = [[64, 2], [128, 2], [256, 3], [512, 3], [512, 3]];
  blocks.forEach(([filters, convs], b) => {
    for (let c = 1; c <= convs; c++) {
      x = apply(L.conv2d({ filters: scale(filters, width), kernelSize: 3, activation: 'relu', padding: 'same',
        name: `block${b + 1}_conv${c}` }), x);
    }
    x = apply(L.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }), x);
  });
  x = apply(L.flatten({ name: 'flatten' }), x);
  x = apply(L.dense({ units: scale(4096, width), activation: 'relu', name: 'fc1' }), x);
  x = apply(L.dense({ units: scale(4096, width), activation: 'relu', name: 'fc2' }), x);
  x = apply(L.dense({ units: classes, activation: 'softmax', name: 'predictions' }), x);
  return tfl.model({ inputs: input, outputs: x, name: 'vgg16' });
}

// ---------------------------------------------------------------- InceptionV3
export function inceptionV3(size: number, width: number, classes: number): tfl.LayersModel {
  const names = new AutoNames();
  const input = tfl.input({ shape: [size, size, 3], name: 'input_1' });
  const convBn = (x: Sym, filters: number, rows: number, cols: number, padding: 'same' | 'valid' = 'same', strides = 1): Sym => {
    let y = apply(L.conv2d({ filters: scale(filters, width), kernelSize: [rows, cols], strides, padding, useBias: false,
      name: names.next('conv2d') }), x);
    y = apply(L.batchNormalization({ axis: 3, scale: false, name: names.next('batch_normalization') }), y);
    return apply(L.activation({ activation: 'relu', name: names.next('activation') }), y);
  };
  const maxPool = (x: Sym): Sym => apply(L.maxPooling2d({ poolSize: 3, strides: 2, name: names.next('max_pooling2d') }), x);
  const avgPool = (x: Sym): Sym =>
    apply(L.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', name: names.next('average_pooling2d') }), x);
  const concat = (xs: Sym[], name?: string): Sym => apply(L.concatenate({ axis: 3, name: name ?? names.next('concatenate') }), xs);

  let x = convBn(input, 32, 3, 3, 'valid', 2);
  x = convBn(x, 32, 3, 3, 'valid');
  x = convBn(x, 64, 3, 3);
  x = maxPool(x);
  x = convBn(x, 80, 1, 1, 'valid');
  x = convBn(x, 192, 3, 3, 'valid');
  x = maxPool(x);
  // mixed 0, 1, 2
  [32, 64, 64].forEach((pool, i) => {
    const b1 = convBn(x, 64, 1, 1);
    const b5 = convBn(convBn(x, 48, 1, 1), 64, 5, 5);
    const b3 = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const bp = convBn(avgPool(x), pool, 1, 1);
    x = concat([b1, b5, b3, bp], `mixed${i}`);
  });
  // mixed 3
  {
    const b3 = convBn(x, 384, 3, 3, 'valid', 2);
    const bd = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 'valid', 2);
    x = concat([b3, bd, maxPool(x)], 'mixed3');
  }
  // mixed 4 (128), 5 and 6 (160), 7 (192)
  [128, 160, 160, 192].forEach((n, i) => {
    const b1 = convBn(x, 192, 1, 1);
    const b7 = convBn(convBn(convBn(x, n, 1, 1), n, 1, 7), 192, 7, 1);
    let bd = convBn(x, n, 1, 1);
    bd = convBn(bd, n, 7, 1);
    bd = convBn(bd, n, 1, 7);
    bd = convBn(bd, n, 7, 1);
    bd = convBn(bd, 192, 1, 7);
    const bp = convBn(avgPool(x), 192, 1, 1);
    x = concat([b1, b7, bd, bp], `mixed${4 + i}`);
  });
  // mixed 8
  {
    const b3 = convBn(convBn(x, 192, 1, 1), 320, 3, 3, 'valid', 2);
    let b7 = convBn(x, 192, 1, 1);
    b7 = convBn(b7, 192, 1, 7);
    b7 = convBn(b7, 192, 7, 1);
    b7 = convBn(b7, 192, 3, 3, 'valid', 2);
    x = concat([b3, b7, maxPool(x)], 'mixed8');
  }
  // mixed 9, 10
  for (let i = 0; i < 2; i++) {
    const b1 = convBn(x, 320, 1, 1);
    const b3 = convBn(x, 384, 1, 1);
    const b3c = concat([convBn(b3, 384, 1, 3), convBn(b3, 384, 3, 1)], `mixed9_${i}`);
    const bd = convBn(convBn(x, 448, 1, 1), 384, 3, 3);
    const bdc = concat([convBn(bd, 384, 1, 3), convBn(bd, 384, 3, 1)]);
    const bp = convBn(avgPool(x), 192, 1, 1);
    x = concat([b1, b3c, bdc, bp], `mixed${9 + i}`);
  }
  x = apply(L.globalAveragePooling2d({ name: 'avg_pool' }), x);
  x = apply(L.dense({ units: classes, activation: 'softmax', name: 'predictions' }), x);
  return tfl.model({ inputs: input, outputs: x, name: 'inception_v3' });
}

// ---------------------------------------------------------------- DenseNet121
export function denseNet121(size: number, width: number, classes: number): tfl.LayersModel {
  const names = new AutoNames();
  const bn = (name: string): tfl.layers.Layer => L.batchNormalization({ axis: 3, epsilon: 1.001e-5, name });
  const relu = (name: string): tfl.layers.Layer => L.activation({ activation: 'relu', name });
  const input = tfl.input({ shape: [size, size, 3], name: 'input_1' });
  let x = apply(L.zeroPadding2d({ padding: [[3, 3], [3, 3]], name: names.next('zero_padding2d') }), input);
  x = apply(L.conv2d({ filters: scale(64, width), kernelSize: 7, strides: 2, useBias: false, name: 'conv1/conv' }), x);
  x = apply(bn('conv1/bn'), x);
  x = apply(relu('conv1/relu'), x);
  x = apply(L.zeroPadding2d({ padding: [[1, 1], [1, 1]], name: names.next('zero_padding2d') }), x);
  x = apply(L.maxPooling2d({ poolSize: 3, strides: 2, name: 'pool1' }), x);
  const growth = scale(32, width);
  const denseBlock = (blocks: number, name: string): void => {
    for (let i = 1; i <= blocks; i++) {
      const n = `${name}_block${i}`;
      let y = apply(bn(`${n}_0_bn`), x);
      y = apply(relu(`${n}_0_relu`), y);
      y = apply(L.conv2d({ filters: 4 * growth, kernelSize: 1, useBias: false, name: `${n}_1_conv` }), y);
      y = apply(bn(`${n}_1_bn`), y);
      y = apply(relu(`${n}_1_relu`), y);
      y = apply(L.conv2d({ filters: growth, kernelSize: 3, padding: 'same', useBias: false, name: `${n}_2_conv` }), y);
      x = apply(L.concatenate({ axis: 3, name: `${n}_concat` }), [x, y]);
    }
  };
  const transition = (name: string): void => {
    x = apply(bn(`${name}_bn`), x);
    x = apply(relu(`${name}_relu`), x);
    x = apply(L.conv2d({ filters: Math.trunc((x.shape[3] as number) * 0.5), kernelSize: 1, useBias: false, name: `${name}_conv` }), x);
    x = apply(L.averagePooling2d({ poolSize: 2, strides: 2, name: `${name}_pool` }), x);
  };
  denseBlock(6, 'conv2'); transition('pool2');
  denseBlock(12, 'conv3'); transition('pool3');
  denseBlock(24, 'conv4'); transition('pool4');
  denseBlock(16, 'conv5');
  x = apply(bn('bn'), x);
  x = apply(relu('relu'), x);
  x = apply(L.globalAveragePooling2d({ name: 'avg_pool' }), x);
  x = apply(L.dense({ units: classes, activation: 'softmax', name: 'predictions' }), x);
  return tfl.model({ inputs: input, outputs: x, name: 'densenet121' });
}

// ---------------------------------------------------------------- EfficientNetB0
const EFFICIENTNET_BLOCKS = [
  { kernel: 3, repeats: 1, filtersIn: 32, filtersOut: 16, expand: 1, strides: 1 },
  { kernel: 3, repeats: 2, filtersIn: 16, filtersOut: 24, expand: 6, strides: 2 },
  { kernel: 5, repeats: 2, filtersIn: 24, filtersOut: 40, expand: 6, strides: 2 },
  { kernel: 3, repeats: 3, filtersIn: 40, filtersOut: 80, expand: 6, strides: 2 },
  { kernel: 5, repeats: 3, filtersIn: 80, filtersOut: 112, expand: 6, strides: 1 },
  { kernel: 5, repeats: 4, filtersIn: 112, filtersOut: 192, expand: 6, strides: 2 },
  { kernel: 3, repeats: 1, filtersIn: 192, filtersOut: 320, expand: 6, strides: 1 },
];

/** EfficientNet with B0's depth (1.0) and dropout, at width coefficient `width` (B0: 1.0). */
export function efficientNetB0(size: number, width: number, classes: number): tfl.LayersModel {
  const roundFilters = (filters: number): number => makeDivisible(filters * width);
  const act = 'swish';
  const seRatio = 0.25;
  const dropConnect = 0.2;
  const names = new AutoNames();
  const input = tfl.input({ shape: [size, size, 3], name: 'input_1' });
  let x = apply(L.rescaling({ scale: 1 / 255, name: names.next('rescaling') }), input);
  x = apply(L.zeroPadding2d({ padding: correctPad(x, 3), name: 'stem_conv_pad' }), x);
  x = apply(L.conv2d({ filters: roundFilters(32), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'stem_conv' }), x);
  x = apply(L.batchNormalization({ axis: 3, name: 'stem_bn' }), x);
  x = apply(L.activation({ activation: act, name: 'stem_activation' }), x);
  const total = EFFICIENTNET_BLOCKS.reduce((n, b) => n + b.repeats, 0);
  let b = 0;
  EFFICIENTNET_BLOCKS.forEach((spec, i) => {
    let filtersIn = roundFilters(spec.filtersIn);
    const filtersOut = roundFilters(spec.filtersOut);
    for (let j = 0; j < spec.repeats; j++) {
      const strides = j > 0 ? 1 : spec.strides;
      if (j > 0) filtersIn = filtersOut;
      const name = `block${i + 1}${String.fromCharCode(97 + j)}_`;
      const dropRate = dropConnect * b / total;
      const inputs = x;
      const filters = filtersIn * spec.expand;
      if (spec.expand !== 1) {
        x = apply(L.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, name: `${name}expand_conv` }), x);
        x = apply(L.batchNormalization({ axis: 3, name: `${name}expand_bn` }), x);
        x = apply(L.activation({ activation: act, name: `${name}expand_activation` }), x);
      }
      if (strides === 2) x = apply(L.zeroPadding2d({ padding: correctPad(x, spec.kernel), name: `${name}dwconv_pad` }), x);
      x = apply(L.depthwiseConv2d({ kernelSize: spec.kernel, strides, padding: strides === 2 ? 'valid' : 'same', useBias: false,
        name: `${name}dwconv` }), x);
      x = apply(L.batchNormalization({ axis: 3, name: `${name}bn` }), x);
      x = apply(L.activation({ activation: act, name: `${name}activation` }), x);
      const filtersSe = Math.max(1, Math.trunc(filtersIn * seRatio));
      let se = apply(L.globalAveragePooling2d({ name: `${name}se_squeeze` }), x);
      se = apply(L.reshape({ targetShape: [1, 1, filters], name: `${name}se_reshape` }), se);
      se = apply(L.conv2d({ filters: filtersSe, kernelSize: 1, padding: 'same', activation: act, name: `${name}se_reduce` }), se);
      se = apply(L.conv2d({ filters, kernelSize: 1, padding: 'same', activation: 'sigmoid', name: `${name}se_expand` }), se);
      x = apply(L.multiply({ name: `${name}se_excite` }), [x, se]);
      x = apply(L.conv2d({ filters: filtersOut, kernelSize: 1, padding: 'same', useBias: false, name: `${name}project_conv` }), x);
      x = apply(L.batchNormalization({ axis: 3, name: `${name}project_bn` }), x);
      if (strides === 1 && filtersIn === filtersOut) {
        if (dropRate > 0) x = apply(L.dropout({ rate: dropRate, noiseShape: [null, 1, 1, 1] as never, name: `${name}drop` }), x);
        x = apply(L.add({ name: `${name}add` }), [x, inputs]);
      }
      b += 1;
    }
  });
  x = apply(L.conv2d({ filters: roundFilters(1280), kernelSize: 1, padding: 'same', useBias: false, name: 'top_conv' }), x);
  x = apply(L.batchNormalization({ axis: 3, name: 'top_bn' }), x);
  x = apply(L.activation({ activation: act, name: 'top_activation' }), x);
  x = apply(L.globalAveragePooling2d({ name: 'avg_pool' }), x);
  x = apply(L.dropout({ rate: 0.2, name: 'top_dropout' }), x);
  x = apply(L.dense({ units: classes, activation: 'softmax', name: 'predictions' }), x);
  return tfl.model({ inputs: input, outputs: x, name: 'efficientnetb0' });
}
