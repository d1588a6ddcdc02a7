/**
 * Kaggle's "Digit Recognizer" CSV layout: `label,pixel0,...,pixel783` for training and
 * `pixel0,...,pixel783` for the test file (no labels), pixels 0..255 in row-major 28x28 order.
 * Rows become NHWC [28, 28, 1] images scaled to [0, 1].
 */
import { makeTensor } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { Dataset } from './dataset.js';
import { CsvLayout, csvRows, grow } from './csv.js';
import { readCsvRecords } from './csv_reader.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

export interface DigitCsv {
  /** [n, 28, 28, 1] float32 in [0, 1] */
  xs: Tensor;
  /** [n] int32 digits, or null for the test file, which has no label column */
  labels: Tensor | null;
  count: number;
}

function checkLayout(path: string, layout: CsvLayout): boolean {
  const hasLabel = layout.labelName !== null;
  const ok = layout.featureNames.length === PIXELS && layout.featureNames.every((n, i) => n === `pixel${i}`);
  if (!ok) {
    const shown = [...(hasLabel ? [layout.labelName] : []), ...layout.featureNames.slice(0, 4)].join(',');
    throw new Error(`${path}: expected the Digit Recognizer header label,pixel0,...,pixel783 (training file) or ` +
      `pixel0,...,pixel783 (test file), got ${shown}${layout.featureNames.length > 4 ? ',...' : ''} ` +
      `(${layout.featureNames.length + (hasLabel ? 1 : 0)} columns)`);
  }
  return hasLabel;
}

/** The first header cell (`label` in a training file), read from the first line only. */
async function firstHeaderCell(path: string): Promise<string> {
  for await (const rec of readCsvRecords(path, { chunkSize: 16384 })) return rec.cells[0].trim();
  throw new Error(`${path}: the file is empty; expected the header label,pixel0,...,pixel783`);
}

/** Rows as pixels in [0, 1] and labels, checked for range with line and column in the error. */
async function* digitRows(path: string, limit?: number): AsyncGenerator<{ pixels: Float32Array; label: number; line: number }> {
  const labelled = (await firstHeaderCell(path)) === 'label';
  let hasLabel = false;
  const rows = csvRows(path, { labelColumn: labelled ? 'label' : undefined, limit }, (l) => (hasLabel = checkLayout(path, l)));
  for await (const row of rows) {
    const px = row.features;
    for (let i = 0; i < PIXELS; i++) {
      const v = px[i];
      if (v < 0 || v > 255) {
        throw new Error(`${path}:${row.line}, column ${i + (hasLabel ? 2 : 1)} (pixel${i}): ${v} is out of range; expected 0..255`);
      }
      px[i] = v / 255;
    }
    let label = -1;
    if (hasLabel) {
      label = Number(row.label);
      if (row.label === '' || !Number.isInteger(label) || label < 0 || label > 9) {
        throw new Error(`${path}:${row.line}, column 1 (label): ${JSON.stringify(row.label)} is not a digit; expected 0..9`);
      }
    }
    yield { pixels: px, label, line: row.line };
  }
}

/**
 * Reads a Digit Recognizer CSV (train.csv or test.csv) whole.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-digits-'));
 * const file = path.join(dir, 'train.csv');
 * const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
 * const row = (digit: number) => [digit, ...new Array(784).fill(255)].join(',');
 * fs.writeFileSync(file, [header, row(3), row(7)].join('\n') + '\n');
 * const { xs, labels, count } = await st.data.loadDigitRecognizerCsv(file);
 * console.log(count, xs.shape); // 2 [2, 28, 28, 1]
 * labels!.print(); // [3, 7]
 * ```
 */
export async function loadDigitRecognizerCsv(path: string, options: { limit?: number } = {}): Promise<DigitCsv> {
  let xs = new Float32Array(PIXELS * 1024);
  let labels = new Int32Array(1024);
  let n = 0;
  let labelled = false;
  for await (const row of digitRows(path, options.limit)) {
    xs = grow(xs, (n + 1) * PIXELS);
    labels = grow(labels, n + 1);
    xs.set(row.pixels, n * PIXELS);
    labels[n] = row.label;
    labelled = row.label >= 0;
    n++;
  }
  return {
    xs: makeTensor(xs.slice(0, n * PIXELS), [n, SIDE, SIDE, 1], 'float32'),
    labels: labelled ? makeTensor(labels.slice(0, n), [n], 'int32') : null,
    count: n,
  };
}

/**
 * A Digit Recognizer CSV as a streaming `Dataset` of `{xs: [28, 28, 1], ys: int32 digit}`
 * (just `xs` tensors for the test file), read line by line each iteration.
 *
 * @example
 * ```ts
 * const fs = await import('node:fs'), os = await import('node:os'), path = await import('node:path');
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-digits-'));
 * const file = path.join(dir, 'train.csv');
 * const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
 * const row = (digit: number) => [digit, ...new Array(784).fill(255)].join(',');
 * fs.writeFileSync(file, [header, row(3), row(7)].join('\n') + '\n');
 * const first = await st.data.digitRecognizerDataset(file).take(1).toArray();
 * const { xs, ys } = first[0] as { xs: st.Tensor; ys: st.Tensor };
 * console.log(xs.shape); // [28, 28, 1]
 * ys.print(); // 3
 * ```
 */
export function digitRecognizerDataset(path: string): Dataset<Tensor | { xs: Tensor; ys: Tensor }> {
  return new Dataset(async function* () {
    for await (const row of digitRows(path)) {
      const xs = makeTensor(row.pixels, [SIDE, SIDE, 1], 'float32');
      yield row.label < 0 ? xs : { xs, ys: makeTensor(Int32Array.of(row.label), [], 'int32') };
    }
  });
}
