/**
 * A TensorFlow graph (a graph model's GraphDef) as a diagram: one box per op node (name and op),
 * an arrow per tensor read. Constants (the weights) are not drawn as boxes of their own: each box
 * says how many it reads, so a convolution reads as one box, as a layer would. Boxes sit in rows
 * by their longest distance from the inputs.
 */
import { escapeXml, fmt, svgDocument } from './svg.js';

export interface GraphDefNode {
  name: string;
  op: string;
  /** names of the nodes it reads */
  inputs: string[];
}

const BOX_W = 210;
const BOX_H = 40;
const GAP_X = 24;
const GAP_Y = 30;
const TOP = 50;

/**
 * An SVG diagram of a graph's op nodes and the tensors between them.
 *
 * @example
 * ```ts
 * const svg = st.viz.graphDefDiagram([{ name: 'x', op: 'Placeholder', inputs: [] }, { name: 'y', op: 'Relu', inputs: ['x'] }]);
 * console.log(svg.slice(0, 4)); // '<svg'
 * ```
 */
export function graphDefDiagram(nodes: readonly GraphDefNode[], title = `graph: ${nodes.length} nodes`): string {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const isConst = (name: string): boolean => byName.get(name)?.op === 'Const';
  const drawn = nodes.filter((n) => n.op !== 'Const');
  // longest distance from a node without drawn inputs; the graph is a DAG (control flow lives in functions)
  const row = new Map<string, number>();
  const visiting = new Set<string>();
  const rowOf = (name: string): number => {
    const known = row.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0; // a back edge (NextIteration in old-style loops): cut it
    visiting.add(name);
    const node = byName.get(name);
    const above = (node?.inputs ?? []).filter((i) => byName.has(i) && !isConst(i)).map(rowOf);
    visiting.delete(name);
    const r = above.length ? Math.max(...above) + 1 : 0;
    row.set(name, r);
    return r;
  };
  const rows = new Map<number, GraphDefNode[]>();
  for (const n of drawn) rows.set(rowOf(n.name), [...(rows.get(rowOf(n.name)) ?? []), n]);
  const widest = Math.max(1, ...[...rows.values()].map((r) => r.length));
  const innerW = widest * BOX_W + (widest - 1) * GAP_X;
  const at = new Map<string, { x: number; y: number }>();
  for (const [r, list] of rows) {
    const rowW = list.length * BOX_W + (list.length - 1) * GAP_X;
    list.forEach((n, i) => at.set(n.name, { x: 20 + (innerW - rowW) / 2 + i * (BOX_W + GAP_X), y: TOP + r * (BOX_H + GAP_Y) }));
  }
  const body: string[] = [
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
      '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
  ];
  for (const n of drawn) {
    const t = at.get(n.name)!;
    for (const input of new Set(n.inputs)) {
      const s = at.get(input);
      if (!s) continue;
      const sx = s.x + BOX_W / 2;
      const sy = s.y + BOX_H;
      const tx = t.x + BOX_W / 2;
      const my = (sy + t.y) / 2;
      body.push(`<path class="edge" data-from="${escapeXml(input)}" data-to="${escapeXml(n.name)}" ` +
        `d="M ${fmt(sx)} ${fmt(sy)} C ${fmt(sx)} ${fmt(my)}, ${fmt(tx)} ${fmt(my)}, ${fmt(tx)} ${fmt(t.y)}" fill="none" stroke="#555" ` +
        'stroke-width="1.2" marker-end="url(#arrow)"/>');
    }
  }
  const short = (s: string, max: number): string => (s.length > max ? `…${s.slice(s.length - max + 1)}` : s);
  for (const n of drawn) {
    const p = at.get(n.name)!;
    const consts = n.inputs.filter(isConst).length;
    const fill = n.op === 'Placeholder' ? '#eef5e9' : consts > 0 ? '#e8f0fa' : '#f6f6f6';
    body.push(`<g class="op-box" data-node="${escapeXml(n.name)}" data-op="${escapeXml(n.op)}"><title>${escapeXml(n.name)}</title>`,
      `<rect x="${fmt(p.x)}" y="${fmt(p.y)}" width="${BOX_W}" height="${BOX_H}" rx="6" fill="${fill}" stroke="#4a6fa5"/>`,
      `<text x="${fmt(p.x + 8)}" y="${fmt(p.y + 16)}" font-weight="bold">${escapeXml(n.op)}${consts ? ` <tspan font-weight="normal" font-size="11">(${consts} const)</tspan>` : ''}</text>`,
      `<text x="${fmt(p.x + 8)}" y="${fmt(p.y + 31)}" font-size="11">${escapeXml(short(n.name, 32))}</text>`,
      '</g>');
  }
  const height = TOP + Math.max(1, rows.size) * (BOX_H + GAP_Y);
  return svgDocument(40 + innerW, height, [`<text x="20" y="24" font-weight="bold">${escapeXml(title)}</text>`, ...body], title);
}
