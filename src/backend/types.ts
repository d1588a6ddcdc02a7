/**
 * The contract every backend fulfils. Kernels work on raw storage handles (`DataId`) plus
 * shapes; they never see a `Tensor`. Shapes of results are computed by the op layer, which
 * also validates every input, so kernels may assume well-formed arguments.
 */

export type DType = 'float32' | 'float64' | 'int32' | 'bool' | 'complex64' | 'complex128' | 'string';
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Opaque handle to a buffer owned by a backend. */
export interface DataId {
  readonly backendName: string;
}

/** What a kernel knows about an operand: where its data is, its shape and dtype. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export type UnaryOp =
  | 'neg' | 'abs' | 'sign' | 'sqrt' | 'rsqrt' | 'square' | 'reciprocal'
  | 'exp' | 'expm1' | 'log' | 'log1p'
  | 'sin' | 'cos' | 'tan' | 'asin' | 'acos' | 'atan' | 'sinh' | 'cosh' | 'tanh'
  | 'sigmoid' | 'relu' | 'relu6' | 'elu' | 'selu' | 'softplus' | 'softsign' | 'erf'
  | 'floor' | 'ceil' | 'round' | 'step'
  | 'acosh' | 'asinh' | 'atanh'
  | 'logicalNot' | 'isNaN' | 'isFinite' | 'isInf';

export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'minimum' | 'maximum' | 'squaredDifference'
  | 'mod' | 'floorDiv' | 'atan2'
  | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual'
  | 'logicalAnd' | 'logicalOr' | 'logicalXor'
  | 'bitwiseAnd';

export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all';
export type ArgReduceOp = 'argMax' | 'argMin';

/**
 * Geometry of a 2-D convolution or pooling window, NHWC. Computed once by
 * `computeConv2DInfo` / `computePool2DInfo` in `conv_info.ts`.
 */
export interface Conv2DInfo {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
  /** depthwise convolution only: output channels per input channel; 1 otherwise. */
  channelMultiplier: number;
}

export interface MemoryInfo {
  /** live buffers on this backend */
  numBuffers: number;
  /** bytes held by live buffers */
  numBytes: number;
}

export interface Backend {
  readonly name: string;
  /**
   * True when a buffer is freed by the JavaScript garbage collector as soon as nothing refers
   * to it (typed arrays). False when it lives in memory the collector cannot see (a wasm heap):
   * tensors then release it through a FinalizationRegistry if they are never disposed.
   */
  readonly collectsGarbage: boolean;

  // ---- storage ----
  /** Takes ownership of `values` (the caller must not touch it afterwards). Reference count 1. */
  write(values: TypedArray, dtype: DType): DataId;
  /** The buffer's values. Callers must not mutate the result. */
  read(dataId: DataId): TypedArray;
  incRef(dataId: DataId): void;
  /** Drops one reference; the buffer is freed when none is left. */
  decRef(dataId: DataId): void;
  isLive(dataId: DataId): boolean;
  memory(): MemoryInfo;

  // ---- element-wise ----
  unary(op: UnaryOp, x: TensorInfo, outDtype: DType): DataId;
  /** NumPy broadcasting; `outShape` is the broadcast shape. */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: readonly number[], outDtype: DType): DataId;
  /** cond ? a : b, all three broadcast to `outShape`. */
  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: readonly number[]): DataId;
  cast(x: TensorInfo, dtype: DType): DataId;

  // ---- reductions: `axes` are removed from the output shape (sorted, unique, in range) ----
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[], outDtype: DType): DataId;
  /** index along `axis` (int32), axis removed from the output shape. */
  argReduce(op: ArgReduceOp, x: TensorInfo, axis: number): DataId;

  // ---- linear algebra ----
  /**
   * a: [...batchA, m, k] (or [..., k, m] when transposeA), b: [...batchB, k, n] (or [..., n, k]).
   * Batch dims broadcast to `outBatch`. Result: [...outBatch, m, n].
   */
  matMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean,
         outBatch: readonly number[]): DataId;

  // ---- data movement ----
  transpose(x: TensorInfo, perm: readonly number[]): DataId;
  /** begin/size/strides per axis; strides may be negative (begin is then the first element taken). */
  stridedSlice(x: TensorInfo, begin: readonly number[], size: readonly number[], strides: readonly number[]): DataId;
  pad(x: TensorInfo, paddings: readonly (readonly [number, number])[], constantValue: number): DataId;
  concat(xs: readonly TensorInfo[], axis: number): DataId;
  /** x gathered along `axis` at int32 `indices` (any shape): out = x.shape[:axis] + indices.shape + x.shape[axis+1:] */
  gather(x: TensorInfo, indices: TensorInfo, axis: number): DataId;
  /** the inverse of gather: sums `updates` into a zero tensor of `shape` at `indices` along `axis`. */
  scatterAdd(updates: TensorInfo, indices: TensorInfo, axis: number, shape: readonly number[]): DataId;
  tile(x: TensorInfo, reps: readonly number[]): DataId;
  reverse(x: TensorInfo, axes: readonly number[]): DataId;

  // ---- convolution and pooling, NHWC ----
  conv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  /** gradient of conv2d w.r.t. its input, shape [batch, inH, inW, inC] */
  conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  /** gradient of conv2d w.r.t. its filter, shape [fh, fw, inC, outC] */
  conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId;
  /** filter [fh, fw, inC, multiplier]; out channel c*multiplier+m */
  depthwiseConv2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  depthwiseConv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  depthwiseConv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv2DInfo): DataId;
  maxPool(x: TensorInfo, info: Conv2DInfo): DataId;
  /** routes each dy cell to the arg-max of its window (first max on ties) */
  maxPoolBackprop(dy: TensorInfo, x: TensorInfo, info: Conv2DInfo): DataId;
  /** averages over the real (unpadded) cells of each window */
  avgPool(x: TensorInfo, info: Conv2DInfo): DataId;
  avgPoolBackprop(dy: TensorInfo, info: Conv2DInfo): DataId;

  // ---- optional fused kernels: callers fall back to ops when absent or when they return null ----
  /** activation(conv2d(x, filter) + bias), NHWC; bias [outChannels] or null. */
  fusedConv2d?(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo, bias: TensorInfo | null,
               activation: 'linear' | 'relu'): DataId | null;
  /** activation(a b + bias) for rank-2 float32 operands; bias [n] or null. */
  fusedMatMul?(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean,
               bias: TensorInfo | null, activation: 'linear' | 'relu'): DataId | null;
  /**
   * One Adam step (Keras 3's formula, `alpha` already bias-corrected): updates the moments `m`
   * and `v` in place and returns new storage for the parameters. Null when the case is not
   * covered (a dtype, or moments whose storage is shared).
   */
  adamUpdate?(p: TensorInfo, g: TensorInfo, m: TensorInfo, v: TensorInfo,
              alpha: number, beta1: number, beta2: number, epsilon: number): DataId | null;
  /**
   * SGD with momentum (velocity = velocity * momentum - g * lr; p + velocity) or RMSprop
   * (s = s * rho + g² (1 - rho); p - g * lr / sqrt(s + epsilon)): the state `s` in place, new
   * storage for the parameters; null when not covered.
   */
  sgdRmspropUpdate?(kind: 'sgdMomentum' | 'rmsprop', p: TensorInfo, g: TensorInfo, s: TensorInfo,
                    lr: number, a: number, b: number): DataId | null;
  /**
   * Softmax of each row of `logits` [rows, k] and the cross-entropy of each row with `labels`:
   * float [rows, k] targets, or int32 [rows] class indices (the caller has checked their range).
   * loss[r] = logSumExp(z_r) sum(t_r) - sum(t_r z_r). Null when not covered.
   */
  /**
   * A dropout mask of n float32 values: scale where the next draw of the xoshiro128** generator
   * whose state is `state` (4 words, updated in place) is below `threshold`, else 0; the same
   * draws as tensor/random.ts' Random.nextUint32. Null when not covered.
   */
  dropoutMask?(n: number, state: Int32Array, threshold: number, scale: number): DataId | null;
  /** dy where y > 0, else dy * 0 (the relu gradient), dy and y of one shape. Null when not covered. */
  reluGrad?(dy: TensorInfo, y: TensorInfo): DataId | null;
  /** Softmax of each row of logits [rows, k] (shifted by the row's max). Null when not covered. */
  softmax?(logits: TensorInfo): DataId | null;
  softmaxCrossEntropy?(logits: TensorInfo, labels: TensorInfo): { loss: DataId; softmax: DataId } | null;
  /** d loss / d logits = (softmax sum(t) - t) * dLoss[r], from the forward's softmax; dLoss [rows]. */
  softmaxCrossEntropyGrad?(softmax: TensorInfo, labels: TensorInfo, dLoss: TensorInfo): DataId | null;
  /**
   * Batch normalisation over every axis but the last (x [..., c], parameters [c]):
   * y = (x - mean) scale / sqrt(variance + epsilon) + offset. Training (`stats` null) takes
   * the batch mean and biased variance and returns them too; inference takes `stats` (and
   * returns null for them).
   */
  batchNorm?(x: TensorInfo, stats: { mean: TensorInfo; variance: TensorInfo } | null, scale: TensorInfo | null,
             offset: TensorInfo | null, epsilon: number): { y: DataId; mean: DataId | null; variance: DataId | null } | null;
  /** Gradients of training-mode batchNorm w.r.t. x, scale and offset (the statistics depend on x). */
  batchNormGrad?(dy: TensorInfo, x: TensorInfo, mean: TensorInfo, variance: TensorInfo, scale: TensorInfo | null,
                 epsilon: number): { dx: DataId; dScale: DataId; dOffset: DataId } | null;
  // ---- resnet speed area: batch norm and the relu after it as one kernel ----
  /**
   * relu(batchNorm(...)) with batchNorm's arguments and results (training when `stats` is null:
   * the statistics are the batch's, of the values before the relu). Null when not covered.
   */
  batchNormRelu?(x: TensorInfo, stats: { mean: TensorInfo; variance: TensorInfo } | null, scale: TensorInfo | null,
                 offset: TensorInfo | null, epsilon: number): { y: DataId; mean: DataId | null; variance: DataId | null } | null;
  /**
   * Gradients of training-mode relu(batchNorm(x)) w.r.t. x, scale and offset, given its output
   * y (relu's mask: dy where y > 0, else dy * 0). Null when not covered.
   */
  batchNormReluGrad?(dy: TensorInfo, x: TensorInfo, y: TensorInfo, mean: TensorInfo, variance: TensorInfo,
                     scale: TensorInfo | null, epsilon: number): { dx: DataId; dScale: DataId; dOffset: DataId } | null;
  // ---- bn speed area (issue 18) ----
  /**
   * Training-mode relu(batchNorm(x) + residual), residual of x's shape (a residual block's second
   * batch norm, its Add and the relu after it): as batchNormRelu, the statistics those of x. Its
   * gradient is batchNormGrad's of relu's mask of dy (the residual's gradient is that mask). Null
   * when not covered.
   */
  batchNormAddRelu?(x: TensorInfo, residual: TensorInfo, scale: TensorInfo | null, offset: TensorInfo | null,
                    epsilon: number): { y: DataId; mean: DataId | null; variance: DataId | null } | null;
  /**
   * One LSTM step from gate pre-activations z [batch, 4u] (Keras order i, f, c, o) and the cell
   * state c [batch, u], with sigmoid gates and tanh: [batch, 2u] holding h' then c' per row.
   */
  lstmCell?(z: TensorInfo, c: TensorInfo): DataId | null;
  /** Gradients of lstmCell w.r.t. z and c, given the gradient of its [batch, 2u] output. */
  lstmCellGrad?(z: TensorInfo, c: TensorInfo, dhc: TensorInfo): { dz: DataId; dc: DataId } | null;
  // ---- mlp speed area (issue 18): a dense layer's backward prologue in one pass ----
  /**
   * From dy [rows, n] at the output of activation(x W + b) and that output y: dz, the gradient
   * before the activation (relu: dy where y > 0, else dy * 0, as reluGrad; linear: dy itself,
   * returned as null: the caller keeps dy), and db [n], the sum of dz over the rows (the bias
   * gradient). Null when not covered.
   */
  denseActGrad?(dy: TensorInfo, y: TensorInfo, relu: boolean): { dz: DataId | null; db: DataId } | null;

  // ---- image (tf.image), NHWC: resizing, crops, projective transforms ----
  /** x [batch, h, w, c] resized to [batch, outH, outW, c] (float; an int32 x gives float32) */
  resizeBilinear(x: TensorInfo, outH: number, outW: number, alignCorners: boolean, halfPixelCenters: boolean): DataId;
  /** gradient of resizeBilinear w.r.t. x, shape `inShape` */
  resizeBilinearGrad(dy: TensorInfo, inShape: readonly number[], alignCorners: boolean, halfPixelCenters: boolean): DataId;
  /** x [batch, h, w, c] resized to [batch, outH, outW, c], x's dtype */
  resizeNearestNeighbor(x: TensorInfo, outH: number, outW: number, alignCorners: boolean, halfPixelCenters: boolean): DataId;
  /** gradient of resizeNearestNeighbor w.r.t. x, shape `inShape` */
  resizeNearestNeighborGrad(dy: TensorInfo, inShape: readonly number[], alignCorners: boolean,
                            halfPixelCenters: boolean): DataId;
  /** crops of image at boxes [n, 4] of images boxInd [n] (int32), resized: [n, cropH, cropW, c], float */
  cropAndResize(image: TensorInfo, boxes: TensorInfo, boxInd: TensorInfo, cropH: number, cropW: number,
                method: 'bilinear' | 'nearest', extrapolationValue: number): DataId;
  /** gradient of cropAndResize w.r.t. the image, shape `imageShape` */
  cropAndResizeGradImage(dy: TensorInfo, boxes: TensorInfo, boxInd: TensorInfo, imageShape: readonly number[],
                         method: 'bilinear' | 'nearest'): DataId;
  /** projective transforms [1 or batch, 8] of image [batch, h, w, c]: [batch, outH, outW, c] */
  transform(image: TensorInfo, transforms: TensorInfo, interpolation: 'nearest' | 'bilinear',
            fillMode: 'constant' | 'reflect' | 'wrap' | 'nearest', fillValue: number, outH: number, outW: number): DataId;
  /** every image rotated by `radians` about `center` (fractions of width and height), nearest pixel */
  rotateWithOffset(image: TensorInfo, radians: number, fillValue: number | readonly number[],
                   center: number | readonly number[]): DataId;
  // ---- math area (issue 16): scans, top-k, sorted search, bin counts ----
  /** Running sum or product along `axis` (exclusive: leaving out each element itself; reverse: from the end). */
  cumulative(op: 'sum' | 'prod', x: TensorInfo, axis: number, exclusive: boolean, reverse: boolean,
             outDtype: DType): DataId;
  /** The k largest entries of each last-axis row (ties: lower index first) and their int32 positions. */
  topK(x: TensorInfo, k: number, sorted: boolean): { values: DataId; indices: DataId };
  /** Insertion points (int32 [rows, m]) of `values` [rows, m] in the sorted rows of `sorted` [rows, n]. */
  searchSorted(sorted: TensorInfo, values: TensorInfo, side: 'left' | 'right'): DataId;
  /**
   * Counts of each int32 value of `x` ([n] or [rows, n]) below `size`, or sums of `weights` (x's
   * shape) there; `binary` marks presence with 1. Result [size] or [rows, size] in `outDtype`.
   */
  bincount(x: TensorInfo, weights: TensorInfo | null, size: number, binary: boolean, outDtype: DType): DataId;
  // ---- movement (issue 16): N-dimensional gather and scatter ----
  /**
   * Slices of x at int32 `indices` [..., depth], each row `depth` coordinates into x's leading
   * axes: out = indices.shape[:-1] + x.shape[depth:]. A row out of range gives zeros.
   */
  gatherND(x: TensorInfo, indices: TensorInfo): DataId;
  /**
   * `updates` [rows, ...shape[depth:]] written at the slices of `shape` named by int32 `indices`
   * [rows, depth], over a copy of `base` (of `shape`, dtype of updates) or zeros when base is null:
   * 'add' sums duplicates, 'update' keeps the last. A row out of range is dropped.
   */
  scatterND(indices: TensorInfo, updates: TensorInfo, shape: readonly number[], base: TensorInfo | null,
            mode: 'add' | 'update'): DataId;
  // ---- webgpu area (issue 19): backends that start asynchronously and keep values off the CPU ----
  /**
   * Prepares the backend (a GPU device): a promise while it starts, which setBackend awaits (and
   * rejects with the plain reason), nothing once it runs (setBackend then switches at once).
   */
  ready?(): Promise<void> | undefined;
  /** The values, where a synchronous `read` cannot always reach them (a GPU seen from a page). */
  readAsync?(dataId: DataId): Promise<TypedArray>;
  /** The kernels that ran on the reference backend as a fallback so far, each named once. */
  fallbacks?(): readonly string[];
  // ---- conv3d area: 3-D convolution and pooling (NDHWC), argmax pooling, dilation2d ----
  conv3d(x: TensorInfo, filter: TensorInfo, info: Conv3DInfo): DataId;
  /** gradient of conv3d w.r.t. its input, shape [batch, inD, inH, inW, inC] */
  conv3dBackpropInput(dy: TensorInfo, filter: TensorInfo, info: Conv3DInfo): DataId;
  /** gradient of conv3d w.r.t. its filter, shape [fd, fh, fw, inC, outC] */
  conv3dBackpropFilter(x: TensorInfo, dy: TensorInfo, info: Conv3DInfo): DataId;
  maxPool3d(x: TensorInfo, info: Conv3DInfo): DataId;
  /** each dy cell goes to the first maximum of its window */
  maxPool3dBackprop(dy: TensorInfo, x: TensorInfo, info: Conv3DInfo): DataId;
  avgPool3d(x: TensorInfo, info: Conv3DInfo): DataId;
  avgPool3dBackprop(dy: TensorInfo, info: Conv3DInfo): DataId;
  /**
   * int32 flat index of each max-pool window's first maximum: ((b*H + y)*W + x)*C + c with the
   * batch, (y*W + x)*C + c without.
   */
  maxPoolArgmax(x: TensorInfo, info: Conv2DInfo, includeBatchInIndex: boolean): DataId;
  /** grey-scale morphological dilation: max over the window of x + filter[ky, kx, c] */
  dilation2d(x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  dilation2dBackpropInput(dy: TensorInfo, x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  dilation2dBackpropFilter(dy: TensorInfo, x: TensorInfo, filter: TensorInfo, info: Conv2DInfo): DataId;
  // ---- strings area (issue 16): storage of 'string' tensors ----
  /**
   * Takes ownership of `values` (one UTF-8 byte string per element) as the storage of a 'string'
   * tensor; reference count 1. String storage holds no numbers: `read` refuses it, and no numeric
   * kernel ever receives it (the op layer moves strings by moving int32 positions).
   */
  writeStrings(values: Uint8Array[]): DataId;
  /** The byte strings of a 'string' buffer. Callers must not mutate the result. */
  readStrings(dataId: DataId): readonly Uint8Array[];
  // ---- complex area (issue 16): complex numbers and spectral ops ----
  // A complex tensor's storage is its parts interleaved (re, im, re, im, ...) in a float32 array
  // (complex64) or a float64 one (complex128), so movement kernels see it as a float tensor with a
  // trailing axis of 2; only the arithmetic below needs kernels of its own.
  /** a * b for complex operands of one dtype, NumPy broadcasting to `outShape`. */
  complexMul(a: TensorInfo, b: TensorInfo, outShape: readonly number[]): DataId;
  /** |x| of each complex element: a float tensor of x's shape (float32 or float64). */
  complexAbs(x: TensorInfo): DataId;
  /**
   * Discrete Fourier transform of each innermost row of complex x (inverse: the transform with
   * the conjugate kernel, divided by the row length). Same shape and dtype as x.
   */
  fft(x: TensorInfo, inverse: boolean): DataId;
  // ---- ragged area: raggedTensorToTensor ----
  /**
   * The dense tensor `outShape` (dtype of values) of a ragged tensor: `values` [n, ...inner] placed
   * by int32 row `partitions` (one per ragged level, outermost first, already checked) under
   * `firstDimSize` top rows; cells no value reaches hold `defaultValue` broadcast to the inner
   * shape, and values outside outShape are dropped.
   */
  raggedTensorToTensor(values: TensorInfo, defaultValue: TensorInfo, partitions: readonly TensorInfo[],
    partitionTypes: readonly RaggedPartitionType[], firstDimSize: number, outShape: readonly number[]): DataId;
  // ---- recurrent area: whole-sequence LSTM ----
  /**
   * Every step of an LSTM (sigmoid gates, tanh) over a sequence: xProj [batch, T, 4u] = x W + b
   * (gates i, f, c, o), h0 and c0 [batch, u], recurrentKernel [u, 4u], mask [batch, T] (1 real
   * step, 0 padding: c, h and the output are kept; the output is 0 before the first real step)
   * or null. Returns the record [batch, T, 7u]: per step the activated gates i f g o (4u), c_t,
   * h_t and the output y_t (u each), which lstmSequenceGrad reads back.
   */
  lstmSequence(xProj: TensorInfo, h0: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo,
    mask: TensorInfo | null, dropMask?: TensorInfo | null): DataId;
  /**
   * Back propagation through time for lstmSequence, given the gradient dRecord of its record
   * (its c, h and y parts). Returns one flat array: dz [batch, T, 4u] (the gradient of xProj),
   * then dh0 and dc0 [batch, u].
   */
  lstmSequenceGrad(record: TensorInfo, c0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dRecord: TensorInfo, dropMask?: TensorInfo | null): DataId;
  // ---- recurrent area: whole-sequence SimpleRNN and GRU ----
  // dropMask [batch, u] (or null; also the LSTM's above) is the recurrent dropout mask: it
  // multiplies h_{t-1} before the recurrent product of every step (one mask per sequence).
  /**
   * Every step of a SimpleRNN h_t = act(xProj_t + h_{t-1} U): xProj [batch, T, u], h0 [batch, u],
   * recurrentKernel [u, u], mask as lstmSequence's. Returns the record [batch, T, 2u]: h_t and
   * the output y_t per step.
   */
  simpleRnnSequence(xProj: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, activation: RecurrentActivation): DataId;
  /** Back propagation through time for simpleRnnSequence: flat dxProj [batch, T, u], then dh0 [batch, u]. */
  simpleRnnSequenceGrad(record: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, dRecord: TensorInfo, activation: RecurrentActivation): DataId;
  /**
   * Every step of a GRU (sigmoid gates, tanh; Keras' formulas): xProj [batch, T, 3u] = x W + b
   * (gates z, r, h), h0 [batch, u], recurrentKernel [u, 3u], recurrentBias [3u] (resetAfter
   * only, or null), mask as lstmSequence's. Returns the record [batch, T, 6u]: per step z, r, the
   * candidate h~, q (resetAfter: h U_h + b'_h; else 0), h_t and y_t (u each).
   */
  gruSequence(xProj: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, recurrentBias: TensorInfo | null,
    mask: TensorInfo | null, dropMask: TensorInfo | null, resetAfter: boolean): DataId;
  /** Back propagation through time for gruSequence: flat dxProj [batch, T, 3u], then dh0 [batch, u]. */
  gruSequenceGrad(record: TensorInfo, h0: TensorInfo, recurrentKernel: TensorInfo, mask: TensorInfo | null,
    dropMask: TensorInfo | null, dRecord: TensorInfo, resetAfter: boolean): DataId;
}

/** The activations simpleRnnSequence runs (recurrent area). */
export type RecurrentActivation = 'tanh' | 'relu' | 'linear';

// ---- conv3d area ----

/** Geometry of a 3-D convolution or pooling window, NDHWC (see `computeConv3DInfo`). */
export interface Conv3DInfo {
  batchSize: number;
  inDepth: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outDepth: number;
  outHeight: number;
  outWidth: number;
  /** the filter's output channels (conv) or inChannels (pooling) */
  outChannels: number;
  filterDepth: number;
  filterHeight: number;
  filterWidth: number;
  strideDepth: number;
  strideHeight: number;
  strideWidth: number;
  dilationDepth: number;
  dilationHeight: number;
  dilationWidth: number;
  padFront: number;
  padBack: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
}

// ---- ragged area ----

/** How a row partition of a ragged tensor is given: row splits, or the row id of each child. */
export type RaggedPartitionType = 'ROW_SPLITS' | 'VALUE_ROWIDS';
