/** `st.string.stringNGrams`: n-grams of the rows of a ragged string tensor (values and row splits). */
import { Tensor } from '../../tensor/tensor.js';
import { makeStringTensor, makeTensor } from '../../tensor/engine.js';
import { convert, type TensorInput } from '../op.js';
import { joinBytes, stringInput, textOption } from './input.js';

/**
 * The n-grams of every row of the ragged tensor `data` (values) / `dataSplits` (row starts and the
 * end), for each width in `nGramWidths` in turn, joined with `separator`. Each row is padded with
 * `padWidth` copies of `leftPad` and `rightPad` on either side (-1: width - 1 of them; never more
 * than width - 1). With `preserveShortSequences`, a non-empty row too short for any n-gram gives
 * one n-gram of the whole padded row. Returns the n-grams and their row splits (TensorFlow.js' result).
 *
 * @example
 * ```ts
 * // two rows, ['a', 'b', 'c'] and ['d']: their bigrams
 * const { nGrams, nGramsSplits } = st.string.stringNGrams(['a', 'b', 'c', 'd'], [0, 3, 4], ' ', [2], '', '', 0, false);
 * nGrams.print(); // ['a b', 'b c']
 * nGramsSplits.print(); // [0, 2, 2]
 * ```
 */
export function stringNGrams(data: TensorInput, dataSplits: TensorInput, separator: string, nGramWidths: number[],
  leftPad: string, rightPad: string, padWidth: number, preserveShortSequences: boolean): { nGrams: Tensor; nGramsSplits: Tensor } {
  const op = 'stringNGrams';
  const { t, bytes } = stringInput(op, 'data', data);
  if (t.rank !== 1) throw new Error(`${op}: expected 'data' of rank 1 (the values of a ragged tensor), got shape [${t.shape}]`);
  const splitsTensor = convert(dataSplits, op, 'dataSplits', 'int32');
  if (splitsTensor.dtype !== 'int32') {
    throw new Error(`${op}: expected 'dataSplits' to be an int32 tensor, got dtype ${splitsTensor.dtype}`);
  }
  const encoder = new TextEncoder();
  const sep = encoder.encode(textOption(op, 'separator', separator));
  const left = encoder.encode(textOption(op, 'leftPad', leftPad));
  const right = encoder.encode(textOption(op, 'rightPad', rightPad));
  if (!Array.isArray(nGramWidths) || nGramWidths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new Error(`${op}: nGramWidths must be an array of positive integers, got ${JSON.stringify(nGramWidths)}`);
  }
  if (!Number.isInteger(padWidth) || padWidth < -1) {
    throw new Error(`${op}: padWidth must be an integer >= -1 (-1: width - 1 pads), got ${JSON.stringify(padWidth)}`);
  }
  if (typeof preserveShortSequences !== 'boolean') {
    throw new Error(`${op}: preserveShortSequences must be a boolean, got ${JSON.stringify(preserveShortSequences)}`);
  }
  const splits = splitsTensor.dataSync();
  checkSplits(op, splits, bytes.length);

  const padsFor = (width: number) => Math.min(padWidth < 0 ? width - 1 : padWidth, width - 1);
  // the n-grams of one row for one width: windows over [leftPad x pads, tokens..., rightPad x pads]
  const windows = (tokens: readonly Uint8Array[], width: number, pads: number, count: number, out: Uint8Array[]) => {
    const padded = [...new Array<Uint8Array>(pads).fill(left), ...tokens, ...new Array<Uint8Array>(pads).fill(right)];
    for (let k = 0; k < count; k++) out.push(joinBytes(padded.slice(k, k + width), sep));
  };
  const nGrams: Uint8Array[] = [];
  const outSplits = new Int32Array(splits.length);
  // no values at all: no n-grams, not even of pads (TensorFlow's kernel returns early here, while
  // an empty row among others does get its pad-only n-grams)
  const rows = bytes.length === 0 ? 0 : splits.length - 1;
  for (let row = 0; row < rows; row++) {
    const tokens = bytes.slice(splits[row], splits[row + 1]);
    const before = nGrams.length;
    for (const width of nGramWidths) {
      const pads = padsFor(width);
      windows(tokens, width, pads, Math.max(0, tokens.length + 2 * pads - width + 1), nGrams);
    }
    if (preserveShortSequences && nGrams.length === before && tokens.length > 0) {
      // one n-gram of the whole row with its pads (a negative padWidth never gets here: its pads always fit a window)
      windows(tokens, tokens.length + 2 * padWidth, padWidth, 1, nGrams);
    }
    outSplits[row + 1] = nGrams.length;
  }
  return { nGrams: makeStringTensor(nGrams, [nGrams.length]), nGramsSplits: makeTensor(outSplits, splitsTensor.shape, 'int32') };
}

/** Row splits must start at 0, never decrease and end at the number of values. */
function checkSplits(op: string, splits: ArrayLike<number>, size: number): void {
  if (splits.length === 0) {
    if (size === 0) return;
    throw new Error(`${op}: 'dataSplits' is empty, but 'data' has ${size} values (expected row splits [0, ..., ${size}])`);
  }
  if (splits[0] !== 0) throw new Error(`${op}: the first of 'dataSplits' must be 0, got ${splits[0]}`);
  for (let i = 1; i < splits.length; i++) {
    if (splits[i] < splits[i - 1] || splits[i] > size) {
      throw new Error(`${op}: dataSplits[${i}] = ${splits[i]} must be in [${splits[i - 1]}, ${size}] (splits never decrease)`);
    }
  }
  if (splits[splits.length - 1] !== size) {
    throw new Error(`${op}: the last of 'dataSplits' must be the number of values ${size}, got ${splits[splits.length - 1]}`);
  }
}
