/**
 * ResNet-20 (see bench/resnet20.ts for the network and its choices) written against the layers
 * API that striate and TensorFlow.js share, with no import: the webgpu benchmark builds the same
 * network with either library, in a browser worker or in Node.
 */

/** What the builder needs of a library: `layers.<type>(config)`, `input` and `model` (striate's and tfjs' own). */
export interface LayersLib {
  layers: Record<string, (config: any) => { apply(x: any): any }>;
  input(config: { shape: number[] }): any;
  model(config: { inputs: any; outputs: any; name?: string }): any;
}

export function buildResnet(lib: LayersLib, { classes = 10, blocksPerStage = 3 }: { classes?: number; blocksPerStage?: number } = {}): any {
  const L = lib.layers;
  const convBn = (x: any, filters: number, kernel: number, strides: number, relu: boolean): any => {
    if (strides > 1 && kernel > 1) x = L.zeroPadding2d({ padding: (kernel - 1) / 2 }).apply(x);
    const padding = strides > 1 || kernel === 1 ? 'valid' : 'same';
    x = L.conv2d({ filters, kernelSize: kernel, strides, padding, useBias: false }).apply(x);
    // PyTorch's batch-norm defaults (epsilon 1e-5, momentum 0.1 in its convention, 0.9 in Keras')
    x = L.batchNormalization({ axis: 3, epsilon: 1e-5, momentum: 0.9 }).apply(x);
    return relu ? L.activation({ activation: 'relu' }).apply(x) : x;
  };
  const basicBlock = (x: any, filters: number, strides: number): any => {
    const inChannels = x.shape[3];
    const shortcut = strides > 1 || inChannels !== filters ? convBn(x, filters, 1, strides, false) : x;
    let y = convBn(x, filters, 3, strides, true);
    y = convBn(y, filters, 3, 1, false);
    y = L.add({}).apply([shortcut, y]);
    return L.activation({ activation: 'relu' }).apply(y);
  };
  const images = lib.input({ shape: [32, 32, 3] });
  let x = convBn(images, 16, 3, 1, true);
  for (const [stage, filters] of [16, 32, 64].entries()) {
    for (let b = 0; b < blocksPerStage; b++) x = basicBlock(x, filters, stage > 0 && b === 0 ? 2 : 1);
  }
  x = L.globalAveragePooling2d({}).apply(x);
  const probs = L.dense({ units: classes, activation: 'softmax' }).apply(x);
  return lib.model({ inputs: images, outputs: probs, name: `resnet${6 * blocksPerStage + 2}` });
}
