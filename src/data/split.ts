/**
 * Splitting and shuffling whole in-memory sets: `trainTestSplit` (scikit-learn's
 * `train_test_split` with `random_state`) and `shuffle`. Rows are moved together along axis 0;
 * the same seed gives the same split.
 */
import { checkOptions } from '../tensor/options.js';
import { Random } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { NumbersLike, Rows, gatherRows, labelColumn, rowsOf } from './rows.js';

export interface TrainTestSplitOptions {
  /** a fraction in (0, 1) of the rows (rounded up), or a whole number of rows; default 0.25 */
  testSize?: number;
  /** a fraction or count of rows for training; default: all rows not in the test part */
  trainSize?: number;
  /** the seed of the shuffle (scikit-learn's random_state); default 0 */
  seed?: number;
  /** false keeps the order: the first rows train, the rows after them test; default true */
  shuffle?: boolean;
  /** keep class proportions in both parts: true stratifies by y, or give the labels to stratify by */
  stratify?: boolean | NumbersLike;
}

function partSize(what: string, value: number, n: number, round: (v: number) => number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`trainTestSplit: ${what} must be a fraction in (0, 1) or a positive whole number of rows, got ${value}`);
  }
  if (value < 1) return round(value * n);
  if (!Number.isInteger(value)) throw new Error(`trainTestSplit: ${what} ${value} is neither a fraction below 1 nor a whole number`);
  return value;
}

/** For each class, how many of its rows go to the test part: proportional, remainders to the largest shares. */
function testCountsPerClass(classCounts: number[], nTest: number, n: number): number[] {
  const exact = classCounts.map((c) => (c * nTest) / n);
  const counts = exact.map(Math.floor);
  let left = nTest - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, k) => k).sort((a, b) => (exact[b] - counts[b]) - (exact[a] - counts[a]) || a - b);
  for (const k of order) {
    if (left === 0) break;
    if (counts[k] < classCounts[k]) { counts[k]++; left--; }
  }
  return counts;
}

/** The row indices of the test and training parts. */
function splitIndices(n: number, nTest: number, nTrain: number, rng: Random | null, strata: Int32Array | null): [number[], number[]] {
  if (!strata) {
    const order = Array.from({ length: n }, (_, i) => i);
    // unshuffled, scikit-learn's layout: training rows first, test rows right after them
    if (!rng) return [order.slice(nTrain, nTrain + nTest), order.slice(0, nTrain)];
    rng.shuffle(order);
    return [order.slice(0, nTest), order.slice(nTest, nTest + nTrain)];
  }
  const byClass = new Map<number, number[]>();
  strata.forEach((label, i) => {
    if (!byClass.has(label)) byClass.set(label, []);
    byClass.get(label)!.push(i);
  });
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const members = classes.map((c) => byClass.get(c)!);
  const least = members.reduce((m, rows, k) => (rows.length < members[m].length ? k : m), 0);
  if (members[least].length < 2) {
    throw new Error(`trainTestSplit: stratify needs at least 2 rows of every class, class ${classes[least]} has 1`);
  }
  const tests = testCountsPerClass(members.map((m) => m.length), nTest, n);
  const trains = testCountsPerClass(members.map((m, k) => m.length - tests[k]), nTrain, n - nTest);
  const test: number[] = [];
  const train: number[] = [];
  members.forEach((rows, k) => {
    if (rng) rng.shuffle(rows);
    test.push(...rows.slice(0, tests[k]));
    train.push(...rows.slice(tests[k], tests[k] + trains[k]));
  });
  // without this the parts would be sorted by class, which hurts batch training
  if (rng) { rng.shuffle(test); rng.shuffle(train); }
  return [test, train];
}

/**
 * Splits `x` and `y` (tensors or arrays, rows along axis 0) into training and test parts:
 * `[xTrain, xTest, yTrain, yTest]`, the order of scikit-learn's `train_test_split`.
 *
 * @example
 * ```ts
 * const [xTrain, xTest, yTrain, yTest] = st.data.trainTestSplit(st.range(0, 10).reshape([10, 1]), st.range(0, 10), { testSize: 0.2, seed: 1 });
 * console.log(xTrain.shape, xTest.shape); // [8, 1] [2, 1]
 * ```
 */
export function trainTestSplit(x: NumbersLike, y: NumbersLike, options: TrainTestSplitOptions = {}): [Tensor, Tensor, Tensor, Tensor] {
  const op = 'trainTestSplit';
  checkOptions(op, options, ['testSize', 'trainSize', 'seed', 'shuffle', 'stratify']);
  const xs = rowsOf(op, 'x', x);
  const ys = rowsOf(op, 'y', y);
  if (xs.count !== ys.count) throw new Error(`${op}: x has ${xs.count} rows but y has ${ys.count}; they must match along axis 0`);
  const n = xs.count;
  const nTest = partSize('testSize', options.testSize ?? 0.25, n, Math.ceil);
  const nTrain = options.trainSize === undefined ? n - nTest : partSize('trainSize', options.trainSize, n, Math.floor);
  if (nTest + nTrain > n || nTrain === 0) {
    throw new Error(`${op}: ${nTest} test rows and ${nTrain} training rows do not fit in ${n} rows; ` +
      'both parts must be non-empty and together at most all rows');
  }
  const shuffle = options.shuffle ?? true;
  let strata: Int32Array | null = null;
  if (options.stratify !== undefined && options.stratify !== false) {
    if (!shuffle) throw new Error(`${op}: stratify needs shuffle: true (a stratified split picks rows at random)`);
    strata = labelColumn(op, 'stratify labels', options.stratify === true ? y : options.stratify);
    if (strata.length !== n) throw new Error(`${op}: stratify has ${strata.length} labels for ${n} rows`);
  }
  const rng = shuffle ? new Random(options.seed ?? 0) : null;
  const [test, train] = splitIndices(n, nTest, nTrain, rng, strata);
  return [gatherRows(xs, train), gatherRows(xs, test), gatherRows(ys, train), gatherRows(ys, test)];
}

/**
 * Copies of `arrays` (same number of rows each) with their rows in one shared random order.
 *
 * @example
 * ```ts
 * const [x, y] = st.data.shuffle([st.range(0, 4), st.range(10, 14)], { seed: 1 });
 * x.print(); y.print(); // the same permutation for both
 * ```
 */
export function shuffle(arrays: NumbersLike[], options: { seed?: number } = {}): Tensor[] {
  checkOptions('shuffle', options, ['seed']);
  if (!Array.isArray(arrays) || arrays.length === 0) {
    throw new Error('shuffle: expected a non-empty array of tensors, e.g. shuffle([x, y], { seed: 1 })');
  }
  const all: Rows[] = arrays.map((a, i) => rowsOf('shuffle', `arrays[${i}]`, a));
  all.forEach((r, i) => {
    if (r.count !== all[0].count) throw new Error(`shuffle: arrays[0] has ${all[0].count} rows but arrays[${i}] has ${r.count}`);
  });
  const order = Int32Array.from({ length: all[0].count }, (_, i) => i);
  new Random(options.seed ?? 0).shuffle(order);
  return all.map((r) => gatherRows(r, order));
}
