/**
 * `Dataset`: a recipe for a stream of elements, as TensorFlow.js' `tf.data.Dataset`. Nothing is
 * read until the dataset is iterated, and every iteration (every epoch of `fitDataset`) starts
 * the recipe afresh, so a data set larger than memory flows through in batches. Each stage is an
 * async generator pulling from the one before; stopping early (`take`, `break`) closes them all,
 * which closes files.
 *
 * `size` follows tf.data: the number of elements when it is known without reading, `Infinity`
 * for an endless stream, null when unknown. A subclass may, as in tf.data, override
 * `iterator()` (returning anything with `next()`); every method then reads through it.
 */
import { checkArgType } from '../tensor/options.js';
import { Random, randomFor } from '../tensor/random.js';
import { tidy, type TensorContainer } from '../tensor/engine.js';
import { Batched, stackElements } from './batching.js';

type Source<T> = () => AsyncIterator<T> | Iterator<T>;
type Size = number | null;

/** The iterator a dataset hands out: `next()` as in tf.data (`{value: null, done: true}` at the end), and `for await`. */
export class DatasetIterator<T> implements AsyncIterableIterator<T> {
  private finished = false;

  constructor(private readonly inner: AsyncIterator<T> | Iterator<T>) {}

  async next(): Promise<IteratorResult<T>> {
    if (this.finished) return { value: null as never, done: true };
    const r = await this.inner.next();
    if (r.done) {
      this.finished = true;
      return { value: null as never, done: true };
    }
    return { value: r.value, done: false };
  }

  /** Stops early: closes what the stream holds open (generators, files). */
  async return(): Promise<IteratorResult<T>> {
    if (!this.finished) {
      this.finished = true;
      await this.inner.return?.();
    }
    return { value: undefined as never, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The remaining elements in an array. */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for (let r = await this.next(); !r.done; r = await this.next()) out.push(r.value);
    return out;
  }
}

function isPromise(v: unknown): v is Promise<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as Promise<unknown>).then === 'function';
}

const AsyncFunction = (async () => undefined).constructor;

/**
 * Calls `fn(e)` inside `tidy` (as tf.data does for map, filter and forEachAsync), so tensors made
 * along the way are freed at once; a function that returns a promise is awaited instead (tidy
 * cannot span an await), outside any scope.
 */
async function callTidied<U>(fn: (e: never) => U | Promise<U>, e: unknown): Promise<U> {
  if (fn instanceof AsyncFunction) return fn(e as never);
  let pending: Promise<U> | undefined;
  const out = tidy(() => {
    const v = fn(e as never);
    if (isPromise(v)) {
      pending = v as Promise<U>;
      return null;
    }
    return v as TensorContainer;
  });
  return pending ? pending : (out as U);
}

function checkFunction(op: string, fn: unknown): void {
  if (typeof fn !== 'function') throw new Error(`Dataset.${op}: expected a function, got ${fn === null ? 'null' : typeof fn}`);
}

function positiveInt(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new Error(`Dataset.${op}: ${name} must be a positive integer, got ${String(v)}`);
  }
  return v;
}

function checkCount(op: string, v: unknown): void {
  if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isInteger(v))) {
    throw new Error(`Dataset.${op}: count must be an integer (negative for all), got ${String(v)}`);
  }
}

/** A 32-bit seed from a number or a string (tf.data takes strings; any number works too). */
export function seedOf(seed: string | number): number {
  if (typeof seed === 'number') return Math.floor(seed) >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Mixes a seed and an iteration number into one 32-bit seed (so each epoch's shuffle differs, repeatably). */
function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0;
}

export class Dataset<T> implements AsyncIterable<T> {
  /** The largest shuffle buffer tf.data suggests (a constant it exports; not a limit here either). */
  static readonly MAX_BUFFER_SIZE = 10000;

  /** The number of elements when known without reading; Infinity for an endless stream; null when unknown. */
  size: Size;

  /**
   * `source` is called once per iteration and must return a fresh iterator each time. A
   * subclass may pass none and override `iterator()` instead.
   */
  constructor(private readonly source?: Source<T>, size: Size = null) {
    this.size = size;
  }

  /** A fresh iterator over the elements (tf.data's door: `next()` until `done`). */
  async iterator(): Promise<DatasetIterator<T>> {
    if (!this.source) {
      throw new Error(`${this.constructor.name}: a Dataset subclass must override iterator() (returning an object with next())`);
    }
    return new DatasetIterator(this.source());
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    const it = await this.iterator() as AsyncIterator<T> & { return?: () => unknown };
    if (!it || typeof it.next !== 'function') {
      throw new Error(`${this.constructor.name}.iterator() returned ${it === null ? 'null' : typeof it}, not an iterator with next()`);
    }
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
  }

  private then_<U>(stage: (input: AsyncIterable<T>) => AsyncGenerator<U>, size: Size): Dataset<U> {
    return new Dataset(() => stage(this), size);
  }

  /** Each element through `transform` (run inside tidy; a transform returning a promise is awaited). */
  map<U>(transform: (element: T) => U | Promise<U>): Dataset<U> {
    checkFunction('map', transform);
    return this.then_(async function* (input) {
      for await (const e of input) yield await callTidied(transform, e);
    }, this.size);
  }

  /** Each element through the asynchronous `transform`. */
  mapAsync<U>(transform: (element: T) => Promise<U>): Dataset<U> {
    checkFunction('mapAsync', transform);
    return this.then_(async function* (input) {
      for await (const e of input) yield await transform(e);
    }, this.size);
  }

  /** Only the elements for which `predicate` is true. */
  filter(predicate: (element: T) => boolean | Promise<boolean>): Dataset<T> {
    checkFunction('filter', predicate);
    return this.then_(async function* (input) {
      for await (const e of input) if (await callTidied(predicate, e)) yield e;
    }, this.size === Infinity ? Infinity : null);
  }

  /**
   * Groups `batchSize` consecutive elements into one (see `stackElements`): tensors gain a
   * leading batch axis, numbers and arrays of numbers become tensors, `{xs, ys}` elements give
   * `{xs, ys}` batches. The last, smaller batch is kept unless `smallLastBatch` is false.
   */
  batch(batchSize: number, smallLastBatch = true): Dataset<Batched<T>> {
    positiveInt('batch', 'batchSize', batchSize);
    checkArgType('Dataset.batch', 'smallLastBatch', smallLastBatch, 'boolean');
    const n = this.size;
    const size = n === null || n === Infinity ? n : smallLastBatch ? Math.ceil(n / batchSize) : Math.floor(n / batchSize);
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
    }, size);
  }

  /** This dataset's elements, then `dataset`'s. */
  concatenate(dataset: Dataset<T>): Dataset<T> {
    if (!dataset || typeof (dataset as Dataset<T>).iterator !== 'function') {
      throw new Error(`Dataset.concatenate: expected a Dataset, got ${dataset === null ? 'null' : typeof dataset}`);
    }
    const self = this;
    const size = this.size === Infinity || dataset.size === Infinity ? Infinity
      : this.size !== null && dataset.size !== null ? this.size + dataset.size : null;
    return new Dataset(async function* () {
      yield* self;
      yield* asIterable(dataset);
    }, size);
  }

  /** Calls `f` on every element (inside tidy, as tf.data does), in order. */
  async forEachAsync(f: (element: T) => void | Promise<void>): Promise<void> {
    checkFunction('forEachAsync', f);
    for await (const e of this) await callTidied(f, e);
  }

  /**
   * Keeps up to `bufferSize` elements requested ahead of the consumer, so slow (asynchronous)
   * reading overlaps with training.
   */
  prefetch(bufferSize: number): Dataset<T> {
    if (bufferSize === undefined || bufferSize === null) throw new RangeError('Dataset.prefetch: bufferSize must be given (a positive integer)');
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
    }, this.size);
  }

  /**
   * The elements `count` times over; forever without `count` or with a negative one (bound it
   * with take, or fitDataset's batchesPerEpoch).
   */
  repeat(count?: number): Dataset<T> {
    checkCount('repeat', count);
    const times = count === undefined || count === null || count < 0 ? Infinity : count;
    const n = this.size;
    const size = times === 0 ? 0 : n === null ? null : times === Infinity ? (n === 0 ? 0 : Infinity) : n * times;
    const self = this;
    return new Dataset(async function* () {
      for (let r = 0; r < times; r++) {
        let any = false;
        for await (const e of self) { any = true; yield e; }
        // an empty dataset repeated forever would spin without yielding
        if (!any) return;
      }
    }, size);
  }

  /** All but the first `count` elements (all of them when `count` is negative). */
  skip(count: number): Dataset<T> {
    checkCount('skip', count);
    const c = count === undefined || count === null || count < 0 ? 0 : count;
    const n = this.size;
    return this.then_(async function* (input) {
      let i = 0;
      for await (const e of input) if (i++ >= c) yield e;
    }, n === null ? null : Math.max(0, n - c));
  }

  /**
   * Randomises the order within a window of `bufferSize` elements (the whole set when the buffer
   * is at least as large). With `seed` (a string, as in tf.data, or a number) the orders are
   * repeatable; each iteration draws a new order unless `reshuffleEachIteration` is false, when
   * every iteration gives the same one (TensorFlow.js 4.22 reshuffles even then).
   */
  shuffle(bufferSize: number, seed?: string | number, reshuffleEachIteration = true): Dataset<T> {
    if (bufferSize === undefined || bufferSize === null || (typeof bufferSize === 'number' && bufferSize < 0)) {
      throw new RangeError('Dataset.shuffle: bufferSize must be given (a positive integer)' + (this.size !== null && Number.isFinite(this.size)
        ? `; if the elements fit in memory, use the dataset's size (${this.size} elements) for a full shuffle` : ''));
    }
    positiveInt('shuffle', 'bufferSize', bufferSize);
    checkArgType('Dataset.shuffle', 'reshuffleEachIteration', reshuffleEachIteration, 'boolean');
    if (seed !== undefined && seed !== null && typeof seed !== 'string' && typeof seed !== 'number') {
      throw new Error(`Dataset.shuffle: seed must be a string or a number, got ${typeof seed}`);
    }
    const base = seed === undefined || seed === null ? randomFor().nextUint32() : seedOf(seed);
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
    }, this.size);
  }

  /** The first `count` elements (all of them when `count` is negative). */
  take(count: number): Dataset<T> {
    checkCount('take', count);
    const c = count === undefined || count === null || count < 0 ? Infinity : count;
    const n = this.size;
    return this.then_(async function* (input) {
      if (c === 0) return;
      let i = 0;
      for await (const e of input) {
        yield e;
        if (++i >= c) return;
      }
    }, n === null ? (c === 0 ? 0 : null) : Math.min(n, c));
  }

  /** Every element in an array (for datasets that fit in memory). */
  async toArray(): Promise<T[]> {
    if (this.size === Infinity) throw new Error('Dataset.toArray: the dataset is endless (repeat() without a count); take() a part first');
    const out: T[] = [];
    for await (const e of this) out.push(e);
    return out;
  }

  /** As toArray, reading ahead as it goes (tf.data uses it in its tests; the result is the same). */
  async toArrayForTest(): Promise<T[]> {
    if (this.size === Infinity) throw new Error('Dataset.toArrayForTest: the dataset is endless (repeat() without a count); take() a part first');
    return this.prefetch(100).toArray();
  }
}

/** Any dataset-like object (ours, or one with `iterator()` returning `next()`) as an async iterable. */
export function asIterable<T>(ds: Dataset<T> | { iterator(): Promise<{ next(): Promise<IteratorResult<T>> }> }): AsyncIterable<T> {
  if (ds instanceof Dataset) return ds;
  return {
    async *[Symbol.asyncIterator]() {
      const it = await ds.iterator();
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    },
  };
}
