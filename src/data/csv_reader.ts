/**
 * Reading CSV text as records, streaming: the file is read in chunks and each record is handed
 * on as soon as its last line has arrived, so a file of any size is read in constant memory.
 * Quoted cells (RFC 4180: `"a, b"`, `""` for a quote, line breaks inside quotes) are understood;
 * a record without quotes takes the fast path of a plain split.
 */
import { createReadStream } from 'node:fs';

export interface CsvRecord {
  cells: string[];
  /** 1-based line number where the record starts, for error messages */
  line: number;
}

export interface CsvReadOptions {
  /** the cell separator; default ',' */
  delimiter?: string;
  /** bytes read at a time; default 64 KiB */
  chunkSize?: number;
}

/**
 * Parses one quoted-or-plain record starting at `start` in `text`. Returns the cells and the
 * index just after the record's line break, or null when the record is not complete in `text`
 * yet (an open quote, or no line break and more text may come).
 */
function parseRecord(text: string, start: number, delimiter: string, final: boolean, where: () => string): { cells: string[]; end: number; lines: number } | null {
  const cells: string[] = [];
  let cell = '';
  let i = start;
  let lines = 1;
  for (;;) {
    if (text[i] === '"') {
      // a quoted cell: runs to the closing quote; "" inside stands for one quote
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          if (final) throw new Error(`${where()}: a quoted cell is not closed before the end of the file`);
          return null;
        }
        const piece = text.slice(i, q);
        for (let k = piece.indexOf('\n'); k >= 0; k = piece.indexOf('\n', k + 1)) lines++;
        cell += piece;
        if (text[q + 1] === '"') { cell += '"'; i = q + 2; continue; }
        i = q + 1;
        break;
      }
    }
    // the rest of an unquoted cell (or what follows a closing quote) up to a delimiter or line end
    let j = i;
    while (j < text.length && text[j] !== delimiter && text[j] !== '\n') j++;
    if (j === text.length && !final) return null;
    cell += text.slice(i, j);
    if (text[j] === delimiter) {
      cells.push(cell);
      cell = '';
      i = j + 1;
      continue;
    }
    cells.push(cell.endsWith('\r') ? cell.slice(0, -1) : cell);
    return { cells, end: j + 1, lines };
  }
}

/** Incremental parser: `push` text chunks, get back the records completed so far; `end` flushes. */
export class CsvParser {
  private pending = '';
  private line = 1;

  constructor(private readonly delimiter = ',', private readonly source = 'CSV') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n') {
      throw new Error(`CSV ${source}: delimiter must be one character other than a quote or line break, got ${JSON.stringify(delimiter)}`);
    }
  }

  push(chunk: string): CsvRecord[] {
    this.pending += chunk;
    return this.drain(false);
  }

  end(): CsvRecord[] {
    const out = this.drain(true);
    this.pending = '';
    return out;
  }

  private drain(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    const text = this.pending;
    let pos = 0;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0 && !final) break;
      const lineEnd = nl < 0 ? text.length : nl;
      const quoteAt = text.indexOf('"', pos);
      if (quoteAt < 0 || quoteAt > lineEnd) {
        // fast path: no quotes on this line
        let raw = text.slice(pos, lineEnd);
        if (raw.endsWith('\r')) raw = raw.slice(0, -1);
        if (raw.length > 0) out.push({ cells: raw.split(this.delimiter), line: this.line });
        this.line++;
        pos = lineEnd + 1;
        continue;
      }
      const line = this.line;
      const r = parseRecord(text, pos, this.delimiter, final, () => `${this.source}:${line}`);
      if (!r) break;
      out.push({ cells: r.cells, line });
      this.line += r.lines;
      pos = r.end;
    }
    this.pending = text.slice(pos);
    return out;
  }
}

/**
 * The records of a CSV file, read chunk by chunk (blank lines are skipped).
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-csv-'));
 * const file = path.join(dir, 'people.csv');
 * fs.writeFileSync(file, 'name,note\nAda,"likes, commas"\n\nBob,plain\n');
 * for await (const { cells, line } of st.data.readCsvRecords(file)) console.log(line, cells);
 * // 1 ['name', 'note'], 2 ['Ada', 'likes, commas'], 4 ['Bob', 'plain']
 * ```
 */
export async function* readCsvRecords(path: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser(options.delimiter ?? ',', path);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: options.chunkSize ?? 65536 });
  try {
    for await (const chunk of stream) yield* parser.push(chunk as string);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new Error(`CSV: cannot read ${path}: no such file`);
    if (err.code === 'EISDIR') throw new Error(`CSV: cannot read ${path}: it is a folder`);
    throw e;
  } finally {
    // closes the file when the consumer stops early (take(), break)
    stream.destroy();
  }
  yield* parser.end();
}
