/**
 * Making datasets, as `tf.data` does: from an array (`array`), a generator (`generator`, and
 * striate's older name `fromGenerator`), a function called per element (`func`), several
 * datasets side by side (`zip`), or the rows of tensors (`fromTensorSlices`, striate's own).
 */
import { Tensor } from '../tensor/tensor.js';
import { makeTensor } from '../tensor/engine.js';
import { NumbersLike, rowsOf } from './rows.js';
import { Dataset } from './dataset.js';

/**
 * A new tensor over the same storage (no copy). tf.data hands out a copy of each array item on
 * every iteration, so user code may dispose what it gets without spoiling the next epoch; a
 * shared handle gives the same freedom without copying the data.
 */
function shareTensor(t: Tensor, where: () => string): Tensor {
  if (t.isDisposed) throw new Error(`${where()} is a disposed tensor`);
  t.backend.incRef(t.dataId);
  return new Tensor(t.dataId, t.shape, t.dtype, t.backend);
}

function shareTensorsIn(v: unknown, where: () => string, seen: Set<object>): unknown {
  if (v instanceof Tensor) return shareTensor(v, where);
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) {
    if (seen.has(v)) throw new Error(`${where()} refers to itself; dataset elements cannot be circular`);
    seen.add(v);
    const out = v.map((x, i) => shareTensorsIn(x, () => `${where()}[${i}]`, seen));
    seen.delete(v);
    return out;
  }
  // only plain objects are containers; class instances pass through as they are
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  if (seen.has(v)) throw new Error(`${where()} refers to itself; dataset elements cannot be circular`);
  seen.add(v);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = shareTensorsIn(x, () => `${where()}.${k}`, seen);
  seen.delete(v);
  return out;
}

/**
 * A dataset of the items of an array (tensors in them are handed out as fresh handles each time).
 *
 * @example
 * ```ts
 * await st.data.array([1, 2, 3]).map((v) => v * 10).forEachAsync((v) => console.log(v)); // 10, 20, 30
 * ```
 */
export function array<T>(items: readonly T[]): Dataset<T> {
  if (!Array.isArray(items)) throw new Error(`data.array: expected an array, got ${items === null ? 'null' : typeof items}`);
  return new Dataset(function* () {
    for (let i = 0; i < items.length; i++) yield shareTensorsIn(items[i], () => `data.array: item ${i}`, new Set()) as T;
  }, items.length);
}

type IteratorSource<T> = Iterator<T> | AsyncIterator<T> | Iterable<T> | AsyncIterable<T>;

function iteratorFrom<T>(door: string, g: unknown): Iterator<T> | AsyncIterator<T> {
  if (g && typeof (g as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') return (g as AsyncIterable<T>)[Symbol.asyncIterator]();
  if (g && typeof (g as Iterable<T>)[Symbol.iterator] === 'function') return (g as Iterable<T>)[Symbol.iterator]();
  if (g && typeof (g as Iterator<T>).next === 'function') return g as Iterator<T>;
  throw new Error(`${door}: the function returned ${g === null ? 'null' : typeof g}, not an iterator (an object with next())`);
}

/**
 * A dataset whose elements come from `generator`: a function called at the start of every
 * iteration (so each epoch starts afresh) returning an iterator: a generator function, sync
 * or async, a function returning an object with `next()`, or a promise of one.
 *
 * @example
 * ```ts
 * function* count() { for (let i = 0; i < 3; i++) yield i; }
 * console.log(await st.data.generator(count).toArray()); // [0, 1, 2]
 * ```
 */
export function generator<T>(generator: () => IteratorSource<T> | Promise<IteratorSource<T>>, door = 'data.generator'): Dataset<T> {
  if (typeof generator !== 'function') {
    throw new Error(`${door}: expected a function returning an iterator (e.g. function* () { ... }), ` +
      `got ${generator === null ? 'null' : typeof generator}; pass the generator function itself, not its result, so that each epoch can start it again`);
  }
  return new Dataset<T>(async function* () {
    const it = iteratorFrom<T>(door, await generator());
    let finished = false;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) { finished = true; return; }
        yield r.value;
      }
    } finally {
      if (!finished) await it.return?.();
    }
  });
}

/**
 * striate's earlier name for `generator`.
 *
 * @example
 * ```ts
 * function* squares() { for (let i = 1; i <= 3; i++) yield i * i; }
 * console.log(await st.data.fromGenerator(squares).toArray()); // [1, 4, 9]
 * ```
 */
export function fromGenerator<T>(gen: () => IteratorSource<T> | Promise<IteratorSource<T>>): Dataset<T> {
  return generator(gen, 'data.fromGenerator');
}

/**
 * A dataset that calls `f` for each element; `f` returns `{value, done}` (or a promise of it).
 * As in tf.data, all iterations share the one stream: a second pass continues where the first
 * stopped.
 *
 * @example
 * ```ts
 * let i = 0;
 * const ds = st.data.func(() => ({ value: i++, done: i > 3 }));
 * console.log(await ds.toArray()); // [0, 1, 2]
 * ```
 */
export function func<T>(f: () => IteratorResult<T> | Promise<IteratorResult<T>>): Dataset<T> {
  if (typeof f !== 'function') throw new Error(`data.func: expected a function returning {value, done}, got ${f === null ? 'null' : typeof f}`);
  let index = 0;
  const shared: AsyncIterator<T> = {
    async next() {
      const r = await f();
      if (r === null || typeof r !== 'object' || !('done' in r || 'value' in r)) {
        throw new Error(`data.func: call ${index} returned ${r === null ? 'null' : typeof r}; expected {value, done}`);
      }
      index++;
      return r.done ? { value: undefined, done: true } : { value: r.value, done: false };
    },
  };
  return new Dataset<T>(() => shared);
}

interface Zippable { iterator(): Promise<{ next(): Promise<IteratorResult<unknown>> | IteratorResult<unknown>; return?: () => unknown }>; size?: number | null }

function isDatasetLike(v: unknown): v is Zippable {
  return v instanceof Dataset || (v !== null && typeof v === 'object' && typeof (v as Zippable).iterator === 'function');
}

/** The datasets at the leaves of a nested array/object, each with its path (for errors). */
function leavesOf(v: unknown, path: string, out: { path: string; ds: Zippable }[], seen: Set<object>): void {
  if (isDatasetLike(v)) { out.push({ path, ds: v }); return; }
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || v instanceof Tensor) {
    throw new Error(`data.zip: ${path || 'the argument'} is ${v === null ? 'null' : typeof v}; ` +
      'the leaves of the structure given to zip must be Datasets');
  }
  if (seen.has(v)) throw new Error(`data.zip: ${path || 'the argument'} refers to itself`);
  seen.add(v);
  for (const [k, x] of Object.entries(v)) leavesOf(x, Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k, out, seen);
  seen.delete(v);
}

/** The structure of `shape` with each dataset leaf replaced by the next value from `values`. */
function rebuild(shape: unknown, values: unknown[], cursor: { i: number }): unknown {
  if (isDatasetLike(shape)) return values[cursor.i++];
  if (Array.isArray(shape)) return shape.map((x) => rebuild(x, values, cursor));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(shape as object)) out[k] = rebuild(x, values, cursor);
  return out;
}

type Zipped<D> = D extends Dataset<infer E> ? E : { [K in keyof D]: Zipped<D[K]> };

/**
 * Elements taken side by side from several datasets, in a structure matching the input, which
 * may nest arrays and objects: `zip({xs: images, ys: labels})` gives `{xs, ys}` elements. Stops
 * at the shortest.
 *
 * @example
 * ```ts
 * const ds = st.data.zip({ a: st.data.array([1, 2]), b: st.data.array([3, 4]) });
 * console.log(await ds.toArray()); // [{ a: 1, b: 3 }, { a: 2, b: 4 }]
 * ```
 */
export function zip<D extends object>(datasets: D): Dataset<Zipped<D>> {
  if (datasets === null || typeof datasets !== 'object' || isDatasetLike(datasets)) {
    throw new Error(`data.zip: expected an array or object of Datasets, got ${datasets === null ? 'null' : isDatasetLike(datasets) ? 'a single Dataset' : typeof datasets}`);
  }
  const leaves: { path: string; ds: Zippable }[] = [];
  leavesOf(datasets, '', leaves, new Set());
  const sizes = leaves.map((l) => l.ds.size ?? null);
  const size = leaves.length === 0 ? 0 : sizes.some((s) => s === null) ? null : Math.min(...(sizes as number[]));
  return new Dataset(async function* () {
    if (leaves.length === 0) return;
    const its = await Promise.all(leaves.map((l) => l.ds.iterator()));
    try {
      for (;;) {
        const rs = await Promise.all(its.map((it) => it.next()));
        if (rs.some((r) => r.done)) return;
        yield rebuild(datasets, rs.map((r) => r.value), { i: 0 }) as Zipped<D>;
      }
    } finally {
      await Promise.all(its.map((it) => it.return?.()));
    }
  }, size);
}

/**
 * A dataset of the rows (along axis 0) of a tensor, or of several tensors side by side:
 * `fromTensorSlices({ xs, ys })` gives one `{xs: row, ys: row}` element per sample.
 *
 * @example
 * ```ts
 * const ds = st.data.fromTensorSlices(st.tensor2d([[1, 2], [3, 4], [5, 6]])).batch(2);
 * await ds.forEachAsync((batch) => (batch as st.Tensor).print()); // [[1, 2], [3, 4]] then [[5, 6]]
 * ```
 */
export function fromTensorSlices(data: NumbersLike | Record<string, NumbersLike> | NumbersLike[]): Dataset<Tensor | Record<string, Tensor> | Tensor[]> {
  // one column of numbers, or one tensor, is a single source; other arrays and objects hold several
  const single = ArrayBuffer.isView(data) || typeof (data as Tensor).dataSync === 'function'
    || (Array.isArray(data) && data.every((v) => typeof v === 'number'));
  const entries: [string, NumbersLike][] = single ? [['', data as NumbersLike]] : Object.entries(data as Record<string, NumbersLike>);
  if (entries.length === 0) throw new Error('data.fromTensorSlices: expected a tensor, or an array or object of tensors');
  const rows = entries.map(([k, v]) => rowsOf('data.fromTensorSlices', k || 'data', v));
  rows.forEach((r, i) => {
    if (r.count !== rows[0].count) {
      throw new Error(`data.fromTensorSlices: ${entries[0][0]} has ${rows[0].count} rows but ${entries[i][0]} has ${r.count}`);
    }
  });
  const slice = (i: number): Tensor[] => rows.map((r) =>
    makeTensor(r.data.slice(i * r.rowSize, (i + 1) * r.rowSize), r.shape.slice(1), r.dtype));
  return new Dataset(function* () {
    for (let i = 0; i < rows[0].count; i++) {
      const t = slice(i);
      if (single) yield t[0];
      else if (Array.isArray(data)) yield t;
      else yield Object.fromEntries(entries.map(([k], j) => [k, t[j]]));
    }
  }, rows[0].count);
}
