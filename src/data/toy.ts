/**
 * Two-dimensional toy sets for seeing decision boundaries: the seeds' XOR truth table and the
 * "Four Gaussians", "One Pocket" and "Two Pockets" examples of the decision-boundary lecture,
 * plus two spirals and concentric circles. Each takes `{n, noise, seed}` and returns points
 * `x` [n, 2] float32 and class labels `y` [n] int32 (two classes unless said otherwise). The
 * classes are balanced by construction where the shape allows, and rows come in random order.
 */
import { checkOptions } from '../tensor/options.js';
import { makeTensor } from '../tensor/engine.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';

export interface ToyOptions {
  /** number of points; default 200 */
  n?: number;
  /** standard deviation of the Gaussian jitter added to every point (each set has its own default) */
  noise?: number;
  /** the same seed gives the same points; default 0 */
  seed?: number;
}

/** the options every toy set takes */
const TOY_OPTIONS = ['n', 'noise', 'seed'];

export interface ToySet {
  /** [n, 2] float32 points */
  x: Tensor;
  /** [n] int32 class labels */
  y: Tensor;
}

function setup(op: string, options: ToyOptions, defaultNoise: number): { n: number; noise: number; rng: Random } {
  const n = options.n ?? 200;
  const noise = options.noise ?? defaultNoise;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${op}: n must be a positive integer, got ${n}`);
  if (!Number.isFinite(noise) || noise < 0) throw new Error(`${op}: noise must be a finite number >= 0, got ${noise}`);
  return { n, noise, rng: new Random(options.seed ?? 0) };
}

/**
 * Builds a set from `point(i, rng)` (returns [x1, x2, label] before jitter), adds the jitter,
 * and shuffles the rows so that batches taken in order mix the classes.
 */
function build(n: number, noise: number, rng: Random, point: (i: number) => [number, number, number]): ToySet {
  const rows = Array.from({ length: n }, (_, i) => point(i));
  rng.shuffle(rows);
  const x = new Float32Array(2 * n);
  const y = new Int32Array(n);
  rows.forEach(([a, b, label], i) => {
    x[2 * i] = noise > 0 ? a + rng.normal(0, noise) : a;
    x[2 * i + 1] = noise > 0 ? b + rng.normal(0, noise) : b;
    y[i] = label;
  });
  return { x: makeTensor(x, [n, 2], 'float32'), y: makeTensor(y, [n], 'int32') };
}

/**
 * XOR: the corners (0,0), (0,1), (1,0), (1,1) in equal numbers, labelled x1 XOR x2 as in the
 * seed's truth table, each point jittered by `noise` (default 0.1). With noise 0 it is the table itself.
 *
 * @example
 * ```ts
 * const { x, y } = st.data.xor();
 * x.print(); y.print();
 * ```
 */
export function xor(options: ToyOptions = {}): ToySet {
  checkOptions('data.xor', options, TOY_OPTIONS);
  const { n, noise, rng } = setup('xor', options, 0.1);
  return build(n, noise, rng, (i) => {
    const a = i % 2;
    const b = (i >> 1) % 2;
    return [a, b, a ^ b];
  });
}

/**
 * Four Gaussian clusters centred on (±1, ±1) with standard deviation `noise` (default 0.4), equal
 * in size. With `classes: 2` (the default) opposite clusters share a class, so no straight line
 * separates them; with `classes: 4` each cluster is its own class (0: (1,1), 1: (-1,1), 2: (-1,-1), 3: (1,-1)).
 *
 * @example
 * ```ts
 * const { x, y } = st.data.fourGaussians({ n: 40, seed: 1 });
 * console.log(x.shape, y.shape); // [40, 2] [40]
 * ```
 */
export function fourGaussians(options: ToyOptions & { classes?: 2 | 4 } = {}): ToySet {
  checkOptions('data.fourGaussians', options, [...TOY_OPTIONS, 'classes']);
  const { n, noise, rng } = setup('fourGaussians', options, 0.4);
  const classes = options.classes ?? 2;
  if (classes !== 2 && classes !== 4) throw new Error(`fourGaussians: classes must be 2 or 4, got ${classes}`);
  const centres: [number, number][] = [[1, 1], [-1, 1], [-1, -1], [1, -1]];
  return build(n, noise, rng, (i) => {
    const k = i % 4;
    return [centres[k][0], centres[k][1], classes === 4 ? k : k % 2];
  });
}

/** Uniform points in the square [-1, 1]^2 labelled 1 inside any of the `discs` ([cx, cy, r]), else 0. */
function pockets(op: string, options: ToyOptions, discs: [number, number, number][]): ToySet {
  const { n, noise, rng } = setup(op, options, 0);
  return build(n, noise, rng, () => {
    const a = rng.uniform(-1, 1);
    const b = rng.uniform(-1, 1);
    const inside = discs.some(([cx, cy, r]) => (a - cx) ** 2 + (b - cy) ** 2 < r * r);
    return [a, b, inside ? 1 : 0];
  });
}

/** The radius of a disc covering half of the square [-1, 1]^2, so that both classes are about equal. */
export const POCKET_RADIUS = Math.sqrt(2 / Math.PI);

/**
 * One pocket: points uniform in [-1, 1]^2, class 1 inside a disc of radius sqrt(2/pi) (half the
 * area) centred at the origin, class 0 around it. `noise` (default 0) jitters the points after
 * labelling, which blurs the boundary.
 *
 * @example
 * ```ts
 * const { x, y } = st.data.onePocket({ n: 50, seed: 1 });
 * console.log(x.shape); // [50, 2]
 * ```
 */
export function onePocket(options: ToyOptions = {}): ToySet {
  checkOptions('data.onePocket', options, TOY_OPTIONS);
  return pockets('onePocket', options, [[0, 0, POCKET_RADIUS]]);
}

/**
 * Two pockets: as `onePocket`, with class 1 inside two discs of radius 0.45 centred at
 * (-0.5, -0.5) and (0.5, 0.5) (about a third of the points), so one hidden "bump" is not enough.
 *
 * @example
 * ```ts
 * const { x, y } = st.data.twoPockets({ n: 50, seed: 1 });
 * console.log(x.shape); // [50, 2]
 * ```
 */
export function twoPockets(options: ToyOptions = {}): ToySet {
  checkOptions('data.twoPockets', options, TOY_OPTIONS);
  return pockets('twoPockets', options, [[-0.5, -0.5, 0.45], [0.5, 0.5, 0.45]]);
}

/**
 * Two interleaved spirals of `turns` turns (default 1.5), one per class, half the points each,
 * radius growing from 0 to 1; `noise` default 0.05.
 *
 * @example
 * ```ts
 * const { x, y } = st.data.twoSpirals({ n: 50, seed: 1 });
 * console.log(x.shape); // [50, 2]
 * ```
 */
export function twoSpirals(options: ToyOptions & { turns?: number } = {}): ToySet {
  checkOptions('data.twoSpirals', options, [...TOY_OPTIONS, 'turns']);
  const { n, noise, rng } = setup('twoSpirals', options, 0.05);
  const turns = options.turns ?? 1.5;
  if (!(turns > 0)) throw new Error(`twoSpirals: turns must be positive, got ${turns}`);
  const perClass = Math.ceil(n / 2);
  return build(n, noise, rng, (i) => {
    const label = i % 2;
    // evenly spaced along the arm, leaving out the shared centre where the classes would touch
    const t = (Math.floor(i / 2) + 1) / perClass;
    const angle = t * turns * 2 * Math.PI + label * Math.PI;
    return [t * Math.cos(angle), t * Math.sin(angle), label];
  });
}

/**
 * Concentric circles (scikit-learn's make_circles): class 0 on the unit circle, class 1 on a
 * circle of radius `factor` (default 0.5), angles evenly spaced, jittered by `noise` (default 0.05).
 *
 * @example
 * ```ts
 * const { x, y } = st.data.circles({ n: 50, seed: 1 });
 * console.log(x.shape); // [50, 2]
 * ```
 */
export function circles(options: ToyOptions & { factor?: number } = {}): ToySet {
  checkOptions('data.circles', options, [...TOY_OPTIONS, 'factor']);
  const { n, noise, rng } = setup('circles', options, 0.05);
  const factor = options.factor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new Error(`circles: factor must be in (0, 1), got ${factor}`);
  const outer = Math.ceil(n / 2);
  const inner = n - outer;
  return build(n, noise, rng, (i) => {
    const label = i < outer ? 0 : 1;
    const angle = label === 0 ? (2 * Math.PI * i) / outer : (2 * Math.PI * (i - outer)) / inner;
    const r = label === 0 ? 1 : factor;
    return [r * Math.cos(angle), r * Math.sin(angle), label];
  });
}
