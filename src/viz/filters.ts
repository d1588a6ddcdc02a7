/**
 * A convolution layer's kernels as pictures: one small image per output channel (filter). A
 * first layer that reads 3 channels is drawn in colour (the kernel's input channels as red,
 * green, blue), as the seeds' pictures of learned first-layer filters; otherwise each input
 * channel of each filter is its own grey image. Each filter is scaled to its own value range,
 * because filters differ in magnitude and a shared scale would leave most of them flat grey.
 */
import { Tensor } from '../tensor/tensor.js';
import { greyRaster, tileGridPng, tileGridSvg, toByte, valueRange, type Raster, type Tile, type TileLayout } from './tiles.js';

/** What filters() needs of a layer: its name, its class and its weights (kernel first). */
export interface KernelLayer {
  name: string;
  className: string;
  getWeights(): Tensor[];
}

export interface FiltersOptions extends TileLayout {
  title?: string;
  /** draw a 3-input-channel kernel in colour; default true */
  colour?: boolean;
}

/** The kernel [kh, kw, inC, outC] of a layer (or the tensor itself), checked. */
function kernelOf(layerOrKernel: KernelLayer | Tensor, where: string): { kernel: Tensor; name: string } {
  if (layerOrKernel instanceof Tensor) return { kernel: checked(layerOrKernel, where, 'kernel'), name: 'kernel' };
  if (!layerOrKernel || typeof layerOrKernel.getWeights !== 'function') {
    throw new Error(`${where}: expected a conv layer or a kernel tensor [kh, kw, inC, outC], got ${typeof layerOrKernel}`);
  }
  const weights = layerOrKernel.getWeights();
  const kernel = weights.find((w) => w.rank === 4);
  if (!kernel) {
    throw new Error(`${where}: layer "${layerOrKernel.name}" (${layerOrKernel.className}) has no 4-D kernel ` +
      `[kh, kw, inC, outC]; its weights are ${weights.map((w) => `[${w.shape.join(', ')}]`).join(', ') || 'none (is it built?)'}`);
  }
  return { kernel: checked(kernel, where, layerOrKernel.name), name: layerOrKernel.name };
}

function checked(k: Tensor, where: string, name: string): Tensor {
  if (k.rank !== 4) throw new Error(`${where}: expected "${name}" to be a kernel [kh, kw, inC, outC], got shape [${k.shape.join(', ')}]`);
  return k;
}

/** The tiles: per filter either one colour image or one grey image per input channel. */
export function filterTiles(layerOrKernel: KernelLayer | Tensor, options: FiltersOptions = {}, where = 'viz.filters'): { tiles: Tile[]; name: string; colour: boolean } {
  const { kernel, name } = kernelOf(layerOrKernel, where);
  const [kh, kw, inC, outC] = kernel.shape;
  const v = kernel.dataSync();
  const at = (i: number, j: number, c: number, f: number): number => v[((i * kw + j) * inC + c) * outC + f];
  const colour = inC === 3 && options.colour !== false;
  const tiles: Tile[] = [];
  for (let f = 0; f < outC; f++) {
    const own: number[] = [];
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let c = 0; c < inC; c++) own.push(at(i, j, c, f));
    const [lo, hi] = valueRange(own);
    const data = { filter: f, min: lo, max: hi };
    if (colour) {
      const rgb = new Uint8Array(kh * kw * 3);
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let c = 0; c < 3; c++) rgb[(i * kw + j) * 3 + c] = toByte(at(i, j, c, f), lo, hi);
      const raster: Raster = { width: kw, height: kh, rgb };
      tiles.push({ raster, caption: `filter ${f}`, data });
    } else {
      for (let c = 0; c < inC; c++) {
        tiles.push({ raster: greyRaster(kh, kw, (i, j) => at(i, j, c, f), lo, hi), caption: inC > 1 ? `${f} in ${c}` : `filter ${f}`, data: { ...data, channel: c } });
      }
    }
  }
  return { tiles, name, colour };
}

function legend(colour: boolean): string {
  return colour
    ? 'each filter scaled to its own range; input channels 0, 1, 2 drawn as red, green, blue (min dark, max bright)'
    : 'each filter scaled to its own range: its minimum black, its maximum white';
}

/**
 * An SVG grid of a conv layer's filters (one tile per output channel, or per output x input channel).
 *
 * @example
 * ```ts
 * const conv = st.layers.conv2d({ filters: 4, kernelSize: 3 });
 * conv.apply(st.ones([1, 8, 8, 1]));
 * console.log(st.viz.filters(conv).slice(0, 4)); // '<svg'
 * ```
 */
export function filters(layerOrKernel: KernelLayer | Tensor, options: FiltersOptions = {}): string {
  const { tiles, name, colour } = filterTiles(layerOrKernel, options);
  const perFilter = colour ? 1 : Math.max(1, tiles.length / Math.max(1, new Set(tiles.map((t) => t.data?.filter)).size));
  const columns = options.columns ?? (perFilter > 1 && perFilter <= 16 ? perFilter : undefined);
  return tileGridSvg(options.title ?? `filters of ${name}`, legend(colour), tiles, { ...options, columns });
}

/**
 * The same grid as PNG bytes (no captions).
 *
 * @example
 * ```ts
 * const png = st.viz.filtersPng(st.randomNormal([3, 3, 1, 4]));
 * console.log(png.length); // PNG bytes
 * ```
 */
export function filtersPng(layerOrKernel: KernelLayer | Tensor, options: FiltersOptions = {}): Buffer {
  return tileGridPng(filterTiles(layerOrKernel, options, 'viz.filtersPng').tiles, options);
}
