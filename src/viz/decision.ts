/**
 * Decision regions of a classifier on 2-D inputs: the predicted class over a grid of points,
 * drawn as pale cells, with the data points on top in full colour — the seeds' pictures of
 * what a network with 2, 3, 4 or 10 hidden units carves out of the "Four Gaussians", "One
 * Pocket" and "Two Pockets" sets. Also each hidden unit's own region (activation > 0.5).
 */
import { Tensor } from '../tensor/tensor.js';
import { makeTensor } from '../tensor/engine.js';
import type { LayersModel } from '../nn/model.js';
import { runGraph } from './activations.js';
import { escapeXml, fmt, svgDocument, tickLabel, ticks } from './svg.js';

/** What decisionRegions needs of a model: predictions for a batch of points [n, 2]. */
export interface Classifier {
  name?: string;
  predict(x: Tensor, args?: { batchSize?: number }): Tensor | Tensor[];
}

export interface PointSet {
  /** [n, 2] points */
  x: Tensor;
  /** [n] class indices, or [n, k] one-hot / [n, 1] 0-1 labels */
  y: Tensor;
}

export interface DecisionRegionsOptions {
  /** cells per side; default 40 */
  gridSize?: number;
  /** [xMin, xMax, yMin, yMax]; default the data's extent plus 10% */
  bounds?: [number, number, number, number];
  /** false: one rect per grid cell; default true: a row's run of equal cells is one rect with data-cells="n" */
  mergeRuns?: boolean;
  title?: string;
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** The palette colour mixed with white: region cells stay pale so the points on top show. */
export function paleColour(k: number): string {
  const hex = PALETTE[k % PALETTE.length];
  const mix = (at: number) => Math.round(255 - (255 - parseInt(hex.slice(at, at + 2), 16)) * 0.35);
  return `rgb(${mix(1)},${mix(3)},${mix(5)})`;
}

const PLOT = 220;
const MARGIN = { left: 40, top: 30, right: 12, bottom: 30 };
export const PANEL_W = MARGIN.left + PLOT + MARGIN.right;
export const PANEL_H = MARGIN.top + PLOT + MARGIN.bottom;

/** Class index per row: argmax over the last axis, or (one column) 1 above 0.5. */
export function classesOf(t: Tensor): Int32Array {
  const v = t.dataSync();
  if (t.rank === 1) return Int32Array.from(v, (c) => Math.round(c));
  const k = t.shape[t.rank - 1];
  const n = v.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (k === 1) {
      out[i] = v[i] > 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let j = 1; j < k; j++) if (v[i * k + j] > v[i * k + best]) best = j;
    out[i] = best;
  }
  return out;
}

function checkData(data: PointSet, where: string): Float32Array {
  if (!data || !(data.x instanceof Tensor) || data.x.rank !== 2 || data.x.shape[1] !== 2) {
    throw new Error(`${where}: expected data.x as [n, 2] points, got ${data?.x instanceof Tensor ? `[${data.x.shape.join(', ')}]` : typeof data?.x}`);
  }
  if (!(data.y instanceof Tensor) || data.y.shape[0] !== data.x.shape[0]) {
    throw new Error(`${where}: expected data.y with one label per point (${data.x.shape[0]}), got ${data.y instanceof Tensor ? `[${data.y.shape.join(', ')}]` : typeof data.y}`);
  }
  return Float32Array.from(data.x.dataSync());
}

function boundsOf(points: Float32Array, given?: [number, number, number, number]): [number, number, number, number] {
  if (given) return given;
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < points.length; i += 2) {
    x0 = Math.min(x0, points[i]); x1 = Math.max(x1, points[i]);
    y0 = Math.min(y0, points[i + 1]); y1 = Math.max(y1, points[i + 1]);
  }
  const px = (x1 - x0) * 0.1 || 1;
  const py = (y1 - y0) * 0.1 || 1;
  return [x0 - px, x1 + px, y0 - py, y1 + py];
}

/** The grid's cell centres as an [g*g, 2] tensor, row by row from the top (largest x2) down. */
export function gridPoints(bounds: [number, number, number, number], g: number): Tensor {
  const [x0, x1, y0, y1] = bounds;
  const v = new Float32Array(g * g * 2);
  for (let r = 0; r < g; r++) {
    for (let c = 0; c < g; c++) {
      v[(r * g + c) * 2] = x0 + ((c + 0.5) / g) * (x1 - x0);
      v[(r * g + c) * 2 + 1] = y1 - ((r + 0.5) / g) * (y1 - y0);
    }
  }
  return makeTensor(v, [g * g, 2], 'float32');
}

export interface Panel {
  title: string;
  /** class per grid cell, row-major from the top */
  cells: Int32Array;
  gridSize: number;
  bounds: [number, number, number, number];
  points?: { xy: Float32Array; labels: Int32Array };
  /** fill for a cell's class; default the pale palette */
  fill?: (k: number) => string;
  /** false: one rect per cell even where neighbours agree */
  mergeRuns?: boolean;
}

/** One panel's SVG elements with its top-left corner at (ox, oy). */
export function panelBody(p: Panel, ox: number, oy: number): string[] {
  const [x0, x1, y0, y1] = p.bounds;
  const g = p.gridSize;
  const px = (x: number) => ox + MARGIN.left + ((x - x0) / (x1 - x0)) * PLOT;
  const py = (y: number) => oy + MARGIN.top + PLOT - ((y - y0) / (y1 - y0)) * PLOT;
  const cell = PLOT / g;
  const fill = p.fill ?? paleColour;
  const out = [`<g class="panel">`, `<text x="${fmt(ox + MARGIN.left + PLOT / 2)}" y="${oy + 18}" text-anchor="middle" font-weight="bold">${escapeXml(p.title)}</text>`];
  // crisp edges: anti-aliased neighbouring rects otherwise leave pale seams between rows
  out.push('<g shape-rendering="crispEdges">');
  for (let r = 0; r < g; r++) {
    // a run of equal cells in a row is one rect (data-cells says how many): a 40 x 40 grid then
    // costs a few hundred elements instead of 1,600
    for (let c = 0; c < g;) {
      const k = p.cells[r * g + c];
      let run = 1;
      while (p.mergeRuns !== false && c + run < g && p.cells[r * g + c + run] === k) run++;
      out.push(`<rect class="region" data-class="${k}" data-cells="${run}" x="${fmt(ox + MARGIN.left + c * cell)}" y="${fmt(oy + MARGIN.top + r * cell)}" ` +
        `width="${fmt(run * cell + 0.05)}" height="${fmt(cell + 0.05)}" fill="${fill(k)}"/>`);
      c += run;
    }
  }
  out.push('</g>');
  out.push(`<rect x="${ox + MARGIN.left}" y="${oy + MARGIN.top}" width="${PLOT}" height="${PLOT}" fill="none" stroke="#666"/>`);
  for (const t of ticks(x0, x1, 4)) {
    out.push(`<text x="${fmt(px(t))}" y="${oy + MARGIN.top + PLOT + 14}" text-anchor="middle" font-size="10">${tickLabel(t)}</text>`);
  }
  for (const t of ticks(y0, y1, 4)) {
    out.push(`<text x="${ox + MARGIN.left - 4}" y="${fmt(py(t) + 3)}" text-anchor="end" font-size="10">${tickLabel(t)}</text>`);
  }
  if (p.points) {
    const { xy, labels } = p.points;
    for (let i = 0; i < labels.length; i++) {
      out.push(`<circle class="point" data-class="${labels[i]}" cx="${fmt(px(xy[2 * i]))}" cy="${fmt(py(xy[2 * i + 1]))}" r="2.5" ` +
        `fill="${PALETTE[labels[i] % PALETTE.length]}" stroke="white" stroke-width="0.6"/>`);
    }
  }
  out.push('</g>');
  return out;
}

/** The panel for one classifier on one data set. */
export function decisionPanel(model: Classifier, data: PointSet, options: DecisionRegionsOptions, where: string): Panel {
  if (!model || typeof model.predict !== 'function') {
    throw new Error(`${where}: expected a model with predict() (import striate's training, e.g. through 'striate'), got ${typeof model}`);
  }
  const xy = checkData(data, where);
  const gridSize = options.gridSize ?? 40;
  if (!Number.isInteger(gridSize) || gridSize < 2 || gridSize > 400) throw new Error(`${where}: gridSize must be an integer in 2..400, got ${gridSize}`);
  const bounds = boundsOf(xy, options.bounds);
  const out = model.predict(gridPoints(bounds, gridSize), { batchSize: 4096 });
  return {
    title: options.title ?? (model.name ? `model "${model.name}"` : 'decision regions'),
    cells: classesOf(Array.isArray(out) ? out[0] : out), gridSize, bounds, mergeRuns: options.mergeRuns,
    points: { xy, labels: classesOf(data.y) },
  };
}

function panelsSvg(panels: Panel[], columns: number, title: string, legend: string): string {
  const cols = Math.max(1, Math.min(columns, panels.length));
  const body = [`<text x="10" y="18" font-weight="bold">${escapeXml(title)}</text>`, `<text class="legend" x="10" y="34" font-size="11">${escapeXml(legend)}</text>`];
  panels.forEach((p, i) => body.push(...panelBody(p, (i % cols) * PANEL_W, 40 + Math.floor(i / cols) * PANEL_H)));
  return svgDocument(Math.max(cols * PANEL_W, 420), 40 + Math.ceil(panels.length / cols) * PANEL_H, body, title);
}

const LEGEND = 'pale cells: predicted class over a grid; dots: the data, coloured by true class';

/**
 * An SVG of a 2-D classifier's predicted class over a grid, with the data points on top.
 *
 * @example
 * ```ts
 * const data = st.data.xor();
 * const model = st.sequential({ layers: [st.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });
 * console.log(st.viz.decisionRegions(model, data, { gridSize: 20 }).slice(0, 4)); // '<svg'
 * ```
 */
export function decisionRegions(model: Classifier, data: PointSet, options: DecisionRegionsOptions = {}): string {
  const panel = decisionPanel(model, data, options, 'viz.decisionRegions');
  return panelsSvg([panel], 1, options.title ?? panel.title, LEGEND);
}

export interface DecisionGridEntry {
  model: Classifier;
  data: PointSet;
  title?: string;
}

/**
 * Several classifiers side by side (e.g. one row per data set, one column per hidden-layer size).
 *
 * @example
 * ```ts
 * const data = st.data.xor();
 * const model = st.sequential({ layers: [st.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });
 * console.log(st.viz.decisionRegionsGrid([{ model, data, title: 'untrained' }], { gridSize: 10 }).length);
 * ```
 */
export function decisionRegionsGrid(entries: DecisionGridEntry[], options: DecisionRegionsOptions & { columns?: number } = {}): string {
  if (!Array.isArray(entries) || entries.length === 0) throw new Error('viz.decisionRegionsGrid: expected a non-empty list of {model, data, title}');
  const panels = entries.map((e, i) => decisionPanel(e.model, e.data, { ...options, title: e.title ?? `model ${i + 1}` }, `viz.decisionRegionsGrid entry ${i}`));
  return panelsSvg(panels, options.columns ?? Math.ceil(Math.sqrt(entries.length)), options.title ?? 'decision regions', LEGEND);
}

/**
 * Each hidden unit's region: where its activation exceeds 0.5, for a network whose first Dense
 * layer (or the layer named) is the hidden layer. With logistic units that is one side of a
 * line, and the network's boundary is put together from these half-planes.
 *
 * @example
 * ```ts
 * const data = st.data.xor();
 * const model = st.sequential({ layers: [st.layers.dense({ units: 3, activation: 'sigmoid', inputShape: [2] }), st.layers.dense({ units: 2, activation: 'softmax' })] });
 * console.log(st.viz.hiddenUnitRegions(model, data, { gridSize: 10 }).length);
 * ```
 */
export function hiddenUnitRegions(model: LayersModel, data: PointSet, options: DecisionRegionsOptions & { layerName?: string; columns?: number } = {}): string {
  const where = 'viz.hiddenUnitRegions';
  const xy = checkData(data, where);
  const g = options.gridSize ?? 40;
  const bounds = boundsOf(xy, options.bounds);
  const acts = runGraph(model, gridPoints(bounds, g));
  const hit = options.layerName ? acts.find((a) => a.layer.name === options.layerName) : acts.find((a) => a.layer.className === 'Dense');
  if (!hit || hit.output.rank !== 2) {
    throw new Error(`${where}: expected ${options.layerName ? `layer "${options.layerName}"` : 'a Dense layer'} with output [n, units] in model "${model.name}"; ` +
      `its layers are ${acts.map((a) => `${a.layer.name} (${a.layer.className})`).join(', ')}`);
  }
  const units = hit.output.shape[1];
  const v = hit.output.dataSync();
  const labels = classesOf(data.y);
  const panels: Panel[] = [];
  for (let u = 0; u < units; u++) {
    const cells = new Int32Array(g * g);
    for (let i = 0; i < g * g; i++) cells[i] = v[i * units + u] > 0.5 ? 1 : 0;
    panels.push({ title: `${hit.layer.name} unit ${u}`, cells, gridSize: g, bounds, mergeRuns: options.mergeRuns, points: { xy, labels }, fill: (k) => (k ? 'rgb(255,236,179)' : 'rgb(240,240,240)') });
  }
  return panelsSvg(panels, options.columns ?? Math.min(units, 5), options.title ?? `hidden units of "${hit.layer.name}"`,
    'yellow cells: the unit\'s activation > 0.5; grey: <= 0.5; dots: the data by class');
}
