/** Keras' model summary table, as lines of text. */
import type { Layer, LayerNode, Shape } from './layer.js';
import type { LayersModel } from './model.js';

function shapeText(shape: Shape | Shape[]): string {
  const one = (s: Shape) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
  return Array.isArray(shape[0]) ? (shape as Shape[]).map(one).join(', ') : one(shape as Shape);
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** One table row; a cell longer than its column continues on extra lines (as Keras 2.9+), never cut. */
function row(cells: string[], positions: number[]): string {
  const widths = positions.map((end, i) => end - (i === 0 ? 0 : positions[i - 1]) - 1);
  const chunks = cells.map((cell, i) => {
    const w = Math.max(1, widths[i]);
    const parts: string[] = [];
    for (let at = 0; at < cell.length; at += w) parts.push(cell.slice(at, at + w));
    return parts.length ? parts : [''];
  });
  const height = Math.max(...chunks.map((c) => c.length));
  const lines: string[] = [];
  for (let k = 0; k < height; k++) {
    let line = '';
    chunks.forEach((c, i) => {
      line = (line + (c[k] ?? '')).padEnd(positions[i]);
    });
    lines.push(line);
  }
  return lines.join('\n');
}

/** Lines of `model.summary()`: Layer (type) | Output Shape | Param # (| Connected to, for graphs). */
export function formatSummary(model: LayersModel, lineLength?: number, positionsGiven?: number[]): string[] {
  const sequentialLike = model.className === 'Sequential';
  const fractions = sequentialLike ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1];
  if (positionsGiven !== undefined) checkPositions(positionsGiven, fractions.length);
  const header = sequentialLike ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const nodes = model.graphNodes.filter((n) => !(sequentialLike && n.layer.className === 'InputLayer'));
  // a shared layer's parameters are counted at its first call in this graph only
  const firstNode = new Map<Layer, LayerNode>();
  for (const node of nodes) if (!firstNode.has(node.layer)) firstNode.set(node.layer, node);
  const rows = nodes.map((node) => {
    const layer: Layer = node.layer;
    const outShape = node.outputs.length === 1 ? node.outputs[0].shape : node.outputs.map((o) => o.shape);
    const firstCall = firstNode.get(layer) === node;
    const cells = [` ${layer.name} (${layer.className})`, shapeText(outShape), firstCall ? thousands(layer.countParams()) : '0'];
    if (!sequentialLike) {
      cells.push(node.inputs.map((s) => s.sourceLayer?.name ?? '?').join(', '));
    }
    return cells;
  });
  // Keras' default widths (65, or 98 with 'Connected to'), widened until the first three columns fit
  let width = lineLength ?? (sequentialLike ? 65 : 98);
  const fitsAt = (w: number) => rows.every((cells) => cells.slice(0, 3).every((c, i) =>
    c.length < Math.floor(w * fractions[i]) - (i === 0 ? 0 : Math.floor(w * fractions[i - 1]))));
  if (lineLength === undefined) while (!fitsAt(width) && width < 400) width++;
  // TensorFlow.js' positions: column ends, as fractions of the line (all <= 1) or in characters
  const positions = positionsGiven === undefined ? fractions.map((f) => Math.floor(width * f))
    : positionsGiven[positionsGiven.length - 1] <= 1 ? positionsGiven.map((f) => Math.floor(width * f)) : [...positionsGiven];
  const lines = [`Model: "${model.name}"`, '_'.repeat(width), row(header.map((h, i) => (i === 0 ? ` ${h}` : h)), positions), '='.repeat(width)];
  for (const cells of rows) lines.push(...row(cells, positions).split('\n'));
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((n, v) => n + v.size, 0);
  lines.push('='.repeat(width));
  lines.push(`Total params: ${thousands(total)}`);
  lines.push(`Trainable params: ${thousands(trainable)}`);
  lines.push(`Non-trainable params: ${thousands(total - trainable)}`);
  lines.push('_'.repeat(width));
  return lines;
}

function checkPositions(positions: unknown, columns: number): void {
  if (!Array.isArray(positions) || positions.length !== columns || !positions.every((p, i) =>
    typeof p === 'number' && p > 0 && (i === 0 || p > positions[i - 1]))) {
    throw new Error(`summary: positions must be ${columns} increasing column ends (fractions of the line, or ` +
      `characters), got ${JSON.stringify(positions)}`);
  }
}
