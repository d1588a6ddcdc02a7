/**
 * First conv layer area (issue 18 item 1): kernels shaped for the few input channels of an image
 * model's first convolution (assembly/conv_first.ts, tasks 150-154).
 *
 * The input gradient of a stride-1 convolution over 1-3 input channels (task 150): run as a
 * forward convolution of dy with the turned filter, it has 1-3 output channels, 1-3 of the 8
 * columns of the direct kernel's register tile (measured 33-36% of the GEMM's GFLOP/s for CIFAR's
 * 3->32 layer). The kernel vectorises along dy's channels instead (see the assembly file).
 * The filter gradient of such a layer (task 151, through WasmOps.backFilterAt's chunks and
 * partial sums): one tap x its 1-3 channels x 16 output channels a register tile.
 * `globalThis.STRIATE_CONV_FIRST = 'off'` turns both off (tests, benches).
 */
import type { Conv2DInfo } from '../types.js';
import type { WasmBackend } from './backend.js';
import { KernelGroup } from './kernel_group.js';

const TASK_CONV_FIRST_BACK_INPUT = 150;
/** the filter gradient with 1-3 input channels (assembly/conv_first.ts), run by WasmOps.backFilterAt */
export const TASK_CONV_FIRST_BACK_FILTER = 151;

/** STRIATE_CONV_FIRST: 'off' turns both kernels off, 'dx' / 'dw' keeps only that one (A/B benches) */
const firstMode = (): string => String((globalThis as { STRIATE_CONV_FIRST?: unknown }).STRIATE_CONV_FIRST ?? '');

/**
 * Whether the first-layer filter-gradient kernel (task 151) takes this geometry: 1-3 input
 * channels, output channels in sixteens, a window of at most 64 taps x channels (the 7x7 stem,
 * K = 147, keeps the packed kernel, which measured fine there).
 */
export function firstBackFilterApplies(info: Conv2DInfo): boolean {
  const mode = firstMode();
  return mode !== 'off' && mode !== 'dx' && info.inChannels <= 3 && info.outChannels % 16 === 0 && info.outChannels > 0 &&
    info.filterHeight * info.filterWidth * info.inChannels <= 64;
}

/** Whether the first-layer input-gradient kernel takes this geometry. */
export function firstBackInputApplies(info: Conv2DInfo): boolean {
  const mode = firstMode();
  return mode !== 'off' && mode !== 'dw' && info.inChannels <= 3 && info.outChannels % 4 === 0 && info.outChannels > 0 &&
    info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1;
}

export class FirstLayerOps extends KernelGroup {
  constructor(b: WasmBackend, private readonly geometry: (info: Conv2DInfo) => number) {
    super(b);
  }

  /**
   * dx of a stride-1, dilation-1 convolution with 1-3 input channels and a multiple of 4 output
   * channels into `out` (every value written). The filter is packed here: per filter row, the
   * window's dy pixels left to right (filter columns right to left) x channel quads, three
   * 4-channel vectors each (one per input channel, zeros past inChannels).
   */
  backInput(dy: number, filter: number, info: Conv2DInfo, out: number): void {
    const { filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co } = info;
    const quads = co / 4;
    const bytes = fh * fw * quads * 48;
    const packed = this.b.heap.alloc(bytes);
    try {
      const f32 = this.b.mem.f32;
      const src = filter >> 2;
      let t = packed >> 2;
      for (let fy = 0; fy < fh; fy++) {
        for (let d = 0; d < fw; d++) {
          const fx = fw - 1 - d;
          for (let q = 0; q < quads; q++) {
            for (let i = 0; i < 3; i++) {
              for (let l = 0; l < 4; l++) f32[t++] = i < ci ? f32[src + ((fy * fw + fx) * ci + i) * co + 4 * q + l] : 0;
            }
          }
        }
      }
      const rows = info.batchSize * info.inHeight;
      const macs = rows * info.inWidth * fh * fw * ci * co;
      const parallel = this.parallel(macs);
      const per = parallel ? Math.max(1, Math.ceil(rows / this.target)) : rows;
      const args = this.b.args([this.geometry(info), dy, packed, out, rows, per]);
      this.b.run(TASK_CONV_FIRST_BACK_INPUT, args, Math.ceil(rows / per), parallel, macs);
    } finally {
      this.b.heap.release(packed, bytes);
    }
  }
}
