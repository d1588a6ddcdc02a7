import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so no CNN can train on it. This
 * stand-in, registered for 'wasm' only, computes the filter gradient from tfjs ops the backend
 * does have: for each kernel tap (i, j), the input window that tap sees, strided like the
 * convolution, reshaped to [samples, inC], times dy reshaped to [samples, outC]. Results that use
 * it are labelled "filter grad: substitute kernel". Inputs are copied in and the result copied
 * out through the backend's public data calls, which keeps the engine's reference counts simple.
 */
export function registerConvFilterGradForWasm(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { strides, pad, dimRoundingMode, filterShape, dataFormat } = attrs as unknown as {
        strides: [number, number] | number; pad: 'same' | 'valid' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil';
        filterShape: [number, number, number, number]; dataFormat: string;
      };
      if (dataFormat !== 'NHWC') throw new Error(`substitute Conv2DBackpropFilter: only NHWC, got ${dataFormat}`);
      const wasm = backend as unknown as {
        readSync(id: tf.DataId): Float32Array;
        makeOutput(shape: number[], dtype: tf.DataType, memoryOffset: null, values: Float32Array): tf.TensorInfo;
      };
      const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape,
        strides, 1, pad, dimRoundingMode);
      const { top, bottom, left, right } = info.padInfo;
      const values = tf.tidy(() => {
        const xt = tf.tensor4d(wasm.readSync(x.dataId), x.shape as [number, number, number, number]);
        const dyt = tf.tensor2d(wasm.readSync(dy.dataId), [dy.shape[0] * dy.shape[1] * dy.shape[2], dy.shape[3]]);
        const padded = tf.pad(xt, [[0, 0], [top, bottom], [left, right], [0, 0]]);
        const taps: tf.Tensor[] = [];
        for (let i = 0; i < info.filterHeight; i++) {
          for (let j = 0; j < info.filterWidth; j++) {
            const window = tf.stridedSlice(padded, [0, i, j, 0],
              [info.batchSize, i + (info.outHeight - 1) * info.strideHeight + 1, j + (info.outWidth - 1) * info.strideWidth + 1, info.inChannels],
              [1, info.strideHeight, info.strideWidth, 1]);
            taps.push(tf.matMul(tf.reshape(window, [-1, info.inChannels]), dyt, true, false));
          }
        }
        return tf.stack(taps).dataSync() as Float32Array;
      });
      return wasm.makeOutput(filterShape, 'float32', null, values);
    },
  });
}
