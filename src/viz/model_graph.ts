/**
 * A model as a diagram: one box per layer call (name, class, output shape, parameters), and a
 * connector per tensor passed between them. Boxes sit in rows by their longest distance from
 * the input, so parallel branches (inception) share a row side by side, and a connector that
 * skips rows (a residual connection into an Add) is drawn as a curve around the boxes it jumps.
 */
import type { Layer, LayerNode, Shape } from '../nn/layer.js';
import type { LayersModel } from '../nn/model.js';
import { escapeXml, fmt, svgDocument } from './svg.js';

export interface ModelGraphOptions {
  title?: string;
}

const BOX_W = 230;
const BOX_H = 52;
const GAP_X = 30;
const GAP_Y = 34;
const TOP = 50;
const SIDE = 70;

function shapeText(shape: Shape | Shape[]): string {
  const one = (s: Shape) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
  return Array.isArray(shape[0]) ? (shape as Shape[]).map(one).join(', ') : one(shape as Shape);
}

interface Placed {
  node: LayerNode;
  row: number;
  x: number;
  y: number;
}

/** Row per node: 0 for inputs, else one below its lowest input. */
function rows(nodes: readonly LayerNode[]): Map<LayerNode, number> {
  const row = new Map<LayerNode, number>();
  for (const node of nodes) {
    const above = node.inputs.map((s) => (s.node ? row.get(s.node) ?? -1 : -1));
    row.set(node, above.length ? Math.max(...above) + 1 : 0);
  }
  return row;
}

/**
 * An SVG diagram of a built model's layers and connections.
 *
 * @example
 * ```ts
 * const model = st.sequential({ layers: [st.layers.dense({ units: 2, inputShape: [3] })] });
 * console.log(st.viz.modelGraph(model).slice(0, 4)); // '<svg'
 * ```
 */
export function modelGraph(model: LayersModel, options: ModelGraphOptions = {}): string {
  if (!model || typeof model.graphNodes !== 'object') throw new Error(`viz.modelGraph: expected a model (st.sequential or st.model), got ${typeof model}`);
  const nodes = model.graphNodes;
  if (nodes.length === 0) {
    throw new Error(`viz.modelGraph: model "${model.name}" is not built yet; give its first layer an inputShape or call it on data first`);
  }
  const rowOf = rows(nodes);
  const byRow = new Map<number, LayerNode[]>();
  for (const n of nodes) byRow.set(rowOf.get(n)!, [...(byRow.get(rowOf.get(n)!) ?? []), n]);
  const widest = Math.max(...[...byRow.values()].map((r) => r.length));
  const innerW = widest * BOX_W + (widest - 1) * GAP_X;
  const placed = new Map<LayerNode, Placed>();
  for (const [row, list] of byRow) {
    const rowW = list.length * BOX_W + (list.length - 1) * GAP_X;
    list.forEach((node, i) => placed.set(node, { node, row, x: 20 + (innerW - rowW) / 2 + i * (BOX_W + GAP_X), y: TOP + row * (BOX_H + GAP_Y) }));
  }
  const firstCall = new Map<Layer, LayerNode>();
  for (const n of nodes) if (!firstCall.has(n.layer)) firstCall.set(n.layer, n);
  const body: string[] = [
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
      '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
  ];
  let edges = 0;
  let skips = 0;
  for (const target of nodes) {
    const t = placed.get(target)!;
    for (const s of target.inputs) {
      const src = s.node ? placed.get(s.node) : undefined;
      if (!src) continue;
      const label = `${src.node.layer.name} → ${target.layer.name}`;
      const attrs = `data-from="${escapeXml(src.node.layer.name)}" data-to="${escapeXml(target.layer.name)}"`;
      let d: string;
      let cls = 'edge';
      if (t.row - src.row > 1) {
        // a skip connection: leave the source's right side, run beside the rows it skips, enter the target's right side
        const bulge = 20 + innerW + SIDE - 8 + 12 * skips;
        const sy = src.y + BOX_H / 2;
        const ty = t.y + BOX_H / 2;
        d = `M ${fmt(src.x + BOX_W)} ${fmt(sy)} C ${fmt(bulge)} ${fmt(sy)}, ${fmt(bulge)} ${fmt(ty)}, ${fmt(t.x + BOX_W)} ${fmt(ty)}`;
        cls = 'edge skip';
        skips++;
      } else {
        const sx = src.x + BOX_W / 2;
        const sy = src.y + BOX_H;
        const tx = t.x + BOX_W / 2;
        const ty = t.y;
        const my = (sy + ty) / 2;
        d = `M ${fmt(sx)} ${fmt(sy)} C ${fmt(sx)} ${fmt(my)}, ${fmt(tx)} ${fmt(my)}, ${fmt(tx)} ${fmt(ty)}`;
      }
      body.push(`<path class="${cls}" ${attrs} d="${d}" fill="none" stroke="#555" stroke-width="1.4" marker-end="url(#arrow)"><title>${escapeXml(label)}</title></path>`);
      edges++;
    }
  }
  let total = 0;
  for (const node of nodes) {
    const p = placed.get(node)!;
    const layer = node.layer;
    const params = firstCall.get(layer) === node ? layer.countParams() : 0;
    total += params;
    const shape = node.outputs.length === 1 ? node.outputs[0].shape : node.outputs.map((o): Shape => o.shape);
    const fill = layer.className === 'InputLayer' ? '#eef5e9' : params > 0 ? '#e8f0fa' : '#f6f6f6';
    body.push(`<g class="layer-box" data-layer="${escapeXml(layer.name)}" data-class="${escapeXml(layer.className)}" data-params="${params}">`,
      `<rect x="${fmt(p.x)}" y="${fmt(p.y)}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="${fill}" stroke="#4a6fa5"/>`,
      `<text x="${fmt(p.x + 8)}" y="${fmt(p.y + 16)}" font-weight="bold">${escapeXml(`${layer.name} (${layer.className})`)}</text>`,
      `<text class="shape" x="${fmt(p.x + 8)}" y="${fmt(p.y + 31)}" font-size="11">${escapeXml(`output ${shapeText(shape)}`)}</text>`,
      `<text class="params" x="${fmt(p.x + 8)}" y="${fmt(p.y + 45)}" font-size="11">${escapeXml(`params ${params.toLocaleString('en-US')}`)}</text>`,
      '</g>');
  }
  const title = options.title ?? `model "${model.name}": ${nodes.length} layers, ${edges} connections, ${total.toLocaleString('en-US')} parameters`;
  const height = TOP + (Math.max(...rowOf.values()) + 1) * (BOX_H + GAP_Y);
  const head = `<text x="20" y="24" font-weight="bold">${escapeXml(title)}</text>`;
  return svgDocument(40 + innerW + SIDE + 12 * skips, height, [head, ...body], title);
}
