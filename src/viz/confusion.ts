/**
 * A confusion matrix as a picture: one cell per (true, predicted) pair shaded by its share of the
 * true class, the count written in it, and each class's recall at the end of its row.
 */
import { escapeXml, fmt, svgDocument } from './svg.js';

export interface ConfusionMatrixArgs {
  /** matrix[true][predicted] = count */
  matrix: number[][];
  classNames?: string[];
  title?: string;
}

const CELL = 40;

/**
 * @example
 * ```ts
 * const svg = st.viz.confusionMatrix({ matrix: [[5, 1], [2, 7]], classNames: ['cat', 'dog'] });
 * console.log(svg.length);
 * ```
 */
export function confusionMatrix(args: ConfusionMatrixArgs): string {
  const m = args?.matrix;
  if (!Array.isArray(m) || m.length === 0 || m.some((row) => !Array.isArray(row) || row.length !== m.length)) {
    throw new Error('viz.confusionMatrix: expected a square matrix of counts, matrix[true][predicted]');
  }
  const k = m.length;
  const names = args.classNames ?? m.map((_, i) => String(i));
  if (names.length !== k) throw new Error(`viz.confusionMatrix: ${k} classes but ${names.length} class names`);
  const labelW = Math.min(140, 12 + 7 * Math.max(...names.map((n) => n.length)));
  const left = labelW + 24;
  const top = 60;
  const body: string[] = [
    `<text x="${fmt(left + (k * CELL) / 2)}" y="20" text-anchor="middle" font-weight="bold">${escapeXml(args.title ?? 'confusion matrix')}</text>`,
    `<text x="${fmt(left + (k * CELL) / 2)}" y="40" text-anchor="middle">predicted class</text>`,
    `<text x="12" y="${fmt(top + (k * CELL) / 2)}" text-anchor="middle" transform="rotate(-90 12 ${fmt(top + (k * CELL) / 2)})">true class</text>`,
    `<text x="${left + k * CELL + 8}" y="${top - 6}">recall</text>`,
  ];
  for (let t = 0; t < k; t++) {
    const total = m[t].reduce((a, b) => a + b, 0);
    body.push(`<text x="${left - 6}" y="${fmt(top + t * CELL + CELL / 2 + 4)}" text-anchor="end">${escapeXml(names[t])}</text>`);
    body.push(`<text x="${fmt(left + t * CELL + CELL / 2)}" y="${top + k * CELL + 16}" text-anchor="middle">${escapeXml(names[t].slice(0, 5))}</text>`);
    for (let p = 0; p < k; p++) {
      const share = total ? m[t][p] / total : 0;
      const fill = t === p ? `rgba(31,119,180,${fmt(0.1 + 0.9 * share)})` : `rgba(214,39,40,${fmt(share === 0 ? 0 : 0.1 + 0.9 * share)})`;
      const x = left + p * CELL;
      const y = top + t * CELL;
      body.push(`<rect class="cell" x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${fill}" stroke="#ccc">` +
        `<title>true ${escapeXml(names[t])}, predicted ${escapeXml(names[p])}: ${m[t][p]}</title></rect>`);
      body.push(`<text class="count" x="${x + CELL / 2}" y="${y + CELL / 2 + 4}" text-anchor="middle" font-size="11">${m[t][p]}</text>`);
    }
    const recall = total ? m[t][t] / total : 0;
    body.push(`<text class="recall" x="${left + k * CELL + 8}" y="${fmt(top + t * CELL + CELL / 2 + 4)}">${(recall * 100).toFixed(1)}%</text>`);
  }
  return svgDocument(left + k * CELL + 70, top + k * CELL + 30, body, args.title ?? 'confusion matrix');
}
