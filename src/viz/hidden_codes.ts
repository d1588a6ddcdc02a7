/**
 * Hidden-layer representations, as the seeds show the 8-3-8 encoder's: each input, the hidden
 * units' values for it, and what the network outputs. As text (the seed's table) and as a heat
 * map (one row per input, one cell per hidden unit, darker for values near 1).
 */
import type { Tensor } from '../tensor/tensor.js';
import type { LayersModel } from '../nn/model.js';
import { runGraph } from './activations.js';
import { classesOf } from './decision.js';
import { escapeXml, fmt, svgDocument } from './svg.js';

export interface HiddenCodes {
  /** one row per input sample */
  inputs: number[][];
  /** the hidden layer's values per input */
  codes: number[][];
  /** the network's output per input as a one-hot row of its predicted class (optional) */
  outputs?: number[][];
  /** the hidden layer's name */
  layer?: string;
}

function rowsOf(t: Tensor): number[][] {
  const v = t.dataSync();
  const k = t.shape[t.rank - 1];
  return Array.from({ length: v.length / k }, (_, i) => Array.from(v.subarray(i * k, (i + 1) * k), Number));
}

/**
 * The codes of a batch of inputs: the first Dense layer's outputs (or the layer named), and
 * the model's prediction per input as one-hot (argmax; one output unit: 1 above 0.5).
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 3, activation: 'sigmoid', inputShape: [8] }), st.layers.dense({ units: 8, activation: 'softmax' })] });
 * const codes = st.viz.hiddenCodesOf(model, st.eye(8));
 * console.log(codes.codes.length); // 8
 * ```
 */
export function hiddenCodesOf(model: LayersModel, x: Tensor, layerName?: string): HiddenCodes {
  const acts = runGraph(model, x);
  const hit = layerName ? acts.find((a) => a.layer.name === layerName) : acts.find((a) => a.layer.className === 'Dense');
  if (!hit) {
    throw new Error(`viz.hiddenCodesOf: expected ${layerName ? `a layer "${layerName}"` : 'a Dense layer'} in model "${model.name}"; ` +
      `its layers are ${acts.map((a) => a.layer.name).join(', ')}`);
  }
  const last = acts[acts.length - 1].output;
  const k = last.shape[last.rank - 1];
  const outputs = Array.from(classesOf(last), (c) => (k === 1 ? [c] : Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));
  return { inputs: rowsOf(x), codes: rowsOf(hit.output), outputs, layer: hit.layer.name };
}

/** 0/1 rows print as bit strings (10000000); other rows as their values. */
function rowText(row: number[]): string {
  return row.every((v) => v === 0 || v === 1) ? row.join('') : row.map(value).join(' ');
}

/** The seed's number style: two decimals without the leading zero (.89, .04). */
function value(v: number): string {
  const s = Math.abs(v).toFixed(2);
  return (v < 0 ? '-' : '') + (s.startsWith('0') ? s.slice(1) : s);
}

function check(c: HiddenCodes, where: string): void {
  if (!c || !Array.isArray(c.inputs) || !Array.isArray(c.codes) || c.inputs.length !== c.codes.length || c.codes.length === 0) {
    throw new Error(`${where}: expected {inputs, codes} with one code row per input, got ${c?.inputs?.length} inputs and ${c?.codes?.length} codes`);
  }
  if (c.outputs && c.outputs.length !== c.inputs.length) throw new Error(`${where}: ${c.inputs.length} inputs but ${c.outputs.length} outputs`);
}

/**
 * The seed's table: "Input  Hidden Values  Output", one line per input.
 *
 * @example
 * ```ts
 * console.log(st.viz.hiddenCodesTable({ inputs: [[1, 0], [0, 1]], codes: [[0.9, 0.1], [0.2, 0.8]] }));
 * ```
 */
export function hiddenCodesTable(c: HiddenCodes): string {
  check(c, 'viz.hiddenCodesTable');
  const ins = c.inputs.map(rowText);
  const codes = c.codes.map((r) => r.map(value).join(' '));
  const wi = Math.max(5, ...ins.map((s) => s.length));
  const wc = Math.max(13, ...codes.map((s) => s.length));
  const lines = [`${'Input'.padEnd(wi)}    ${'Hidden Values'.padEnd(wc)}${c.outputs ? '    Output' : ''}`];
  ins.forEach((s, i) => lines.push(`${s.padEnd(wi)} -> ${codes[i].padEnd(wc)}${c.outputs ? ` -> ${rowText(c.outputs[i])}` : ''}`.trimEnd()));
  return lines.join('\n');
}

const CELL = 44;

/**
 * A heat map of the codes: white at 0, dark blue at 1 (values outside [0, 1] clipped), each value written in its cell.
 *
 * @example
 * ```ts
 * console.log(st.viz.hiddenCodes({ inputs: [[1, 0], [0, 1]], codes: [[0.9, 0.1], [0.2, 0.8]] }).slice(0, 4)); // '<svg'
 * ```
 */
export function hiddenCodes(c: HiddenCodes, options: { title?: string } = {}): string {
  check(c, 'viz.hiddenCodes');
  const units = Math.max(...c.codes.map((r) => r.length));
  const ins = c.inputs.map(rowText);
  const labelW = Math.max(60, 8 * Math.max(...ins.map((s) => s.length)));
  const left = labelW + 20;
  const top = 56;
  const title = options.title ?? `hidden values${c.layer ? ` of "${c.layer}"` : ''}`;
  const body = [
    `<text x="10" y="18" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="10" y="${top - 8}" font-weight="bold">input</text>`,
    `<text class="legend" x="${left}" y="34" font-size="11">white 0, dark blue 1</text>`,
  ];
  for (let u = 0; u < units; u++) body.push(`<text x="${left + u * CELL + CELL / 2}" y="${top - 8}" text-anchor="middle">h${u}</text>`);
  if (c.outputs) body.push(`<text x="${left + units * CELL + 16}" y="${top - 8}" font-weight="bold">output</text>`);
  c.codes.forEach((row, i) => {
    const y = top + i * CELL;
    body.push(`<text x="10" y="${y + CELL / 2 + 4}" font-family="monospace">${escapeXml(ins[i])}</text>`);
    row.forEach((v, u) => {
      const t = Math.max(0, Math.min(1, v));
      const mix = (white: number, dark: number) => Math.round(white + (dark - white) * t);
      const fill = `rgb(${mix(255, 8)},${mix(255, 48)},${mix(255, 107)})`;
      body.push(`<rect class="code" data-row="${i}" data-unit="${u}" data-value="${fmt(v)}" x="${left + u * CELL}" y="${y}" width="${CELL}" height="${CELL}" fill="${fill}" stroke="white"/>`,
        `<text x="${left + u * CELL + CELL / 2}" y="${y + CELL / 2 + 4}" text-anchor="middle" font-size="11" fill="${t > 0.5 ? 'white' : 'black'}">${value(v)}</text>`);
    });
    if (c.outputs) body.push(`<text x="${left + units * CELL + 16}" y="${y + CELL / 2 + 4}" font-family="monospace">${escapeXml(rowText(c.outputs[i]))}</text>`);
  });
  const width = left + units * CELL + (c.outputs ? 40 + 8 * Math.max(...c.outputs.map((r) => rowText(r).length)) : 20);
  return svgDocument(Math.max(width, 260), top + c.codes.length * CELL + 12, body, title);
}
