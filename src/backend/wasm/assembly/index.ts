// Entry points of the kernel module. Every thread (the caller and each worker) instantiates
// this module over the same shared memory; `runTask` runs chunk `chunk` of a task whose
// arguments lie as i32 words at `args`, so a task is dispatched by writing three numbers.
import { gemmBlock } from './gemm';
import { conv2dBackInputImages } from './conv';
import { convBackFilterPacked } from './conv_filter_grad'; // conv gradients area (tasks 120-129)
import { convBackFilterRuns } from './conv_filter_runs'; // first conv layer filter gradient area (task 127)
import { gi, FH, FW, IN_C } from './conv_geometry';
import { convDirectRows, packFilter, padImages } from './conv_direct';
import { convDirectRows6, directTile6 } from './conv_relaxed'; // conv relaxed tile area (issue 18)
import { s2ForwardRows, s2FilterGrad } from './conv_stride2'; // conv stride-2 area (issue 18)
import { elementwiseTask } from './elementwise';
import { adamChunk, sgdRmspropChunk, dropoutMask, TASK_ADAM, TASK_SGD_MOMENTUM, TASK_RMSPROP, TASK_DROPOUT_MASK } from './optim';
import { depthwiseRows } from './depthwise';
import { depthwiseBackInputImages, depthwiseBackInputRows, depthwiseBackFilterRows } from './depthwise_grad';
import {
  softmaxXentRows, softmaxXentGradRows, bnStatsRows, bnApplyRows, bnGradStatsRows, bnGradDxRows, lstmRows,
  lstmGradRows, TASK_SOFTMAX_XENT, TASK_SOFTMAX_XENT_GRAD, TASK_BN_STATS, TASK_BN_APPLY, TASK_BN_GRAD_STATS,
  TASK_BN_GRAD_DX, TASK_LSTM, TASK_LSTM_GRAD,
} from './fused_nn';
import { resnetBnTask } from './resnet_bn'; // resnet speed area (tasks 121-124), bn speed area (155-159)
import { conv3dTask } from './conv3d'; // 3-D convolution (tasks 90-95)
import { pool3dTask } from './pool3d'; // 3-D pooling (tasks 96-99)
import { imageTask } from './image'; // resize and crop (tasks 70-76)
import { scanGatherTask } from './scan_gather'; // scans, top-k, gather/scatter ND (tasks 77-82)
import { lstmSequenceRows, lstmSequenceGradRows, TASK_LSTM_SEQ, TASK_LSTM_SEQ_GRAD } from './recurrent'; // whole-sequence LSTM (tasks 100-101)
import { packPanels } from './gemm'; // recurrent kernels packed once per call (task 106)
import { convSlabRows, packSlabFilter } from './conv_slab'; // conv forward through an im2col slab (tasks 110-111)
import { convShortRows } from './conv_short'; // conv forward for a short depth K (tasks 112-119)
import { convFirstRows, packFirstFilter } from './conv_first_fwd'; // conv first-layer forward (tasks 113-114)
import { convStrideTask } from './conv_stride'; // conv stride area (task 126)
import { convPointwiseTask } from './conv_pointwise'; // proj area (tasks 130-134)
import { denseGradChunk, TASK_DENSE_GRAD } from './dense_grad'; // mlp speed area (task 135)
import { winogradTask } from './winograd'; // winograd area (tasks 140-143)
import { winograd4Task } from './winograd4'; // winograd4 area (tasks 144-149)
import { convFirstBackInputRows } from './conv_first'; // first conv layer area (tasks 150-154)
import { convFirstDxRows } from './conv_first_dx'; // first conv layer area: input gradient (151)
import { convSmallTask } from './conv_small'; // r50 area (tasks 165-169)
import { convPhaseDxTask } from './conv_phase_dx'; // strided dx area (tasks 170-174)
import { rnnSequenceRows, rnnSequenceGradRows, gruSequenceRows, gruSequenceGradRows, TASK_RNN_SEQ, TASK_RNN_SEQ_GRAD,
  TASK_GRU_SEQ, TASK_GRU_SEQ_GRAD } from './recurrent_gru'; // whole-sequence SimpleRNN and GRU (tasks 102-105)

export { GEMM_SCRATCH, MR, NR, NC_MAX } from './gemm';

let scratchBase: usize = 0;
let scratchBytes: usize = 0;

/** First byte after the module's static data: the allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}

/** Where this instance's per-thread scratch areas lie (called once per instance). */
export function init(base: usize, bytesPerThread: usize): void {
  scratchBase = base;
  scratchBytes = bytesPerThread;
}

export const TASK_MATMUL = 1;
export const TASK_CONV_BACK_INPUT = 3;
export const TASK_CONV_DIRECT = 5, TASK_CONV_DIRECT_PREP = 6;
export const TASK_DEPTHWISE = 50, TASK_DEPTHWISE_BACK_INPUT = 51, TASK_DEPTHWISE_BACK_FILTER = 52;
export const TASK_DEPTHWISE_BACK_INPUT_ROWS = 61;
export const TASK_PACK_PANELS = 106; // recurrent area

@inline function arg(args: usize, i: i32): i32 {
  return load<i32>(args + ((<usize>i) << 2));
}

export function runTask(task: i32, args: usize, chunk: i32, tid: i32): void {
  const scratch = scratchBase + <usize>tid * scratchBytes;
  if (task >= 10 && task < 40) elementwiseTask(task, args, chunk, tid);
  else if (task == TASK_ADAM) adamChunk(args, chunk);
  else if (task == TASK_SGD_MOMENTUM || task == TASK_RMSPROP) sgdRmspropChunk(task, args, chunk);
  else if (task == TASK_DROPOUT_MASK) dropoutMask(args);
  else if (task == TASK_MATMUL) matmulChunk(args, chunk, scratch);
  else if (task == TASK_CONV_DIRECT || task == TASK_CONV_DIRECT_PREP) convDirectChunk(task, args, chunk, scratch);
  else if (task >= 50 && task < 70) fusedTask(task, args, chunk);
  else if (task >= 70 && task < 77) imageTask(task, args, chunk);
  else if (task >= 77 && task < 90) scanGatherTask(task, args, chunk, scratch);
  else if (task >= 90 && task < 96) conv3dTask(task, args, chunk, scratch);
  else if (task >= 96 && task < 100) pool3dTask(task, args, chunk);
  // ---- recurrent area (100-101: recurrent.ts) ----
  else if (task == TASK_LSTM_SEQ) lstmSequenceRows(args, chunk, scratch);
  else if (task == TASK_LSTM_SEQ_GRAD) lstmSequenceGradRows(args, chunk, scratch);
  // args: B rsB csB k n dst: B (k x n) into the GEMM's panels, once per recurrent call
  else if (task == TASK_PACK_PANELS) packPanels(<usize>arg(args, 0), arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), <usize>arg(args, 5));
  // ---- resnet speed area (121-124: resnet_bn.ts), ahead of the conv gradients' range ----
  else if (task >= 121 && task <= 124) resnetBnTask(task, args, chunk);
  // ---- bn speed area (155-159: resnet_bn.ts, batch norm + residual add + relu) ----
  else if (task >= 155 && task <= 159) resnetBnTask(task, args, chunk);
  // ---- conv stride-2 area (175-179: conv_stride2.ts, 16-channel stride-2 forward and dw) ----
  else if (task >= 175 && task < 180) convStride2Task(task, args, chunk, scratch);
  // ---- conv stride area (126: conv_stride.ts, gather and scatter) ----
  else if (task == 126) convStrideTask(args, chunk);
  // ---- proj area (130-134: conv_pointwise.ts, strided 1x1 convolutions read in place) ----
  else if (task >= 130 && task < 135) convPointwiseTask(task, args, chunk, scratch);
  // ---- conv gradients area (120-129: conv_filter_grad.ts) ----
  else if (task >= 120 && task < 130) convGradTask(task, args, chunk, scratch);
  // ---- winograd4 area (144-149: winograd4.ts, F(4x4,3x3) filter transform and tiles) ----
  else if (task >= 144 && task < 150) winograd4Task(task, args, chunk, scratch);
  // ---- winograd area (140-143: winograd.ts, F(2x2,3x3) filter transform and tiles) ----
  else if (task >= 140 && task < 144) winogradTask(task, args, chunk, scratch);
  // ---- first conv layer area (150-154: conv_first.ts, conv_first_dx.ts) ----
  else if (task >= 150 && task < 155) convFirstTask(task, args, chunk, scratch);
  // ---- r50 area (165-169: conv_small.ts, the slab convolution split for small images) ----
  else if (task >= 165 && task < 170) convSmallTask(task, args, chunk, scratch);
  // ---- strided dx area (170-174: conv_phase_dx.ts, a strided convolution's dx phase by phase in place) ----
  else if (task >= 170 && task < 175) convPhaseDxTask(task, args, chunk, scratch);
  // ---- conv forward area (110-119: conv_slab.ts) ----
  else if (task == TASK_CONV_SLAB_PACK) packSlabFilter(<usize>arg(args, 0), <usize>arg(args, 1), <usize>arg(args, 2));
  else if (task == TASK_CONV_SLAB) convSlabChunk(args, chunk, scratch);
  else if (task == TASK_CONV_SHORT) convShortChunk(args, chunk, scratch);
  else if (task == TASK_CONV_FIRST_FWD || task == TASK_CONV_FIRST_PACK) convFirstChunk(task, args, chunk, scratch);
  else if (task == TASK_RNN_SEQ) rnnSequenceRows(args, chunk, scratch);
  else if (task == TASK_RNN_SEQ_GRAD) rnnSequenceGradRows(args, chunk, scratch);
  else if (task == TASK_GRU_SEQ) gruSequenceRows(args, chunk, scratch);
  else if (task == TASK_GRU_SEQ_GRAD) gruSequenceGradRows(args, chunk, scratch);
  // ---- mlp speed area (135-139: dense_grad.ts) ----
  else if (task == TASK_DENSE_GRAD) denseGradChunk(args, chunk);
  else if (task == TASK_CONV_BACK_INPUT) {
    const batch = load<i32>(<usize>arg(args, 0));
    const per = arg(args, 5);
    const b0 = chunk * per;
    conv2dBackInputImages(arg(args, 0), arg(args, 1), arg(args, 2), arg(args, 3), b0, min(batch, b0 + per),
      arg(args, 4), scratch);
  }
}

// prep args: g x xp hp wp w panels imagesPer pad; chunk 0 also packs the filter w (when not 0)
// rows args: g xp hp wp panels out rows per bias act
function convDirectChunk(task: i32, args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>arg(args, 0);
  if (task == TASK_CONV_DIRECT_PREP) {
    if (chunk == 0 && arg(args, 5) != 0) packFilter(g, arg(args, 5), arg(args, 6));
    if (arg(args, 8) != 0) {
      const per = arg(args, 7), b0 = chunk * per;
      padImages(g, arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), b0, min(load<i32>(g), b0 + per));
    }
    return;
  }
  const rows = arg(args, 6), per = arg(args, 7), r0 = chunk * per;
  // conv relaxed tile area: the relaxed build's 6-pixel tile (conv_relaxed.ts) where it pays
  if (ASC_FEATURE_RELAXED_SIMD && directTile6(g)) {
    convDirectRows6(g, arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), arg(args, 5), r0, min(rows, r0 + per),
      arg(args, 8), arg(args, 9), scratch);
    return;
  }
  convDirectRows(g, arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), arg(args, 5), r0, min(rows, r0 + per),
    arg(args, 8), arg(args, 9), scratch);
}

// ---- conv forward area (110-119) ----
export const TASK_CONV_SLAB_PACK = 110, TASK_CONV_SLAB = 111;

// pack args: g w panels
// rows args: g xp hp wp panels out pixels per bias act
function convSlabChunk(args: usize, chunk: i32, scratch: usize): void {
  const pixels = arg(args, 6), per = arg(args, 7), q0 = chunk * per;
  convSlabRows(<usize>arg(args, 0), arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), arg(args, 5), q0,
    min(pixels, q0 + per), arg(args, 8), arg(args, 9), scratch);
}

// args: a rsA csA b rsB csB c ldc k m n rowsPer colsPer batch strideA strideB strideC beta bias act
function matmulChunk(args: usize, chunk: i32, scratch: usize): void {
  const m = arg(args, 9), n = arg(args, 10), rowsPer = arg(args, 11), colsPer = arg(args, 12);
  const mBlocks = (m + rowsPer - 1) / rowsPer, nBlocks = (n + colsPer - 1) / colsPer;
  const bi = chunk / (mBlocks * nBlocks);
  const rest = chunk - bi * mBlocks * nBlocks;
  const ib = rest / nBlocks, jb = rest - ib * nBlocks;
  const a = <usize>arg(args, 0) + ((<usize>(bi * arg(args, 14))) << 2);
  const b = <usize>arg(args, 3) + ((<usize>(bi * arg(args, 15))) << 2);
  const c = <usize>arg(args, 6) + ((<usize>(bi * arg(args, 16))) << 2);
  const i0 = ib * rowsPer, j0 = jb * colsPer;
  gemmBlock(a, arg(args, 1), arg(args, 2), b, arg(args, 4), arg(args, 5), c, arg(args, 7), arg(args, 8),
    i0, min(m, i0 + rowsPer), j0, min(n, j0 + colsPer), arg(args, 17), arg(args, 18), arg(args, 19), scratch);
}

/** Depthwise convolution (50-52, 61: depthwise.ts, depthwise_grad.ts) and the fused layer kernels (53-60, fused_nn.ts). */
function fusedTask(task: i32, args: usize, chunk: i32): void {
  switch (task) {
    case TASK_DEPTHWISE: depthwiseRows(args, chunk); break;
    case TASK_DEPTHWISE_BACK_INPUT: depthwiseBackInputImages(args, chunk); break;
    case TASK_DEPTHWISE_BACK_INPUT_ROWS: depthwiseBackInputRows(args, chunk); break;
    case TASK_DEPTHWISE_BACK_FILTER: depthwiseBackFilterRows(args, chunk); break;
    case TASK_SOFTMAX_XENT: softmaxXentRows(args, chunk); break;
    case TASK_SOFTMAX_XENT_GRAD: softmaxXentGradRows(args, chunk); break;
    case TASK_BN_STATS: bnStatsRows(args, chunk); break;
    case TASK_BN_APPLY: bnApplyRows(args, chunk); break;
    case TASK_BN_GRAD_STATS: bnGradStatsRows(args, chunk); break;
    case TASK_BN_GRAD_DX: bnGradDxRows(args, chunk); break;
    case TASK_LSTM: lstmRows(args, chunk); break;
    case TASK_LSTM_GRAD: lstmGradRows(args, chunk); break;
  }
}

// ---- conv short-K area (tasks 112-119, 121-129) ----
export const TASK_CONV_SHORT = 112;

// 112 args: those of TASK_CONV_DIRECT (g xp hp wp panels out rows per bias act), after its prep task
function convShortChunk(args: usize, chunk: i32, scratch: usize): void {
  const rows = arg(args, 6), per = arg(args, 7), r0 = chunk * per;
  convShortRows(<usize>arg(args, 0), arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), arg(args, 5), r0,
    min(rows, r0 + per), arg(args, 8), arg(args, 9), scratch);
}

// ---- conv first-layer forward area (tasks 113-114, assembly/conv_first_fwd.ts) ----
export const TASK_CONV_FIRST_FWD = 113, TASK_CONV_FIRST_PACK = 114;

// 114 args: g w panels (one chunk); 113 args: g x panels out rows per bias act mode
function convFirstChunk(task: i32, args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>arg(args, 0);
  if (task == TASK_CONV_FIRST_PACK) {
    packFirstFilter(g, arg(args, 1), arg(args, 2));
    return;
  }
  const rows = arg(args, 4), per = arg(args, 5), r0 = chunk * per;
  convFirstRows(g, arg(args, 1), arg(args, 2), arg(args, 3), r0, min(rows, r0 + per), arg(args, 6), arg(args, 7), scratch,
    arg(args, 8));
}

// ---- conv gradients area (tasks 120-129) ----
export const TASK_CONV_FILTER_GRAD = 120;

// 120 args: g xp dy partials total per partialBytes sub hp wp pPer. pPer 0: chunk t takes pixels
// t * per .. into its own partial (one per chunk, not per thread, so that the sum does not depend
// on which thread took which chunk); else chunk t takes filter rows t * pPer .. over all pixels,
// straight into the one result
function convGradTask(task: i32, args: usize, chunk: i32, scratch: usize): void {
  if (task == TASK_CONV_FILTER_GRAD) {
    const g = <usize>arg(args, 0);
    const k = gi(g, FH) * gi(g, FW) * gi(g, IN_C);
    const total = arg(args, 4), sub = arg(args, 7), pPer = arg(args, 10);
    let q0 = 0, q1 = total, pLo = 0, pHi = k;
    let partial = <usize>arg(args, 3);
    if (pPer == 0) {
      q0 = chunk * arg(args, 5);
      q1 = min(total, q0 + arg(args, 5));
      partial += <usize>chunk * <usize>arg(args, 6);
    } else {
      pLo = chunk * pPer;
      pHi = min(k, pLo + pPer);
    }
    for (let q = q0; q < q1; q += sub) {
      convBackFilterPacked(g, arg(args, 1), arg(args, 8), arg(args, 9), arg(args, 2), partial, q,
        min(sub, q1 - q), pLo, pHi, scratch);
    }
  }
  // first conv layer filter gradient area: 127 takes 120's args (pPer 0; sub: pixels per block),
  // chunk t's pixels into its own partial through conv_filter_runs.ts
  else if (task == TASK_CONV_FILTER_RUNS) {
    const total = arg(args, 4), per = arg(args, 5);
    const q0 = chunk * per;
    convBackFilterRuns(<usize>arg(args, 0), arg(args, 1), arg(args, 8), arg(args, 9), arg(args, 2),
      <usize>arg(args, 3) + <usize>chunk * <usize>arg(args, 6), q0, min(total, q0 + per), arg(args, 7), scratch);
  }
}
export const TASK_CONV_FILTER_RUNS = 127;

// ---- conv stride-2 area (tasks 175-179: conv_stride2.ts) ----
// 175 args: g x wp panels out rows per bias act: output rows chunk * per .., x read band by band
//   (the filter packed before by TASK_CONV_DIRECT_PREP)
// 176 args: g x wp dy dW pPer block imagesPer partialBytes: imagesPer 0: filter rows chunk * pPer ..
//   over all images, added into dW; else all rows over images chunk * imagesPer .., added into
//   the chunk's partial at dW + chunk * partialBytes
function convStride2Task(task: i32, args: usize, chunk: i32, scratch: usize): void {
  const g = <usize>arg(args, 0);
  if (task == 175) {
    const rows = arg(args, 5), per = arg(args, 6), r0 = chunk * per;
    s2ForwardRows(g, arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), r0, min(rows, r0 + per),
      arg(args, 7), arg(args, 8), scratch);
  } else if (task == 176) {
    const k = gi(g, FH) * gi(g, FW) * gi(g, IN_C), batch = gi(g, 0), imagesPer = arg(args, 7);
    if (imagesPer > 0) {
      const b0 = chunk * imagesPer;
      s2FilterGrad(g, arg(args, 1), arg(args, 2), arg(args, 3), <usize>arg(args, 4) + <usize>chunk * <usize>arg(args, 8),
        0, k, b0, min(batch, b0 + imagesPer), arg(args, 6), scratch);
    } else {
      const pLo = chunk * arg(args, 5);
      s2FilterGrad(g, arg(args, 1), arg(args, 2), arg(args, 3), arg(args, 4), pLo, min(k, pLo + arg(args, 5)),
        0, batch, arg(args, 6), scratch);
    }
  }
}
// ---- end of conv stride-2 area ----

// ---- first conv layer area (tasks 150-154) ----
export const TASK_CONV_FIRST_BACK_INPUT = 150;
export const TASK_CONV_FIRST_DX = 151;

// 150 args: g dy packed dx rows per held (conv_first.ts: the input gradient of a 1-3 channel layer)
function convFirstTask(task: i32, args: usize, chunk: i32, scratch: usize): void {
  if (task == TASK_CONV_FIRST_BACK_INPUT) {
    const rows = arg(args, 4), per = arg(args, 5), r0 = chunk * per;
    convFirstBackInputRows(<usize>arg(args, 0), arg(args, 1), arg(args, 2), arg(args, 3), r0, min(rows, r0 + per), arg(args, 6), scratch);
  } else if (task == TASK_CONV_FIRST_DX) {
    // 151 args: g dy packed dx rows per flags (conv_first_dx.ts: its successor, filter rows packed side by side)
    const rows = arg(args, 4), per = arg(args, 5), r0 = chunk * per;
    convFirstDxRows(<usize>arg(args, 0), arg(args, 1), arg(args, 2), arg(args, 3), r0, min(rows, r0 + per), arg(args, 6), scratch);
  }
}
