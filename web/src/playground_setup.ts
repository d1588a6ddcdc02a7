/**
 * The playground's setup and its place in the URL hash, so that a copied address reproduces a
 * run: the data set, the network, the optimiser's rate, regularisation, dropout and the points
 * the user added. Everything read from the address is checked and clamped, because a shared
 * link is input from someone else.
 */
export const SETS = ['xor', 'fourGaussians', 'onePocket', 'twoPockets', 'twoSpirals', 'circles'] as const;
export type SetName = (typeof SETS)[number];
export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** a point the user added: its coordinates and class */
export interface AddedPoint { x: number; y: number; c: number }

export interface Setup {
  set: SetName;
  hidden: number[];
  act: Activation;
  lr: number;
  /** L1 and L2 strengths on every dense kernel (Keras' l1 * sum|w| + l2 * sum w^2), 0 for none */
  l1: number;
  l2: number;
  /** dropout rate after each hidden layer, 0 for none */
  dropout: number;
  points: AddedPoint[];
}

export const MAX_WIDTH = 64;
export const MAX_LAYERS = 4;
/** keeps a shared address a reasonable length (each point is about 14 characters) */
export const MAX_ADDED = 200;
/** added points further out than this are surely typos; the sets all lie within [-1.5, 1.5] */
const COORD_LIMIT = 5;

function numberIn(raw: string | null, lo: number, hi: number, fallback: number): number {
  if (raw === null || raw.trim() === '') return fallback;
  const v = Number(raw);
  return Number.isFinite(v) && v >= lo && v <= hi ? v : fallback;
}

/** `x,y,c;x,y,c`, dropping malformed entries rather than the whole list */
export function parsePoints(raw: string | null): AddedPoint[] {
  if (!raw) return [];
  const out: AddedPoint[] = [];
  for (const entry of raw.split(';')) {
    const [x, y, c] = entry.split(',').map(Number);
    if ([x, y].every((v) => Number.isFinite(v) && Math.abs(v) <= COORD_LIMIT) && Number.isInteger(c) && c >= 0 && c < 4) {
      out.push({ x, y, c });
    }
  }
  return out.slice(0, MAX_ADDED);
}

export function formatPoints(points: AddedPoint[]): string {
  return points.map((p) => `${p.x.toFixed(2)},${p.y.toFixed(2)},${p.c}`).join(';');
}

/** Rounds a point as the address will, so the page shows exactly what a shared link reproduces. */
export function roundPoint(p: AddedPoint): AddedPoint {
  return { x: Number(p.x.toFixed(2)), y: Number(p.y.toFixed(2)), c: p.c };
}

export function parseHidden(raw: string): number[] {
  return raw.split(',').map((v) => Number(v.trim()))
    .filter((n) => Number.isInteger(n) && n > 0 && n <= MAX_WIDTH).slice(0, MAX_LAYERS);
}

export function readSetup(hash: string): Setup {
  const q = new URLSearchParams(hash.split('?')[1] ?? '');
  const set = SETS.includes(q.get('set') as SetName) ? (q.get('set') as SetName) : 'circles';
  const hidden = parseHidden(q.get('hidden') ?? '8,8');
  const act = ACTIVATIONS.includes(q.get('act') as Activation) ? (q.get('act') as Activation) : 'tanh';
  return {
    set, act,
    hidden: hidden.length ? hidden : [8, 8],
    lr: numberIn(q.get('lr'), 1e-6, 1, 0.03),
    l1: numberIn(q.get('l1'), 0, 1, 0),
    l2: numberIn(q.get('l2'), 0, 1, 0),
    // Dropout needs rate < 1; beyond 0.9 nothing learns anyway
    dropout: numberIn(q.get('dropout'), 0, 0.9, 0),
    points: parsePoints(q.get('pts')),
  };
}

/**
 * The hash for a setup. Written by hand rather than with URLSearchParams, which would turn the
 * commas and semicolons into %2C and %3B and make a shared link hard to read; neither character
 * needs escaping in a fragment. Zero-valued options are left out to keep the address short.
 */
export function setupHash(s: Setup): string {
  const parts = [`set=${s.set}`, `hidden=${s.hidden.join(',')}`, `act=${s.act}`, `lr=${s.lr}`];
  if (s.l1 > 0) parts.push(`l1=${s.l1}`);
  if (s.l2 > 0) parts.push(`l2=${s.l2}`);
  if (s.dropout > 0) parts.push(`dropout=${s.dropout}`);
  if (s.points.length) parts.push(`pts=${formatPoints(s.points)}`);
  return `#/playground?${parts.join('&')}`;
}
