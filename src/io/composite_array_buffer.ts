/**
 * Several ArrayBuffers read as one (`tf.io.CompositeArrayBuffer`): weights may be split over
 * shards at any byte, so a weight's bytes are sliced across shard boundaries without first
 * joining every shard into one big buffer.
 */
import type { TypedArray } from '../backend/types.js';

interface Piece {
  buffer: ArrayBuffer;
  start: number;
  end: number;
}

function asBuffer(x: ArrayBuffer | TypedArray): ArrayBuffer {
  if (ArrayBuffer.isView(x)) return x.buffer as ArrayBuffer;
  if (x instanceof ArrayBuffer || Object.prototype.toString.call(x) === '[object ArrayBuffer]') return x;
  throw new Error(`CompositeArrayBuffer: expected ArrayBuffers or typed arrays, got ${x === null ? 'null' : typeof x}`);
}

export class CompositeArrayBuffer {
  private readonly pieces: Piece[] = [];
  /** the piece the last slice started in: reads usually go forward through the shards */
  private lastPiece = 0;
  readonly byteLength: number = 0;

  /** The buffers as one new ArrayBuffer (a copy even for a single buffer). */
  static join(buffers?: ArrayBuffer[] | ArrayBuffer): ArrayBuffer {
    return new CompositeArrayBuffer(buffers).slice();
  }

  /** A typed array stands for its whole underlying buffer, as in TensorFlow.js. */
  constructor(buffers?: ArrayBuffer | ArrayBuffer[] | TypedArray | TypedArray[]) {
    if (buffers == null) return;
    const list = Array.isArray(buffers) ? buffers : [buffers];
    let start = 0;
    for (const b of list) {
      const buffer = asBuffer(b);
      this.pieces.push({ buffer, start, end: start + buffer.byteLength });
      start += buffer.byteLength;
    }
    this.byteLength = start;
  }

  /** Bytes [start, end) as a new ArrayBuffer; bounds are clamped as ArrayBuffer.slice clamps (no negative indexing). */
  slice(start = 0, end = this.byteLength): ArrayBuffer {
    start = Number.isNaN(Number(start)) ? 0 : Math.max(0, start);
    end = Number.isNaN(Number(end)) ? 0 : Math.min(this.byteLength, end);
    if (end <= start) return new ArrayBuffer(0);
    const out = new Uint8Array(end - start);
    let i = this.pieceOf(start);
    let at = start;
    while (at < end) {
      const p = this.pieces[i];
      const stop = Math.min(end, p.end);
      out.set(new Uint8Array(p.buffer, at - p.start, stop - at), at - start);
      at = stop;
      i++;
    }
    return out.buffer;
  }

  /** Index of the piece holding byte `at` (0 <= at < byteLength). */
  private pieceOf(at: number): number {
    const inside = (p: Piece): boolean => at >= p.start && at < p.end;
    if (this.pieces[this.lastPiece] && inside(this.pieces[this.lastPiece])) return this.lastPiece;
    let lo = 0;
    let hi = this.pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.pieces[mid].end <= at) lo = mid + 1;
      else hi = mid;
    }
    // empty pieces share their start with the next one: step past them
    while (this.pieces[lo].end <= at) lo++;
    this.lastPiece = lo;
    return lo;
  }
}

/**
 * The buffers joined into one ArrayBuffer (`tf.io.concatenateArrayBuffers`).
 *
 * @example
 * ```ts
 * console.log(st.io.concatenateArrayBuffers([new ArrayBuffer(2), new ArrayBuffer(3)]).byteLength); // 5
 * ```
 */
export function concatenateArrayBuffers(buffers: ArrayBuffer[] | ArrayBuffer): ArrayBuffer {
  return CompositeArrayBuffer.join(buffers);
}
