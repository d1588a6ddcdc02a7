/**
 * Decision regions as PNG: the grid of predicted classes, each cell `cellSize` pixels square,
 * with the data points as small squares in their class colour (PNG carries no text or axes).
 */
import { PALETTE, decisionPanel, paleColour, type Classifier, type DecisionRegionsOptions, type PointSet } from './decision.js';
import { rasterToPng, type Raster } from './tiles.js';

function rgbOf(colour: string): [number, number, number] {
  const m = colour.match(/^rgb\((\d+),(\d+),(\d+)\)$/);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return [parseInt(colour.slice(1, 3), 16), parseInt(colour.slice(3, 5), 16), parseInt(colour.slice(5, 7), 16)];
}

/** The raster of a decision-regions picture (what decisionRegionsPng encodes). */
export function decisionRegionsRaster(model: Classifier, data: PointSet, options: DecisionRegionsOptions & { cellSize?: number } = {}): Raster {
  const p = decisionPanel(model, data, options, 'viz.decisionRegionsPng');
  const s = Math.max(1, Math.floor(options.cellSize ?? 4));
  const g = p.gridSize;
  const size = g * s;
  const rgb = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) rgb.set(rgbOf(paleColour(p.cells[Math.floor(y / s) * g + Math.floor(x / s)])), (y * size + x) * 3);
  }
  const [x0, x1, y0, y1] = p.bounds;
  const { xy, labels } = p.points!;
  for (let i = 0; i < labels.length; i++) {
    const cx = Math.round(((xy[2 * i] - x0) / (x1 - x0)) * (size - 1));
    const cy = Math.round((1 - (xy[2 * i + 1] - y0) / (y1 - y0)) * (size - 1));
    const colour = rgbOf(PALETTE[labels[i] % PALETTE.length]);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x >= 0 && y >= 0 && x < size && y < size) rgb.set(colour, (y * size + x) * 3);
      }
    }
  }
  return { width: size, height: size, rgb };
}

/**
 * PNG bytes of a classifier's decision regions with the data points on top.
 *
 * @example
 * ```ts
 * const data = st.data.xor();
 * const model = st.sequential({ layers: [st.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });
 * console.log(st.viz.decisionRegionsPng(model, data, { gridSize: 10 }).length);
 * ```
 */
export function decisionRegionsPng(model: Classifier, data: PointSet, options: DecisionRegionsOptions & { cellSize?: number } = {}): Buffer {
  return rasterToPng(decisionRegionsRaster(model, data, options));
}
