/**
 * `tf.data.csv` and `CSVDataset`: a CSV file (a `file://` path in Node, a URL, a File or Blob)
 * as a dataset of rows, by TensorFlow.js' rules. Each row is an object keyed by column name;
 * numbers become numbers, other text stays text, an empty cell is the column's `default` (or
 * undefined). When a column is marked `isLabel`, rows are `{xs: {features}, ys: {labels}}`.
 *
 * Where we differ, we are stricter or more forgiving on purpose: blank lines are skipped (tf.data
 * fails on them), `""` inside a quoted cell stands for one quote (tf.data keeps both), tabs count
 * as whitespace with `delimWhitespace`, and every row error names the source and the line.
 */
import type { DType } from '../backend/types.js';
import { Dataset, DatasetIterator } from './dataset.js';
import { DataSource, TextLineDataset, URLDataSource } from './sources.js';
import { checkOptions } from '../tensor/options.js';

export interface ColumnConfig {
  /** an empty cell in this column is an error */
  required?: boolean;
  /** 'float32' (the default for numbers), 'int32' (rounded down) or 'bool' (1 for "1"/"true", else 0) */
  dtype?: DType | 'string';
  /** the value of an empty cell */
  default?: unknown;
  /** the column is a label: rows become {xs, ys} */
  isLabel?: boolean;
}

export interface CSVConfig {
  /** the first line names the columns; default true */
  hasHeader?: boolean;
  /** the column names, in order (replacing the header's, when there is one) */
  columnNames?: string[];
  /** per-column settings, by column name */
  columnConfigs?: { [key: string]: ColumnConfig };
  /** keep only the columns named in columnConfigs */
  configuredColumnsOnly?: boolean;
  /** the cell separator; default ',' */
  delimiter?: string;
  /** cells are separated by runs of spaces or tabs (give no delimiter then) */
  delimWhitespace?: boolean;
}

type Row = Record<string, unknown>;
export type CSVElement = Row | { xs: Row; ys: Row };

const CONFIG_KEYS = ['hasHeader', 'columnNames', 'columnConfigs', 'configuredColumnsOnly', 'delimiter', 'delimWhitespace'];
const COLUMN_KEYS = ['required', 'dtype', 'default', 'isLabel'];

/** The cells of one line: quoted cells may hold the delimiter, and `""` inside quotes is one quote. */
export function splitCsvLine(line: string, delimiter: string, whitespace: boolean, where: () => string): string[] {
  const cells: string[] = [];
  const isDelim = whitespace ? (c: string) => c === ' ' || c === '\t' : (c: string) => c === delimiter;
  let i = 0;
  if (whitespace) {
    while (i < line.length && isDelim(line[i])) i++;
    let end = line.length;
    while (end > i && isDelim(line[end - 1])) end--;
    line = line.slice(0, end);
  }
  for (;;) {
    let cell = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`${where()}: a quoted cell is not closed before the end of the line`);
        cell += line.slice(i, q);
        if (line[q + 1] === '"') { cell += '"'; i = q + 2; continue; }
        i = q + 1;
        break;
      }
    }
    let j = i;
    while (j < line.length && !isDelim(line[j])) j++;
    cell += line.slice(i, j);
    cells.push(cell);
    if (j >= line.length) return cells;
    i = j + 1;
    if (whitespace) while (i < line.length && isDelim(line[i])) i++;
  }
}

function sourceName(input: DataSource): string {
  return typeof (input as { describe?: unknown }).describe === 'function' ? input.describe() : 'the CSV source';
}

export class CSVDataset extends Dataset<CSVElement> {
  /** the lines of the source */
  readonly base: TextLineDataset;
  private readonly hasHeader: boolean;
  private fullColumnNames: string[] | null;
  private readonly columnConfigs: { [key: string]: ColumnConfig } | null;
  private readonly configuredColumnsOnly: boolean;
  private readonly delimiter: string;
  private readonly delimWhitespace: boolean;
  private readonly where: string;
  private validated = false;

  constructor(protected readonly input: DataSource, csvConfig: CSVConfig = {}) {
    super();
    const where = `csv ${sourceName(input)}`;
    checkOptions('data.csv', csvConfig, CONFIG_KEYS);
    const config = csvConfig ?? {};
    this.where = where;
    this.base = new TextLineDataset(input);
    this.hasHeader = config.hasHeader !== false;
    if (config.columnNames !== undefined && !(Array.isArray(config.columnNames) && config.columnNames.every((n) => typeof n === 'string'))) {
      throw new Error(`${where}: columnNames must be an array of strings, got ${typeof config.columnNames}`);
    }
    this.fullColumnNames = config.columnNames ? [...config.columnNames] : null;
    this.columnConfigs = config.columnConfigs ?? null;
    for (const [name, c] of Object.entries(this.columnConfigs ?? {})) {
      checkOptions(`data.csv columnConfigs.${name}`, c, COLUMN_KEYS);
      if (c?.dtype !== undefined && !['float32', 'int32', 'bool', 'string'].includes(c.dtype)) {
        throw new Error(`${where}: columnConfigs.${name}.dtype must be 'float32', 'int32', 'bool' or 'string', got ${JSON.stringify(c.dtype)}`);
      }
    }
    this.configuredColumnsOnly = !!config.configuredColumnsOnly;
    if (config.delimWhitespace) {
      if (config.delimiter !== undefined && config.delimiter !== null) {
        throw new Error(`${where}: give either delimWhitespace or a delimiter, not both (got delimiter ${JSON.stringify(config.delimiter)})`);
      }
      this.delimWhitespace = true;
      this.delimiter = ' ';
    } else {
      this.delimWhitespace = false;
      this.delimiter = config.delimiter || ',';
      if (typeof this.delimiter !== 'string' || this.delimiter.length !== 1 || this.delimiter === '"' || this.delimiter === '\n') {
        throw new Error(`${where}: delimiter must be one character other than a quote or a line break, got ${JSON.stringify(config.delimiter)}`);
      }
    }
  }

  /** The column names (those of columnConfigs, in its order, with configuredColumnsOnly), reading the header when needed. */
  async columnNames(): Promise<string[]> {
    if (!this.validated) await this.setColumnNames();
    return this.configuredColumnsOnly ? Object.keys(this.columnConfigs ?? {}) : [...this.fullColumnNames!];
  }

  /** The first non-blank line and its 1-based number, or null for an empty source. */
  private async firstLine(): Promise<{ text: string; line: number } | null> {
    const it = await this.base.iterator();
    try {
      let line = 0;
      for (let r = await it.next(); !r.done; r = await it.next()) {
        line++;
        if (r.value.trim() !== '') return { text: r.value, line };
      }
      return null;
    } finally {
      await it.return();
    }
  }

  private async setColumnNames(): Promise<void> {
    const where = this.where;
    let fromFile: string[] | null = null;
    if (this.hasHeader) {
      const first = await this.firstLine();
      if (!first) throw new Error(`${where}: no data; expected a header line (or hasHeader: false with columnNames)`);
      fromFile = splitCsvLine(first.text, this.delimiter, this.delimWhitespace, () => `${where}, line ${first.line} (the header)`);
    }
    if (!this.fullColumnNames && !fromFile) {
      throw new Error(`${where}: hasHeader is false, so columnNames must name the columns`);
    }
    if (this.fullColumnNames && fromFile && fromFile.length !== this.fullColumnNames.length) {
      throw new Error(`${where}: columnNames has ${this.fullColumnNames.length} names but the header line has ${fromFile.length} columns`);
    }
    const names = this.fullColumnNames ?? fromFile!;
    const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
    if (duplicates.length > 0) throw new Error(`${where}: duplicate column names: ${[...new Set(duplicates)].join(', ')}`);
    for (const key of Object.keys(this.columnConfigs ?? {})) {
      if (!names.includes(key)) {
        throw new Error(`${where}: columnConfigs has the key ${JSON.stringify(key)}, which is not a column; the columns are ${names.join(', ')}`);
      }
    }
    this.fullColumnNames = names;
    this.validated = true;
  }

  override async iterator(): Promise<DatasetIterator<CSVElement>> {
    if (!this.validated) await this.setColumnNames();
    const self = this;
    return new DatasetIterator((async function* () {
      const lines = await self.base.iterator();
      try {
        let line = 0;
        let headerSeen = !self.hasHeader;
        for (let r = await lines.next(); !r.done; r = await lines.next()) {
          line++;
          if (r.value.trim() === '') continue;
          if (!headerSeen) { headerSeen = true; continue; }
          yield self.makeDataElement(r.value, line);
        }
      } finally {
        await lines.return();
      }
    })());
  }

  /** One line as an element (`lineNumber` is for errors). */
  makeDataElement(line: string, lineNumber?: number): CSVElement {
    const place = () => `${this.where}${lineNumber !== undefined ? `, line ${lineNumber}` : ''}`;
    const names = this.fullColumnNames!;
    const values = splitCsvLine(line, this.delimiter, this.delimWhitespace, place);
    if (values.length !== names.length) {
      throw new Error(`${place()}: expected ${names.length} values (columns ${names.join(', ')}), got ${values.length}: ` +
        JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}...` : line));
    }
    const features: Row = {};
    const labels: Row = {};
    for (let i = 0; i < names.length; i++) {
      const key = names[i];
      const config = this.columnConfigs?.[key];
      if (this.configuredColumnsOnly && !config) continue;
      const v = this.parseValue(values[i], key, config, place);
      if (config?.isLabel) labels[key] = v;
      else features[key] = v;
    }
    return Object.keys(labels).length === 0 ? features : { xs: features, ys: labels };
  }

  private parseValue(cell: string, key: string, config: ColumnConfig | undefined, place: () => string): unknown {
    if (cell === '') {
      if (config?.default !== undefined) return config.default;
      if (config?.required || config?.isLabel) {
        throw new Error(`${place()}: column ${JSON.stringify(key)} is ${config.isLabel ? 'a label' : 'required'} but the cell is empty (give it a default to fill empty cells)`);
      }
      return undefined;
    }
    const dtype = config?.dtype;
    if (dtype === 'string') return cell;
    const asBool = () => (cell === '1' || cell.toLowerCase() === 'true' ? 1 : 0);
    const n = Number(cell);
    if (Number.isNaN(n)) return dtype === 'bool' ? asBool() : cell;
    if (dtype === 'int32') return Math.floor(n);
    if (dtype === 'bool') return asBool();
    return n;
  }
}

/**
 * A CSV file as a dataset of rows: `source` is a URL, or a `file://` path in Node (see
 * `CSVConfig` for the options). Read afresh on each iteration.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const file = path.join(os.tmpdir(), 'st-example.csv');
 * fs.writeFileSync(file, 'a,b,label\n1,2,0\n3,4,1\n');
 * console.log(await st.data.csv(`file://${file}`, { columnConfigs: { label: { isLabel: true } } }).toArray());
 * ```
 */
export function csv(source: string | Request, csvConfig: CSVConfig = {}): CSVDataset {
  return new CSVDataset(new URLDataSource(source), csvConfig);
}
