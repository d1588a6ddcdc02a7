/** Keras' model summary table, as lines of text. */
import type { Layer, Shape } from './layer.js';
import type { LayersModel } from './model.js';

function shapeText(shape: Shape | Shape[]): string {
  const one = (s: Shape) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
  return Array.isArray(shape[0]) ? (shape as Shape[]).map(one).join(', ') : one(shape as Shape);
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

function row(cells: string[], positions: number[]): string {
  let line = '';
  cells.forEach((cell, i) => {
    const end = positions[i];
    line += cell;
    line = line.slice(0, end - 1).padEnd(end);
  });
  return line;
}

/** Lines of `model.summary()`: Layer (type) | Output Shape | Param # (| Connected to, for graphs). */
export function formatSummary(model: LayersModel, lineLength?: number): string[] {
  const sequentialLike = model.className === 'Sequential';
  const width = lineLength ?? (sequentialLike ? 65 : 98);
  const fractions = sequentialLike ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1];
  const positions = fractions.map((f) => Math.floor(width * f));
  const header = sequentialLike ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const lines = [`Model: "${model.name}"`, '_'.repeat(width), row(header.map((h) => ` ${h}`), positions), '='.repeat(width)];
  const nodes = model.graphNodes.filter((n) => !(sequentialLike && n.layer.className === 'InputLayer'));
  nodes.forEach((node) => {
    const layer: Layer = node.layer;
    const outShape = node.outputs.length === 1 ? node.outputs[0].shape : node.outputs.map((o) => o.shape);
    // a shared layer's parameters are counted at its first call only
    const firstCall = layer.nodes[0] === node || !layer.nodes.includes(node);
    const cells = [` ${layer.name} (${layer.className})`, shapeText(outShape), firstCall ? String(layer.countParams()) : '0'];
    if (!sequentialLike) {
      cells.push(node.inputs.map((s) => s.sourceLayer?.name ?? '?').join(', '));
    }
    lines.push(row(cells, positions));
  });
  const total = model.countParams();
  const trainable = model.trainableWeights.reduce((n, v) => n + v.size, 0);
  lines.push('='.repeat(width));
  lines.push(`Total params: ${thousands(total)}`);
  lines.push(`Trainable params: ${thousands(trainable)}`);
  lines.push(`Non-trainable params: ${thousands(total - trainable)}`);
  lines.push('_'.repeat(width));
  return lines;
}
