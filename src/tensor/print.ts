/**
 * Printing tensors the way TensorFlow.js does (`tensor.toString()`, `tensor.print()`):
 *
 *     Tensor
 *         [[1, 2],
 *          [3, 4]]
 *
 * Values are shown with up to 7 decimals (trailing zeros dropped), columns padded to a common
 * width, bools as true/false, and an axis longer than 20 shows its first 3 and last 3 entries
 * around '...'.
 */
import { computeStrides } from '../backend/shape_util.js';
import type { DType } from '../backend/types.js';
import { Tensor, tensorHooks } from './tensor.js';

const LIMIT_NUM_VALS = 20;
const NUM_FIRST_LAST_VALS = 3;
const NUM_DECIMALS = 7;

function numberToString(v: number): string {
  return String(parseFloat(v.toFixed(NUM_DECIMALS)));
}

/** Element i of `vals` as text; a complex element (two slots) prints as `re + imj`. */
function valueToString(vals: ArrayLike<number>, i: number, dtype: DType): string {
  const v = vals[i];
  if (dtype === 'bool') return v === 0 ? 'false' : 'true';
  if (dtype === 'int32') return String(v);
  if (dtype === 'complex64' || dtype === 'complex128') return `${numberToString(vals[2 * i])} + ${numberToString(vals[2 * i + 1])}j`;
  return numberToString(v);
}

function padRight(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

/** The widest printed value of each column (last axis), for ranks 2 and up. */
function columnWidths(vals: ArrayLike<number>, size: number, shape: readonly number[], dtype: DType): number[] {
  const cols = shape.length === 0 ? 1 : shape[shape.length - 1];
  const widths = new Array<number>(cols).fill(0);
  if (shape.length > 1 && cols > 0) {
    for (let i = 0; i < size; i++) {
      const j = i % cols;
      widths[j] = Math.max(widths[j], valueToString(vals, i, dtype).length);
    }
  }
  return widths;
}

function subTensorLines(vals: ArrayLike<number>, offset: number, shape: readonly number[], strides: readonly number[],
  dtype: DType, widths: readonly number[], isLast: boolean): string[] {
  const rank = shape.length;
  if (rank === 0) return [valueToString(vals, offset, dtype)];
  const size = shape[0];
  const cell = (i: number) => padRight(valueToString(vals, offset + i, dtype), widths[i]);
  if (rank === 1) {
    if (size > LIMIT_NUM_VALS) {
      const first = Array.from({ length: NUM_FIRST_LAST_VALS }, (_, i) => cell(i));
      const last = Array.from({ length: NUM_FIRST_LAST_VALS }, (_, i) => cell(size - NUM_FIRST_LAST_VALS + i));
      return [`[${first.join(', ')}, ..., ${last.join(', ')}]`];
    }
    return [`[${Array.from({ length: size }, (_, i) => cell(i)).join(', ')}]`];
  }
  const subShape = shape.slice(1);
  const subStrides = strides.slice(1);
  const stride = strides[0];
  const lines: string[] = [];
  const pushRow = (i: number, last: boolean) => {
    lines.push(...subTensorLines(vals, offset + i * stride, subShape, subStrides, dtype, widths, last));
  };
  if (size > LIMIT_NUM_VALS) {
    for (let i = 0; i < NUM_FIRST_LAST_VALS; i++) pushRow(i, false);
    lines.push('...');
    for (let i = size - NUM_FIRST_LAST_VALS; i < size; i++) pushRow(i, i === size - 1);
  } else {
    for (let i = 0; i < size; i++) pushRow(i, i === size - 1);
  }
  if (size === 0) return [`[]${isLast ? '' : ',\n' + '\n'.repeat(rank - 2)}`];
  const sep = rank === 2 ? ',' : '';
  lines[0] = '[' + lines[0] + (lines.length > 1 ? sep : '');
  for (let i = 1; i < lines.length - 1; i++) lines[i] = ' ' + lines[i] + sep;
  const newLineSep = ',\n' + '\n'.repeat(rank - 2);
  if (lines.length > 1) lines[lines.length - 1] = ' ' + lines[lines.length - 1];
  lines[lines.length - 1] += ']' + (isLast ? '' : newLineSep);
  return lines;
}

/**
 * A tensor as text, as TensorFlow.js prints it. `verbose` adds the dtype, rank and shape.
 *
 * @example
 * ```ts
 * console.log(st.formatTensor(st.tensor1d([1, 2])));
 * ```
 */
export function formatTensor(t: Tensor, verbose = false): string {
  if (!(t instanceof Tensor)) throw new Error('formatTensor: expected a Tensor');
  if (t.isDisposed) return `Tensor (disposed) [${t.shape}] ${t.dtype}`;
  const vals = t.dataSync();
  const widths = columnWidths(vals, t.size, t.shape, t.dtype);
  const body = subTensorLines(vals, 0, t.shape, computeStrides(t.shape), t.dtype, widths, true);
  const lines = ['Tensor'];
  if (verbose) {
    lines.push(`  dtype: ${t.dtype}`);
    lines.push(`  rank: ${t.rank}`);
    lines.push(`  shape: [${t.shape}]`);
    lines.push('  values:');
  }
  lines.push(body.map((l) => '    ' + l).join('\n'));
  return lines.join('\n');
}

tensorHooks.format = (t: Tensor, verbose?: boolean) => formatTensor(t, verbose ?? false);
