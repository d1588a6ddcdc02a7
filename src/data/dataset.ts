/**
 * `Dataset`: a recipe for a stream of elements, in the manner of `tf.data`. Nothing is read
 * until the dataset is iterated, and every iteration (every epoch of `fitDataset`) starts the
 * recipe afresh, so a data set larger than memory flows through in batches. Each stage is an
 * async generator pulling from the one before; stopping early (`take`, `break`) closes them all,
 * which closes files.
 */
import type { Tensor } from '../tensor/tensor.js';
import { Random, randomFor } from '../tensor/random.js';
import { Batched, stackElements } from './batching.js';
import { NumbersLike, rowsOf } from './rows.js';
import { makeTensor } from '../tensor/engine.js';

type Source<T> = () => AsyncIterator<T> | Iterator<T>;

function positiveInt(op: string, name: string, v: unknown, allowZero = false): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < (allowZero ? 0 : 1)) {
    throw new Error(`Dataset.${op}: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${String(v)}`);
  }
  return v;
}

/** Mixes a seed and an epoch number into one 32-bit seed (so each epoch's shuffle differs, repeatably). */
function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0;
}

export class Dataset<T> implements AsyncIterable<T> {
  /** `source` is called once per iteration and must return a fresh iterator each time. */
  constructor(private readonly source: Source<T>) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    const it = this.source();
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return?.();
    }
  }

  /** TensorFlow.js' door: an iterator with `next()`. */
  async iterator(): Promise<AsyncIterator<T>> {
    return this[Symbol.asyncIterator]();
  }

  private then_<U>(stage: (input: AsyncIterable<T>) => AsyncGenerator<U>): Dataset<U> {
    return new Dataset(() => stage(this));
  }

  /** Each element through `fn` (which may be async). */
  map<U>(fn: (element: T) => U | Promise<U>): Dataset<U> {
    if (typeof fn !== 'function') throw new Error(`Dataset.map: expected a function, got ${typeof fn}`);
    return this.then_(async function* (input) {
      for await (const e of input) yield await fn(e);
    });
  }

  /** Only the elements for which `predicate` is true. */
  filter(predicate: (element: T) => boolean | Promise<boolean>): Dataset<T> {
    return this.then_(async function* (input) {
      for await (const e of input) if (await predicate(e)) yield e;
    });
  }

  /**
   * Groups `batchSize` elements into one (see `stackElements`): tensors gain a leading batch
   * axis, `{xs, ys}` elements give `{xs, ys}` batches. The last, smaller batch is kept unless
   * `smallLastBatch` is false.
   */
  batch(batchSize: number, smallLastBatch = true): Dataset<Batched<T>> {
    positiveInt('batch', 'batchSize', batchSize);
    return this.then_(async function* (input) {
      let items: T[] = [];
      for await (const e of input) {
        items.push(e);
        if (items.length === batchSize) {
          yield stackElements(items) as Batched<T>;
          items = [];
        }
      }
      if (items.length > 0 && smallLastBatch) yield stackElements(items) as Batched<T>;
    });
  }

  /**
   * Randomises the order within a window of `bufferSize` elements (the whole set when it is at
   * least as large). With `seed` each iteration's order is repeatable; by default each iteration
   * draws a new order, as in tf.data.
   */
  shuffle(bufferSize: number, seed?: number, reshuffleEachIteration = true): Dataset<T> {
    positiveInt('shuffle', 'bufferSize', bufferSize);
    const base = seed ?? randomFor().nextUint32();
    let epoch = 0;
    return this.then_(async function* (input) {
      const rng = new Random(epochSeed(base, reshuffleEachIteration ? epoch++ : 0));
      const buffer: T[] = [];
      for await (const e of input) {
        if (buffer.length < bufferSize) {
          buffer.push(e);
          continue;
        }
        const k = rng.int(bufferSize);
        const out = buffer[k];
        buffer[k] = e;
        yield out;
      }
      rng.shuffle(buffer);
      yield* buffer;
    });
  }

  /**
   * Keeps up to `bufferSize` elements requested ahead of the consumer, so slow (asynchronous)
   * reading overlaps with training.
   */
  prefetch(bufferSize: number): Dataset<T> {
    positiveInt('prefetch', 'bufferSize', bufferSize);
    return this.then_(async function* (input) {
      const it = input[Symbol.asyncIterator]();
      const queue: Promise<IteratorResult<T>>[] = [];
      const request = (): void => {
        const p = it.next();
        // a request the consumer never awaits (it stopped early) must not become an unhandled rejection
        p.catch(() => undefined);
        queue.push(p);
      };
      try {
        for (;;) {
          while (queue.length < bufferSize + 1) request();
          const r = await queue.shift()!;
          if (r.done) return;
          yield r.value;
        }
      } finally {
        await it.return?.();
      }
    });
  }

  /** The first `count` elements. */
  take(count: number): Dataset<T> {
    positiveInt('take', 'count', count, true);
    return this.then_(async function* (input) {
      if (count === 0) return;
      let i = 0;
      for await (const e of input) {
        yield e;
        if (++i >= count) return;
      }
    });
  }

  /** All but the first `count` elements. */
  skip(count: number): Dataset<T> {
    positiveInt('skip', 'count', count, true);
    return this.then_(async function* (input) {
      let i = 0;
      for await (const e of input) if (i++ >= count) yield e;
    });
  }

  /** The elements `count` times over (forever without `count`: bound it with take or batchesPerEpoch). */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) positiveInt('repeat', 'count', count, true);
    const self = this;
    return new Dataset(async function* () {
      for (let r = 0; count === undefined || r < count; r++) {
        let any = false;
        for await (const e of self) { any = true; yield e; }
        // an empty dataset repeated forever would spin without yielding
        if (!any) return;
      }
    });
  }

  /** This dataset's elements, then `other`'s. */
  concatenate(other: Dataset<T>): Dataset<T> {
    const self = this;
    return new Dataset(async function* () {
      yield* self;
      yield* other;
    });
  }

  async forEachAsync(fn: (element: T) => void | Promise<void>): Promise<void> {
    for await (const e of this) await fn(e);
  }

  /** Every element in an array (for small datasets and tests). */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const e of this) out.push(e);
    return out;
  }
}

/** A dataset of the items of an array. */
export function array<T>(items: readonly T[]): Dataset<T> {
  if (!Array.isArray(items)) throw new Error(`data.array: expected an array, got ${typeof items}`);
  return new Dataset(() => items[Symbol.iterator]());
}

type GeneratorLike<T> = Iterator<T> | AsyncIterator<T> | Iterable<T> | AsyncIterable<T>;

/**
 * A dataset whose elements come from `generator`, a function called at the start of every
 * iteration (a generator function, sync or async): each epoch starts afresh.
 */
export function fromGenerator<T>(generator: () => GeneratorLike<T>): Dataset<T> {
  if (typeof generator !== 'function') {
    throw new Error('data.fromGenerator: expected a function returning an iterator (e.g. function* () { ... }), ' +
      `got ${typeof generator}; pass the generator function itself so that each epoch can start it again`);
  }
  return new Dataset<T>(() => {
    const g = generator() as GeneratorLike<T>;
    if (g && typeof (g as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') return (g as AsyncIterable<T>)[Symbol.asyncIterator]();
    if (g && typeof (g as Iterable<T>)[Symbol.iterator] === 'function') return (g as Iterable<T>)[Symbol.iterator]();
    if (g && typeof (g as Iterator<T>).next === 'function') return g as Iterator<T>;
    throw new Error(`data.fromGenerator: the function returned ${g === null ? 'null' : typeof g}, not an iterator`);
  });
}

type Zipped<D> = { [K in keyof D]: D[K] extends Dataset<infer E> ? E : never };

/**
 * Elements taken side by side from several datasets, as an array or an object matching the
 * input: `zip({ xs: images, ys: labels })` gives `{xs, ys}` elements. Stops at the shortest.
 */
export function zip<D extends readonly Dataset<unknown>[] | Record<string, Dataset<unknown>>>(datasets: D): Dataset<Zipped<D>> {
  const keys = Object.keys(datasets);
  const parts = keys.map((k) => (datasets as Record<string, Dataset<unknown>>)[k]);
  parts.forEach((d, i) => {
    if (!(d instanceof Dataset)) throw new Error(`data.zip: entry ${keys[i]} is not a Dataset`);
  });
  return new Dataset(async function* () {
    const its = parts.map((d) => d[Symbol.asyncIterator]());
    try {
      for (;;) {
        const rs = await Promise.all(its.map((it) => it.next()));
        if (rs.some((r) => r.done)) return;
        const values = rs.map((r) => r.value);
        if (Array.isArray(datasets)) yield values as Zipped<D>;
        else yield Object.fromEntries(keys.map((k, i) => [k, values[i]])) as Zipped<D>;
      }
    } finally {
      await Promise.all(its.map((it) => it.return?.(undefined)));
    }
  });
}

/**
 * A dataset of the rows (along axis 0) of a tensor, or of several tensors side by side:
 * `fromTensorSlices({ xs, ys })` gives one `{xs: row, ys: row}` element per sample.
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
  });
}
