/**
 * CSV tables with a header as features and labels: loaded whole (`loadCsv`) or streamed one
 * row at a time (`csvDataset`). Every cell is checked: a wrong number of columns, a cell that
 * is not a number, NaN or Infinity, or a label out of range is reported with the file, the
 * line and the column.
 */
import { makeTensor } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { Dataset } from './dataset.js';
import { CsvReadOptions, readCsvRecords } from './csv_reader.js';
import { toCategorical } from './preprocess.js';

export interface CsvOptions extends CsvReadOptions {
  /** the first line names the columns; default true */
  hasHeader?: boolean;
  /** the column holding the label, by header name or 0-based index; none by default */
  labelColumn?: string | number;
  /**
   * 'sparse' (default): integer class indices; 'oneHot': rows of numClasses; 'number': the
   * label as a float32 value (regression)
   */
  labels?: 'sparse' | 'oneHot' | 'number';
  /** the number of classes; labels at or above it are errors */
  numClasses?: number;
  /** class names in index order: string labels are mapped through them */
  classNames?: readonly string[];
  /** stop after this many data rows */
  limit?: number;
}

/** One data row: the features and the label cell, with where they came from. */
export interface CsvRow {
  features: Float32Array;
  label: string | null;
  line: number;
}

export interface CsvLayout {
  /** the feature column names (from the header, or column1, column2, ... without one) */
  featureNames: string[];
  labelName: string | null;
  /** the label's 0-based column index, -1 without one */
  labelIndex: number;
}

/** `path:line, column c ("name")`, the place a cell error points at (columns counted from 1 like a spreadsheet). */
export function cellPlace(path: string, line: number, column: number, name?: string): string {
  return `${path}:${line}, column ${column + 1}${name ? ` (${name})` : ''}`;
}

/** The cell as a finite number, or an error naming the place. */
export function parseCell(cell: string, place: () => string): number {
  const v = Number(cell);
  if (cell.trim() === '' || Number.isNaN(v) || !Number.isFinite(v)) {
    if (/^\s*[+-]?(nan|inf(inity)?)\s*$/i.test(cell)) {
      throw new Error(`${place()}: ${cell.trim()} is not allowed; expected finite numbers`);
    }
    throw new Error(`${place()}: ${cell.trim() === '' ? 'the cell is empty' : `${JSON.stringify(cell)} is not a number`}; expected a number`);
  }
  return v;
}

/**
 * The rows of a CSV file, streamed, each checked and converted to numbers. `onLayout` is told
 * the column names once the header (or the first row) has been read.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-csv-'));
 * const file = path.join(dir, 'table.csv');
 * fs.writeFileSync(file, 'x1,x2,label\n1,2,0\n3,4,1\n');
 * for await (const row of st.data.csvRows(file, { labelColumn: 'label' })) console.log(row.line, row.features, row.label);
 * // 2 Float32Array [1, 2] '0', then 3 Float32Array [3, 4] '1'
 * ```
 */
export async function* csvRows(path: string, options: CsvOptions = {}, onLayout?: (layout: CsvLayout) => void): AsyncGenerator<CsvRow> {
  const hasHeader = options.hasHeader ?? true;
  let names: string[] | null = null;
  let labelIndex = -1;
  let featureIndex: number[] = [];
  let rows = 0;
  for await (const rec of readCsvRecords(path, options)) {
    if (names === null) {
      names = hasHeader ? rec.cells.map((c) => c.trim()) : rec.cells.map((_, i) => `column${i + 1}`);
      labelIndex = findLabelColumn(path, names, options.labelColumn, hasHeader);
      featureIndex = names.map((_, i) => i).filter((i) => i !== labelIndex);
      onLayout?.({ featureNames: featureIndex.map((i) => names![i]), labelName: labelIndex >= 0 ? names[labelIndex] : null, labelIndex });
      if (hasHeader) continue;
    }
    if (options.limit !== undefined && rows >= options.limit) return;
    if (rec.cells.length !== names.length) {
      throw new Error(`${path}:${rec.line}: expected ${names.length} columns` +
        `${hasHeader ? ' (as in the header)' : ' (as in the first row)'}, got ${rec.cells.length}`);
    }
    const features = new Float32Array(featureIndex.length);
    for (let k = 0; k < featureIndex.length; k++) {
      const c = featureIndex[k];
      features[k] = parseCell(rec.cells[c], () => cellPlace(path, rec.line, c, names![c]));
    }
    rows++;
    yield { features, label: labelIndex >= 0 ? rec.cells[labelIndex].trim() : null, line: rec.line };
  }
  if (names === null) throw new Error(`${path}: the file is empty; expected ${hasHeader ? 'a header line and ' : ''}data rows`);
}

function findLabelColumn(path: string, names: string[], column: string | number | undefined, hasHeader: boolean): number {
  if (column === undefined) return -1;
  if (typeof column === 'number') {
    if (!Number.isInteger(column) || column < 0 || column >= names.length) {
      throw new Error(`${path}: labelColumn ${column} is not a column index; the file has ${names.length} columns (0..${names.length - 1})`);
    }
    return column;
  }
  const i = names.indexOf(column);
  if (i < 0) {
    throw new Error(`${path}: no column named ${JSON.stringify(column)}` +
      (hasHeader ? `; the header has ${names.slice(0, 12).map((n) => JSON.stringify(n)).join(', ')}${names.length > 12 ? ', ...' : ''}` : ' (the file has no header: give the column index)'));
  }
  return i;
}

/** Turns label cells into class indices, checking the range; string labels go through classNames. */
export class LabelCoder {
  private readonly index: Map<string, number> | null;

  constructor(private readonly path: string, private readonly name: string, private readonly labelColumn: number,
    readonly classNames: readonly string[] | undefined, readonly numClasses: number | undefined) {
    this.index = classNames ? new Map(classNames.map((n, i) => [n, i])) : null;
  }

  code(cell: string, line: number): number {
    const place = () => cellPlace(this.path, line, this.labelColumn, this.name);
    if (this.index) {
      const k = this.index.get(cell);
      if (k !== undefined) return k;
      // numeric labels are allowed with class names too: they index into them
      if (!/^\d+$/.test(cell)) {
        throw new Error(`${place()}: label ${JSON.stringify(cell)} is not one of the class names ` +
          `(${this.classNames!.slice(0, 10).join(', ')}${this.classNames!.length > 10 ? ', ...' : ''})`);
      }
    }
    const v = Number(cell);
    if (cell === '' || !Number.isInteger(v) || v < 0) {
      throw new Error(`${place()}: label ${JSON.stringify(cell)} is not a class index (a whole number >= 0)` +
        (this.index ? '' : '; for text labels give classNames, or use loadCsv, which collects them'));
    }
    const k = this.numClasses ?? this.classNames?.length;
    if (k !== undefined && v >= k) throw new Error(`${place()}: label ${v} is out of range for ${k} classes (expected 0..${k - 1})`);
    return v;
  }
}

/** A whole CSV table. */
export interface CsvTable {
  /** [n, features] float32 */
  x: Tensor;
  /** [n] int32 ('sparse'), [n, classes] float32 ('oneHot'), [n] float32 ('number'), or null without a label column */
  y: Tensor | null;
  featureNames: string[];
  labelName: string | null;
  /** the class names (given, or the sorted distinct text labels); null for numeric labels without names */
  classNames: string[] | null;
  count: number;
}

/** Grows a typed array by doubling, so appending n rows costs O(n) copies. */
export function grow<A extends Float32Array | Int32Array>(a: A, needed: number): A {
  if (needed <= a.length) return a;
  const b = new (a.constructor as new (n: number) => A)(Math.max(needed, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Reads a CSV table whole: features as [n, f] float32, labels per `options.labels`. Text labels
 * without `classNames` become classes in sorted order.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const file = path.join(os.tmpdir(), 'st-table.csv');
 * fs.writeFileSync(file, 'x1,x2,label\n1,2,0\n3,4,1\n');
 * const table = await st.data.loadCsv(file, { labelColumn: 'label' });
 * console.log(table.x.shape); // [2, 2]
 * ```
 */
export async function loadCsv(path: string, options: CsvOptions = {}): Promise<CsvTable> {
  let layout: CsvLayout = { featureNames: [], labelName: null, labelIndex: -1 };
  let data = new Float32Array(1024);
  const labelCells: string[] = [];
  const lines: number[] = [];
  let n = 0;
  for await (const row of csvRows(path, options, (l) => (layout = l))) {
    const f = row.features.length;
    data = grow(data, (n + 1) * f);
    data.set(row.features, n * f);
    if (row.label !== null) { labelCells.push(row.label); lines.push(row.line); }
    n++;
  }
  const f = layout.featureNames.length;
  const x = makeTensor(data.slice(0, n * f), [n, f], 'float32');
  if (layout.labelName === null) return { x, y: null, featureNames: layout.featureNames, labelName: null, classNames: null, count: n };
  const { y, classNames } = labelTensor(path, layout.labelName, layout.labelIndex, labelCells, lines, options);
  return { x, y, featureNames: layout.featureNames, labelName: layout.labelName, classNames, count: n };
}

function labelTensor(path: string, name: string, column: number, cells: string[], lines: number[], options: CsvOptions): { y: Tensor; classNames: string[] | null } {
  const n = cells.length;
  const kind = options.labels ?? 'sparse';
  if (kind === 'number') {
    const out = new Float32Array(n);
    cells.forEach((c, i) => (out[i] = parseCell(c, () => cellPlace(path, lines[i], column, name))));
    return { y: makeTensor(out, [n], 'float32'), classNames: null };
  }
  let classNames = options.classNames ? [...options.classNames] : null;
  if (!classNames && cells.some((c) => c === '' || Number.isNaN(Number(c)))) {
    // text labels: the classes are the distinct values, sorted, as scikit-learn's LabelEncoder does
    classNames = [...new Set(cells)].sort();
  }
  const coder = new LabelCoder(path, name, column, classNames ?? undefined, options.numClasses);
  const sparse = new Int32Array(n);
  cells.forEach((c, i) => (sparse[i] = coder.code(c, lines[i])));
  if (kind === 'oneHot') {
    const k = options.numClasses ?? classNames?.length;
    return { y: toCategorical(sparse, k), classNames };
  }
  if (kind !== 'sparse') throw new Error(`loadCsv: labels must be 'sparse', 'oneHot' or 'number', got ${JSON.stringify(kind)}`);
  return { y: makeTensor(sparse, [n], 'int32'), classNames };
}

export type CsvElement = Tensor | { xs: Tensor; ys: Tensor };

/**
 * A CSV file as a streaming `Dataset`: one `{xs: [features], ys}` element per row (just the
 * features without a label column), read line by line afresh on every iteration. Text labels
 * need `classNames` here, since the file is not read ahead to collect them.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-csv-'));
 * const file = path.join(dir, 'table.csv');
 * fs.writeFileSync(file, 'x1,x2,label\n1,2,0\n3,4,1\n');
 * const rows = st.data.csvDataset(file, { labelColumn: 'label' }).batch(2);
 * await rows.forEachAsync((batch) => {
 *   const { xs, ys } = batch as { xs: st.Tensor; ys: st.Tensor };
 *   console.log(xs.shape, ys.shape); // [2, 2] [2]
 * });
 * ```
 */
export function csvDataset(path: string, options: CsvOptions = {}): Dataset<CsvElement> {
  const kind = options.labels ?? 'sparse';
  if (!['sparse', 'oneHot', 'number'].includes(kind)) {
    throw new Error(`csvDataset: labels must be 'sparse', 'oneHot' or 'number', got ${JSON.stringify(kind)}`);
  }
  const k = options.numClasses ?? options.classNames?.length;
  if (kind === 'oneHot' && k === undefined) {
    throw new Error('csvDataset: one-hot labels need numClasses or classNames (a stream cannot look ahead for the largest label)');
  }
  return new Dataset(async function* () {
    let layout: CsvLayout | null = null;
    let coder: LabelCoder | null = null;
    for await (const row of csvRows(path, options, (l) => (layout = l))) {
      const xs = makeTensor(row.features, [row.features.length], 'float32');
      if (row.label === null) { yield xs; continue; }
      const l = layout as unknown as CsvLayout;
      if (kind === 'number') {
        const v = parseCell(row.label, () => cellPlace(path, row.line, l.labelIndex, l.labelName ?? undefined));
        yield { xs, ys: makeTensor(Float32Array.of(v), [], 'float32') };
        continue;
      }
      coder ??= new LabelCoder(path, l.labelName ?? '', l.labelIndex, options.classNames, options.numClasses);
      const c = coder.code(row.label, row.line);
      if (kind === 'sparse') { yield { xs, ys: makeTensor(Int32Array.of(c), [], 'int32') }; continue; }
      const oneHot = new Float32Array(k!);
      oneHot[c] = 1;
      yield { xs, ys: makeTensor(oneHot, [k!], 'float32') };
    }
  });
}
