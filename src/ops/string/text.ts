/** `st.string`: splitting, hashing into buckets, regular-expression replacement. */
import { Tensor, decodeStrings } from '../../tensor/tensor.js';
import { makeStringTensor, makeTensor } from '../../tensor/engine.js';
import { fingerprint64 } from '../../tensor/farmhash.js';
import type { TensorInput } from '../op.js';
import { stringInput, textOption } from './input.js';

/**
 * Splits each string of the rank-1 `input` at every byte of `delimiter` (an empty delimiter
 * splits into single bytes), dropping empty tokens when `skipEmpty`. An empty string gives no
 * tokens. The result is a sparse [rows, most tokens] matrix: int32 `indices` [n, 2], string
 * `values` [n] and int32 `shape` [2] (TensorFlow.js' result).
 *
 * @example
 * ```ts
 * const { indices, values, shape } = st.string.stringSplit(['a b', 'c'], ' ');
 * values.print(); // ['a', 'b', 'c']
 * indices.print(); // [[0, 0], [0, 1], [1, 0]]
 * shape.print(); // [2, 2]
 * ```
 */
export function stringSplit(input: TensorInput, delimiter: TensorInput, skipEmpty = true):
  { indices: Tensor; values: Tensor; shape: Tensor } {
  const op = 'stringSplit';
  const { t, bytes } = stringInput(op, 'input', input);
  if (t.rank !== 1) throw new Error(`${op}: expected 'input' of rank 1, got shape [${t.shape}]`);
  const { t: d, bytes: delimiterBytes } = stringInput(op, 'delimiter', delimiter);
  if (d.rank !== 0) throw new Error(`${op}: expected 'delimiter' to be a scalar, got shape [${d.shape}]`);
  if (typeof skipEmpty !== 'boolean') throw new Error(`${op}: skipEmpty must be a boolean, got ${JSON.stringify(skipEmpty)}`);
  const isDelimiter = new Uint8Array(256);
  for (const b of delimiterBytes[0]) isDelimiter[b] = 1;
  const byByte = delimiterBytes[0].length === 0;

  const rows: number[] = [];
  const columns: number[] = [];
  const tokens: Uint8Array[] = [];
  let widest = 0;
  bytes.forEach((s, row) => {
    let count = 0;
    const push = (token: Uint8Array) => {
      if (skipEmpty && token.length === 0) return;
      rows.push(row);
      columns.push(count++);
      tokens.push(token);
    };
    if (byByte) for (let i = 0; i < s.length; i++) push(s.slice(i, i + 1));
    else if (s.length > 0) {
      let start = 0;
      for (let i = 0; i <= s.length; i++) {
        if (i === s.length || isDelimiter[s[i]]) {
          push(s.slice(start, i));
          start = i + 1;
        }
      }
    }
    widest = Math.max(widest, count);
  });
  const indices = new Int32Array(2 * tokens.length);
  for (let k = 0; k < tokens.length; k++) {
    indices[2 * k] = rows[k];
    indices[2 * k + 1] = columns[k];
  }
  return {
    indices: makeTensor(indices, [tokens.length, 2], 'int32'),
    values: makeStringTensor(tokens, [tokens.length]),
    shape: makeTensor(Int32Array.from([bytes.length, widest]), [2], 'int32'),
  };
}

/**
 * The bucket in [0, numBuckets) of each string: its Farmhash Fingerprint64 modulo numBuckets, as
 * TensorFlow computes it, so buckets agree across TensorFlow, TensorFlow.js and striate. int32,
 * the input's shape.
 *
 * @example
 * ```ts
 * st.string.stringToHashBucketFast(['cat', 'dog', 'cat'], 10).print(); // the same bucket for both 'cat'
 * ```
 */
export function stringToHashBucketFast(input: TensorInput, numBuckets: number): Tensor {
  const op = 'stringToHashBucketFast';
  const { t, bytes } = stringInput(op, 'input', input);
  if (!Number.isInteger(numBuckets) || numBuckets < 1) {
    throw new Error(`${op}: numBuckets must be a positive integer, got ${JSON.stringify(numBuckets)}`);
  }
  const n = BigInt(numBuckets);
  const out = new Int32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = Number(fingerprint64(bytes[i]) % n);
  return makeTensor(out, t.shape, 'int32');
}

/**
 * Each string with the matches of `pattern` (a JavaScript regular expression, as in TensorFlow.js)
 * replaced by `rewrite` ($1, $& ... refer to the match): all of them, or the first when
 * `replaceGlobal` is false. A string tensor of the input's shape.
 *
 * @example
 * ```ts
 * st.string.staticRegexReplace(['a1b22', 'c3'], '\\d+', '#').print(); // ['a#b#', 'c#']
 * ```
 */
export function staticRegexReplace(input: TensorInput, pattern: string, rewrite: string, replaceGlobal = true): Tensor {
  const op = 'staticRegexReplace';
  const { t, bytes } = stringInput(op, 'input', input);
  textOption(op, 'pattern', pattern);
  textOption(op, 'rewrite', rewrite);
  if (typeof replaceGlobal !== 'boolean') {
    throw new Error(`${op}: replaceGlobal must be a boolean, got ${JSON.stringify(replaceGlobal)}`);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, replaceGlobal ? 'g' : '');
  } catch (e) {
    throw new Error(`${op}: pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(e as Error).message}`);
  }
  const encoder = new TextEncoder();
  return makeStringTensor(decodeStrings(bytes).map((s) => encoder.encode(s.replace(regex, rewrite))), t.shape);
}
