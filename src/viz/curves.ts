/**
 * Learning curves: training and validation values per epoch, one panel per quantity (loss,
 * accuracy, ...), with the best validation epoch marked — the seeds' "profiles for training and
 * cross-validation errors", where early stopping picks its epoch.
 */
import { escapeXml, fmt, svgDocument, tickLabel, ticks } from './svg.js';

export interface LearningCurvesArgs {
  /** History.history: quantity -> value per epoch (`loss`, `acc`, `val_loss`, ...) */
  history: Record<string, number[]>;
  /** epoch numbers (0-based) of the values; default 0, 1, 2, ... */
  epochs?: number[];
  /** the epoch (0-based) to mark as best / restored, e.g. from earlyStopping */
  bestEpoch?: number;
  /** the epoch (0-based) training stopped after, when early stopping ended it */
  stoppedEpoch?: number;
  title?: string;
}

const PANEL_W = 360;
const PANEL_H = 240;
const MARGIN = { left: 56, right: 16, top: 36, bottom: 44 };
const TRAIN_COLOUR = '#1f77b4';
const VAL_COLOUR = '#d62728';

/** The quantities to draw: those with a training series, in logged order (loss first). */
function quantities(history: Record<string, number[]>): string[] {
  const names = Object.keys(history).filter((k) => !k.startsWith('val_') && k !== 'lr');
  return names.sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : 0));
}

function polyline(values: number[], x: (i: number) => number, y: (v: number) => number, colour: string, dashed: boolean): string {
  const points = values.map((v, i) => (Number.isFinite(v) ? `${fmt(x(i))},${fmt(y(v))}` : '')).filter(Boolean);
  const dash = dashed ? ' stroke-dasharray="6 3"' : '';
  return `<polyline class="series" fill="none" stroke="${colour}" stroke-width="2"${dash} points="${points.join(' ')}"/>`;
}

function panel(name: string, args: LearningCurvesArgs, epochs: number[], ox: number): string[] {
  const train = args.history[name] ?? [];
  const val = args.history[`val_${name}`];
  const all = [...train, ...(val ?? [])].filter(Number.isFinite);
  let lo = all.length ? Math.min(...all) : 0;
  let hi = all.length ? Math.max(...all) : 1;
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const w = PANEL_W - MARGIN.left - MARGIN.right;
  const h = PANEL_H - MARGIN.top - MARGIN.bottom;
  const n = Math.max(train.length, val?.length ?? 0);
  const x = (i: number): number => ox + MARGIN.left + (n <= 1 ? w / 2 : (w * i) / (n - 1));
  const y = (v: number): number => MARGIN.top + h - ((v - lo) / (hi - lo)) * h;
  const out: string[] = [`<g class="panel" data-quantity="${escapeXml(name)}">`];
  out.push(`<text x="${fmt(ox + PANEL_W / 2)}" y="20" text-anchor="middle" font-weight="bold">${escapeXml(name)}</text>`);
  out.push(`<rect x="${fmt(ox + MARGIN.left)}" y="${MARGIN.top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`);
  for (const t of ticks(lo, hi)) {
    out.push(`<line x1="${fmt(ox + MARGIN.left - 4)}" x2="${fmt(ox + MARGIN.left + w)}" y1="${fmt(y(t))}" y2="${fmt(y(t))}" stroke="#eee"/>`);
    out.push(`<text x="${fmt(ox + MARGIN.left - 6)}" y="${fmt(y(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`);
  }
  const step = Math.max(1, Math.ceil(n / 10));
  for (let i = 0; i < n; i += step) {
    out.push(`<text x="${fmt(x(i))}" y="${MARGIN.top + h + 16}" text-anchor="middle">${epochs[i] + 1}</text>`);
  }
  out.push(`<text x="${fmt(ox + MARGIN.left + w / 2)}" y="${PANEL_H - 8}" text-anchor="middle">epoch</text>`);
  if (args.bestEpoch !== undefined) {
    const i = epochs.indexOf(args.bestEpoch);
    if (i >= 0) {
      out.push(`<line class="best-epoch" x1="${fmt(x(i))}" x2="${fmt(x(i))}" y1="${MARGIN.top}" y2="${MARGIN.top + h}" ` +
        'stroke="#2ca02c" stroke-dasharray="4 3"><title>best epoch</title></line>');
    }
  }
  out.push(polyline(train, x, y, TRAIN_COLOUR, false));
  if (val) out.push(polyline(val, x, y, VAL_COLOUR, true));
  out.push('</g>');
  return out;
}

/**
 * An SVG of the learning curves, one panel per quantity.
 *
 * @example
 * ```ts
 * const svg = st.viz.learningCurves({ history: { loss: [1, 0.5, 0.3], val_loss: [1.1, 0.7, 0.6] } });
 * console.log(svg.slice(0, 4)); // '<svg'
 * ```
 */
export function learningCurves(args: LearningCurvesArgs): string {
  if (!args || typeof args.history !== 'object' || args.history === null) {
    throw new Error('viz.learningCurves: expected {history} with a History\'s per-epoch values');
  }
  const names = quantities(args.history);
  if (names.length === 0) throw new Error('viz.learningCurves: the history has no values to draw (train at least one epoch)');
  const n = Math.max(...Object.values(args.history).map((v) => v.length));
  const epochs = args.epochs ?? Array.from({ length: n }, (_, i) => i);
  const body: string[] = [];
  names.forEach((name, p) => body.push(...panel(name, args, epochs, p * PANEL_W)));
  const width = names.length * PANEL_W;
  const legendY = PANEL_H + 14;
  body.push(`<g class="legend">`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + 24}" y1="${legendY}" y2="${legendY}" stroke="${TRAIN_COLOUR}" stroke-width="2"/>`,
    `<text x="${MARGIN.left + 30}" y="${legendY + 4}">training</text>`,
    `<line x1="${MARGIN.left + 100}" x2="${MARGIN.left + 124}" y1="${legendY}" y2="${legendY}" stroke="${VAL_COLOUR}" stroke-width="2" stroke-dasharray="6 3"/>`,
    `<text x="${MARGIN.left + 130}" y="${legendY + 4}">validation</text>`);
  if (args.bestEpoch !== undefined) {
    const what = args.stoppedEpoch ? `early stop after epoch ${args.stoppedEpoch + 1}; best epoch ${args.bestEpoch + 1} restored` : `best epoch ${args.bestEpoch + 1}`;
    body.push(`<line x1="${MARGIN.left + 220}" x2="${MARGIN.left + 244}" y1="${legendY}" y2="${legendY}" stroke="#2ca02c" stroke-dasharray="4 3"/>`,
      `<text x="${MARGIN.left + 250}" y="${legendY + 4}">${escapeXml(what)}</text>`);
  }
  body.push('</g>');
  return svgDocument(Math.max(width, 560), PANEL_H + 28, body, args.title ?? 'learning curves');
}
