/**
 * Feature maps: what each layer computes for one input. An image-shaped output [1, h, w, c]
 * becomes c grey images (one per channel, "a grid per channel"); a vector [1, n] becomes one
 * strip (wrapped into a near-square block when long); a sequence [1, t, c] one t x c image.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { LayersModel } from '../nn/model.js';
import { activations, type LayerActivation } from './activations.js';
import { escapeXml, svgDocument } from './svg.js';
import { greyRaster, tileGridBody, tileGridPng, valueRange, type Tile, type TileLayout } from './tiles.js';

export interface FeatureMapsOptions extends TileLayout {
  /** 'each' (default): every map scaled to its own range; 'layer': all maps of a layer share one range */
  scale?: 'each' | 'layer';
  /** at most this many channels drawn per layer; default 64 */
  maxChannels?: number;
  title?: string;
  /** leave out the InputLayer's picture (the input itself) when drawing every layer; default false */
  skipInput?: boolean;
}

/**
 * One layer's output as tiles.
 *
 * @example
 * ```ts
 * const { tiles, channels } = st.viz.mapTiles(st.ones([1, 4, 4, 3]));
 * console.log(tiles.length, channels); // 3 3
 * ```
 */
export function mapTiles(output: Tensor, options: FeatureMapsOptions = {}): { tiles: Tile[]; shown: number; channels: number } {
  const v = output.dataSync();
  const s = output.shape;
  const layerRange = valueRange(v);
  const range = (values: number[]): [number, number] => (options.scale === 'layer' ? layerRange : valueRange(values));
  if (s.length === 4) {
    const [, h, w, c] = s;
    const shown = Math.min(c, options.maxChannels ?? 64);
    const tiles: Tile[] = [];
    for (let ch = 0; ch < shown; ch++) {
      const at = (i: number, j: number): number => v[(i * w + j) * c + ch];
      const own: number[] = [];
      for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) own.push(at(i, j));
      const [lo, hi] = range(own);
      tiles.push({ raster: greyRaster(h, w, at, lo, hi), caption: `channel ${ch}`, data: { channel: ch, min: lo, max: hi } });
    }
    return { tiles, shown, channels: c };
  }
  const n = v.length;
  // a vector wraps into rows once it is too long to read as one strip
  const [h, w] = s.length === 3 ? [s[1], s[2]] : n <= 64 ? [1, n] : [Math.ceil(n / Math.ceil(Math.sqrt(n))), Math.ceil(Math.sqrt(n))];
  const [lo, hi] = valueRange(v);
  const raster = greyRaster(h, w, (i, j) => (i * w + j < n ? v[i * w + j] : lo), lo, hi);
  return { tiles: [{ raster, caption: s.length === 3 ? `${h} steps x ${w}` : `${n} values`, data: { min: lo, max: hi } }], shown: 1, channels: 1 };
}

function shapeText(t: Tensor): string {
  return `[${t.shape.map((d, i) => (i === 0 ? 'batch' : String(d))).join(', ')}]`;
}

function legendText(options: FeatureMapsOptions): string {
  return options.scale === 'layer'
    ? 'each layer scaled to its own range: minimum black, maximum white'
    : 'each map scaled to its own range: minimum black, maximum white';
}

/** The layers to draw: one by name, or every layer. */
function chosen(model: LayersModel, input: Tensor, layerName: string | undefined, options: FeatureMapsOptions): LayerActivation[] {
  const all = activations(model, input);
  if (layerName === undefined) return all.filter((a) => !(options.skipInput && a.layer.className === 'InputLayer'));
  const hit = all.filter((a) => a.layer.name === layerName).slice(0, 1);
  if (hit.length === 0) {
    throw new Error(`viz.featureMaps: model "${model.name}" has no layer "${layerName}"; its layers are ${all.map((a) => a.layer.name).join(', ')}`);
  }
  return hit;
}

/**
 * An SVG of the activations of one layer (by name) or of every layer, for one input sample
 * (a tensor [1, ...] or one sample without the batch axis).
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 1] })] });
 * console.log(st.viz.featureMaps(model, st.ones([1, 8, 8, 1])).slice(0, 4)); // '<svg'
 * ```
 */
export function featureMaps(model: LayersModel, input: Tensor, layerName?: string, options: FeatureMapsOptions = {}): string {
  const title = options.title ?? (layerName ? `feature maps of ${layerName}` : `feature maps of model "${model.name}"`);
  return featureMapsSvg(chosen(model, input, layerName, options), title, options);
}

/** The SVG of activations already computed (one run of the model drawn as several pictures). */
export function featureMapsSvg(layers: LayerActivation[], title: string, options: FeatureMapsOptions = {}): string {
  const body: string[] = [];
  let y = 44;
  let width = 420;
  for (const { layer, output } of layers) {
    const { tiles, shown, channels } = mapTiles(output, options);
    const more = shown < channels ? ` (first ${shown} of ${channels} channels)` : '';
    body.push(`<g class="layer" data-layer="${escapeXml(layer.name)}">`,
      `<text x="10" y="${y + 14}" font-weight="bold">${escapeXml(`${layer.name} (${layer.className}) ${shapeText(output)}${more}`)}</text>`);
    const grid = tileGridBody(tiles, { columns: 8, ...options }, 10, y + 20);
    body.push(...grid.body, '</g>');
    y += grid.height + 28;
    width = Math.max(width, grid.width + 20);
  }
  const head = [
    `<text x="10" y="18" font-weight="bold">${escapeXml(title)}</text>`,
    `<text class="legend" x="10" y="34" font-size="11">${escapeXml(legendText(options))}</text>`,
  ];
  return svgDocument(width, y + 6, [...head, ...body], title);
}

/**
 * One layer's maps as PNG bytes (default: the last layer with an image-shaped output).
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 1] })] });
 * console.log(st.viz.featureMapsPng(model, st.ones([1, 8, 8, 1])).length);
 * ```
 */
export function featureMapsPng(model: LayersModel, input: Tensor, layerName?: string, options: FeatureMapsOptions = {}): Buffer {
  const layers = chosen(model, input, layerName, options);
  const pick = layerName ? layers[0] : [...layers].reverse().find((a) => a.output.rank === 4) ?? layers[layers.length - 1];
  return tileGridPng(mapTiles(pick.output, options).tiles, { columns: 8, ...options });
}
