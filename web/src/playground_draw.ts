/**
 * The playground's pictures: the decision regions with the data on top, and one small map per
 * hidden unit of that unit's activation over the same square. Pure drawing from arrays the
 * training loop computed; no model here.
 */
import type { AddedPoint, Activation } from './playground_setup';

/** class colours (blue, red, green, amber), shared by the regions, the points and the class picker */
export const COLORS = [[66, 120, 208], [217, 83, 79], [92, 184, 92], [240, 173, 78]];
export const COLOR_NAMES = ['blue', 'red', 'green', 'amber'];
/** grid cells per side where the network is evaluated */
export const GRID = 60;
/** at most this many unit maps per layer, so a 64-wide layer does not bury the page */
export const MAX_UNITS_DRAWN = 16;
/** unit maps' on-screen size in CSS pixels (the canvas itself is GRID x GRID, scaled up) */
const UNIT_PX = 48;

/** The square the network is shown over: the data's extent plus a margin. */
export interface View { lo: number; hi: number }

export function viewOf(points: Float32Array): View {
  let lo = Infinity, hi = -Infinity;
  for (const v of points) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const margin = (hi - lo) * 0.1;
  return { lo: lo - margin, hi: hi + margin };
}

/** Cell centres, row by row from the top (largest y) so that row r is drawn at pixel row r. */
export function gridPoints(view: View): Float32Array {
  const { lo, hi } = view;
  const grid = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      grid[(r * GRID + c) * 2] = lo + ((c + 0.5) / GRID) * (hi - lo);
      grid[(r * GRID + c) * 2 + 1] = hi - ((r + 0.5) / GRID) * (hi - lo);
    }
  }
  return grid;
}

function blit(ctx: CanvasRenderingContext2D, image: ImageData): void {
  const tile = document.createElement('canvas');
  tile.width = tile.height = GRID;
  tile.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, 0, 0, ctx.canvas.width, ctx.canvas.height);
}

export interface Scene {
  probs: Float32Array;
  classes: number;
  points: Float32Array;
  labels: Int32Array;
  added: AddedPoint[];
  view: View;
  /** the keyboard cursor, drawn as a cross while the canvas has focus */
  cursor?: { x: number; y: number } | null;
}

/** The regions (paler where the network is unsure), the data, and the added points ringed in black. */
export function drawRegions(canvas: HTMLCanvasElement, s: Scene): void {
  const ctx = canvas.getContext('2d')!;
  const { probs: p, classes } = s;
  const image = ctx.createImageData(GRID, GRID);
  for (let i = 0; i < GRID * GRID; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (p[i * classes + k] > p[i * classes + best]) best = k;
    const fade = 0.35 + 0.45 * (1 - p[i * classes + best]);
    const col = COLORS[best].map((v) => Math.round(v + (255 - v) * fade));
    image.data.set([...col, 255], i * 4);
  }
  blit(ctx, image);
  const { lo, hi } = s.view;
  const px = (v: number): number => ((v - lo) / (hi - lo)) * canvas.width;
  const dot = (x: number, y: number, c: number, ring: string, radius: number): void => {
    ctx.beginPath();
    ctx.arc(px(x), canvas.height - px(y), radius, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${COLORS[c].join(',')})`;
    ctx.fill();
    ctx.lineWidth = ring === '#fff' ? 1 : 2.5;
    ctx.strokeStyle = ring;
    ctx.stroke();
  };
  for (let i = 0; i < s.labels.length; i++) dot(s.points[2 * i], s.points[2 * i + 1], s.labels[i], '#fff', 4);
  for (const a of s.added) dot(a.x, a.y, a.c, '#000', 6);
  if (s.cursor) {
    const cx = px(s.cursor.x), cy = canvas.height - px(s.cursor.y);
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#000';
    ctx.beginPath();
    ctx.moveTo(cx - 10, cy); ctx.lineTo(cx + 10, cy);
    ctx.moveTo(cx, cy - 10); ctx.lineTo(cx, cy + 10);
    ctx.stroke();
  }
}

/**
 * The value shown as neutral and the value shown at full colour, per activation: tanh units
 * range over [-1, 1]; a sigmoid unit's natural "off/on" midpoint is 0.5; a ReLU unit has no upper
 * bound, so it is scaled by its own largest value on the grid (else a large unit would wash out).
 */
function scaleOf(act: Activation, values: Float32Array, unit: number, units: number): { mid: number; span: number } {
  if (act === 'tanh') return { mid: 0, span: 1 };
  if (act === 'sigmoid') return { mid: 0.5, span: 0.5 };
  let max = 0;
  for (let i = 0; i < GRID * GRID; i++) max = Math.max(max, Math.abs(values[i * units + unit]));
  return { mid: 0, span: max > 1e-6 ? max : 1 };
}

/** Blue for above the midpoint, orange below, white at it, as the TensorFlow playground does. */
const POSITIVE = [31, 119, 180];
const NEGATIVE = [245, 146, 40];

/**
 * Makes sure `box` holds one labelled canvas per drawn unit, grouped by layer; rebuilt only when
 * the widths change, so that redrawing every frame does not churn the DOM (or screen readers).
 */
export function layoutUnits(box: HTMLElement, widths: number[]): HTMLCanvasElement[][] {
  const key = widths.join(',');
  if (box.dataset.widths !== key) {
    box.replaceChildren();
    widths.forEach((width, l) => {
      const figure = document.createElement('figure');
      figure.className = 'pg-layer';
      const caption = document.createElement('figcaption');
      const shown = Math.min(width, MAX_UNITS_DRAWN);
      caption.textContent = `Layer ${l + 1}: ${width} unit${width === 1 ? '' : 's'}` +
        (shown < width ? ` (the first ${shown} shown)` : '');
      const row = document.createElement('div');
      row.className = 'pg-units';
      for (let u = 0; u < shown; u++) {
        const c = document.createElement('canvas');
        c.width = c.height = GRID;
        c.style.width = c.style.height = `${UNIT_PX}px`;
        c.setAttribute('role', 'img');
        c.setAttribute('aria-label', `layer ${l + 1}, unit ${u + 1}: its activation over the plane (blue positive, orange negative)`);
        c.title = `layer ${l + 1}, unit ${u + 1}`;
        c.dataset.layer = String(l + 1);
        c.dataset.unit = String(u + 1);
        row.append(c);
      }
      figure.append(caption, row);
      box.append(figure);
    });
    box.dataset.widths = key;
    box.dataset.units = String(widths.reduce((n, w) => n + Math.min(w, MAX_UNITS_DRAWN), 0));
  }
  return [...box.querySelectorAll('figure')].map((f) => [...f.querySelectorAll('canvas')]);
}

/** Each hidden unit's activation over the grid; `layers[l]` is [GRID*GRID, units] row-major. */
export function drawUnits(box: HTMLElement, layers: Float32Array[], widths: number[], act: Activation): void {
  const canvases = layoutUnits(box, widths);
  layers.forEach((values, l) => {
    const units = widths[l];
    canvases[l].forEach((canvas, u) => {
      const ctx = canvas.getContext('2d')!;
      const image = ctx.createImageData(GRID, GRID);
      const { mid, span } = scaleOf(act, values, u, units);
      for (let i = 0; i < GRID * GRID; i++) {
        const t = Math.max(-1, Math.min(1, (values[i * units + u] - mid) / span));
        const base = t >= 0 ? POSITIVE : NEGATIVE;
        const a = Math.abs(t);
        image.data.set([...base.map((v) => Math.round(255 + (v - 255) * a)), 255], i * 4);
      }
      ctx.putImageData(image, 0, 0);
    });
  });
}
