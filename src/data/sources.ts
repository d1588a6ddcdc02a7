/**
 * Byte sources for text datasets, as tf.data's: `FileDataSource` (a `file://` path in Node, a
 * Uint8Array or Buffer, a browser File or Blob) and `URLDataSource` (fetched; a `file://` URL
 * reads the local file), each handing out the bytes in chunks; and `TextLineDataset`, the lines
 * of such a source. Local files are read through a reader that the Node entry registers
 * (node_files.ts), so this module stays free of `node:` imports for the browser build.
 */
import { Dataset, DatasetIterator } from './dataset.js';

export interface FileChunkIteratorOptions {
  /** the byte to start at; default 0 */
  offset?: number;
  /** bytes per chunk; default 1 MiB */
  chunkSize?: number;
}

/** Reads a local file in chunks; set by the Node entry. */
export type LocalFileReader = (path: string, offset: number, chunkSize: number) => AsyncGenerator<Uint8Array>;

let localFileReader: LocalFileReader | null = null;

/** Installs the reader of local files (the Node entry does this; browsers have none). */
export function setLocalFileReader(reader: LocalFileReader | null): void {
  localFileReader = reader;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

/** A `file://` path, as tf.data reads it: what follows the seven characters of `file://`. */
export function localPathOf(source: unknown): string | null {
  if (typeof source !== 'string') return null;
  if (source.startsWith('file://')) return source.slice(7);
  // in Node, a string without a scheme is a path (TensorFlow.js would try to fetch it and fail)
  if (isNode && !/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return source;
  return null;
}

function readLocal(door: string, path: string, options: FileChunkIteratorOptions): AsyncGenerator<Uint8Array> {
  if (!localFileReader) {
    throw new Error(`${door}: cannot read the local file ${JSON.stringify(path)} here: ` +
      (isNode ? 'import striate\'s Node entry (\'striate\'), which can read files' : 'a browser reads files only as File or Blob objects (e.g. from an <input type="file">) or by URL'));
  }
  return localFileReader(path, options.offset ?? 0, options.chunkSize ?? 1024 * 1024);
}

async function* chunksOfBytes(bytes: Uint8Array, offset: number, chunkSize: number): AsyncGenerator<Uint8Array> {
  for (let at = offset; at < bytes.byteLength; at += chunkSize) yield bytes.slice(at, at + chunkSize);
}

async function* chunksOfBlob(blob: Blob, offset: number, chunkSize: number): AsyncGenerator<Uint8Array> {
  for (let at = offset; at < blob.size; at += chunkSize) yield new Uint8Array(await blob.slice(at, at + chunkSize).arrayBuffer());
}

function checkChunkOptions(door: string, options: FileChunkIteratorOptions): void {
  if (options === null || typeof options !== 'object') throw new Error(`${door}: options must be an object {offset, chunkSize}, got ${options === null ? 'null' : typeof options}`);
  const { offset, chunkSize } = options;
  if (offset !== undefined && !(Number.isInteger(offset) && offset >= 0)) throw new Error(`${door}: offset must be a non-negative integer, got ${offset}`);
  if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize > 0)) throw new Error(`${door}: chunkSize must be a positive integer, got ${chunkSize}`);
}

/** Where bytes come from: `iterator()` gives a fresh stream of Uint8Array chunks. */
export abstract class DataSource {
  abstract iterator(): Promise<AsyncIterator<Uint8Array>>;
  /** How errors name this source. */
  abstract describe(): string;
}

export type FileElement = Blob | Uint8Array;

/** Bytes of a file: a `file://` path (Node), a Uint8Array or Buffer, or a File/Blob (browser). */
export class FileDataSource extends DataSource {
  constructor(protected input: FileElement | string, protected readonly options: FileChunkIteratorOptions = {}) {
    super();
    checkChunkOptions('FileDataSource', options);
    const ok = typeof input === 'string' || input instanceof Uint8Array || (typeof Blob !== 'undefined' && input instanceof Blob);
    if (!ok) {
      throw new Error(`FileDataSource: expected a file:// path, a Uint8Array (or Buffer), or a File/Blob, got ${input === null ? 'null' : typeof input}`);
    }
  }

  async iterator(): Promise<AsyncGenerator<Uint8Array>> {
    const { input } = this;
    const offset = this.options.offset ?? 0;
    const chunkSize = this.options.chunkSize ?? 1024 * 1024;
    if (typeof input === 'string') {
      const path = localPathOf(input);
      if (path === null) throw new Error(`FileDataSource: ${JSON.stringify(input)} is not a file:// path; give a URL to URLDataSource`);
      return readLocal('FileDataSource', path, this.options);
    }
    if (input instanceof Uint8Array) return chunksOfBytes(input, offset, chunkSize);
    return chunksOfBlob(input, offset, chunkSize);
  }

  describe(): string {
    const { input } = this;
    if (typeof input === 'string') return input;
    if (input instanceof Uint8Array) return `a Uint8Array of ${input.byteLength} bytes`;
    const name = (input as { name?: unknown }).name;
    return typeof name === 'string' ? `the file ${JSON.stringify(name)}` : `a Blob of ${input.size} bytes`;
  }
}

/** The body of a URL, fetched (a `file://` URL, or in Node a plain path, reads the local file). */
export class URLDataSource extends DataSource {
  constructor(protected readonly url: string | Request, protected readonly fileOptions: FileChunkIteratorOptions = {}) {
    super();
    checkChunkOptions('URLDataSource', fileOptions);
    if (typeof url !== 'string' && !(typeof Request !== 'undefined' && url instanceof Request)) {
      throw new Error(`URLDataSource: expected a URL string or a Request, got ${url === null ? 'null' : typeof url}`);
    }
  }

  async iterator(): Promise<AsyncGenerator<Uint8Array>> {
    const path = localPathOf(this.url);
    if (path !== null) return readLocal('URLDataSource', path, this.fileOptions);
    return fetchChunks(this.url, this.describe(), this.fileOptions);
  }

  describe(): string {
    return typeof this.url === 'string' ? this.url : this.url.url;
  }
}

async function* fetchChunks(url: string | Request, name: string, options: FileChunkIteratorOptions): AsyncGenerator<Uint8Array> {
  if (typeof fetch !== 'function') throw new Error(`URLDataSource: cannot fetch ${name}: this runtime has no fetch()`);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`URLDataSource: fetching ${name} failed: ${(e as Error).message}`);
  }
  if (!response.ok) throw new Error(`URLDataSource: fetching ${name} failed: HTTP ${response.status} ${response.statusText}`);
  let skip = options.offset ?? 0;
  if (!response.body) {
    yield new Uint8Array(await response.arrayBuffer()).subarray(skip);
    return;
  }
  // the body is read as it arrives, so a large file need not be held whole
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (skip >= value.byteLength) { skip -= value.byteLength; continue; }
      yield skip > 0 ? value.subarray(skip) : value;
      skip = 0;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/**
 * The lines of a byte source, decoded as UTF-8, without their line breaks (`\n` or `\r\n`); a
 * final line without a break is kept, an empty one after the last break is not.
 */
export class TextLineDataset extends Dataset<string> {
  constructor(protected readonly input: DataSource) {
    super();
    if (!input || typeof (input as DataSource).iterator !== 'function') {
      throw new Error(`TextLineDataset: expected a DataSource (FileDataSource or URLDataSource), got ${input === null ? 'null' : typeof input}`);
    }
  }

  override async iterator(): Promise<DatasetIterator<string>> {
    return new DatasetIterator<string>(linesOf(this.input));
  }
}

async function* linesOf(input: DataSource): AsyncGenerator<string> {
  const chunks = await input.iterator();
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  const strip = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);
  try {
    for (let r = await chunks.next(); !r.done; r = await chunks.next()) {
      const text = carry + decoder.decode(r.value, { stream: true });
      const parts = text.split('\n');
      carry = parts.pop()!;
      for (const p of parts) yield strip(p);
    }
    carry += decoder.decode();
    if (carry !== '') yield strip(carry);
  } finally {
    await chunks.return?.(undefined);
  }
}
