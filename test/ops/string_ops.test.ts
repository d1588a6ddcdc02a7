/**
 * st.string against TensorFlow.js (cpu) on the same inputs: stringNGrams (padding, widths,
 * preserveShortSequences), stringSplit (delimiters, skipEmpty, unicode), stringToHashBucketFast
 * (many strings of many lengths: Farmhash Fingerprint64), staticRegexReplace; util.fingerPrint64
 * and util.hexToLong; errors.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as st from '../../src/index.js';
import { assertThrowsMessage } from '../helpers.js';

await tf.setBackend('cpu');

// the same program runs on both libraries, whose types differ
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Lib = any;
type AnyTensor = { dtype: string; shape: readonly number[]; arraySync(): unknown };

function plain(result: AnyTensor | Record<string, AnyTensor>): unknown {
  if ('dtype' in result) {
    const t = result as AnyTensor;
    return { dtype: t.dtype, shape: [...t.shape], values: t.arraySync() };
  }
  return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, plain(v)]));
}

async function same(what: string, build: (lib: Lib) => AnyTensor | Record<string, AnyTensor>): Promise<void> {
  const theirs = plain(build(tf));
  for (const backend of ['js', 'wasm']) {
    await st.setBackend(backend);
    assert.deepEqual(plain(build(st)), theirs, `${what} (${backend})`);
  }
}

/** Deterministic strings: ASCII, accents, CJK, emoji, empty, and lengths across Farmhash's branches. */
function manyStrings(n: number): string[] {
  const alphabet = ['a', 'b', 'Z', ' ', '0', 'é', 'ß', '日', '本', '🎉', '\u0301', ',', '|'];
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  return Array.from({ length: n }, (_, i) => {
    const len = i < 140 ? i : next() % 300;
    let s = '';
    for (let k = 0; k < len; k++) s += alphabet[next() % alphabet.length];
    return s;
  });
}

test('stringNGrams: widths, padding (fixed, -1, 0), separators, preserveShortSequences, empty rows', async () => {
  const data = ['a', 'b', 'c', 'd', 'e', 'é', '日本'];
  const splits = [0, 2, 2, 3, 7];
  for (const widths of [[1], [2], [1, 2], [3], [2, 4], [5]]) {
    for (const padWidth of [-1, 0, 1, 2]) {
      for (const preserve of [false, true]) {
        await same(`widths ${widths} pad ${padWidth} preserve ${preserve}`, (l) =>
          l.string.stringNGrams(data, l.tensor1d(splits, 'int32'), '|', widths, 'LP', 'RP', padWidth, preserve));
      }
    }
  }
  await same('empty separator and pads', (l) => l.string.stringNGrams(['x', 'y', 'z'], l.tensor1d([0, 3], 'int32'), '', [2], '', '', 1, false));
  await same('the documented example', (l) => l.string.stringNGrams(['a', 'b', 'c', 'd'], l.tensor1d([0, 2, 4], 'int32'),
    '|', [1, 2], 'LP', 'RP', -1, false));
  await same('no values', (l) => l.string.stringNGrams(l.tensor([], [0], 'string'), l.tensor1d([0, 0], 'int32'), '|', [2], 'L', 'R', 1, true));
});

test('stringSplit: one and several delimiters, empty delimiter, skipEmpty, empty strings, unicode', async () => {
  const input = ['hello world', 'a  b c', '', ' lead and trail ', 'é,x;y', '日本 語'];
  for (const delimiter of [' ', ' ,', ';,', '', 'é']) {
    for (const skipEmpty of [true, false]) {
      await same(`delimiter ${JSON.stringify(delimiter)} skipEmpty ${skipEmpty}`, (l) => l.string.stringSplit(input, delimiter, skipEmpty));
    }
  }
  await same('default skipEmpty', (l) => l.string.stringSplit(['a  b'], ' '));
  await same('scalar tensor delimiter', (l) => l.string.stringSplit(l.tensor1d(['a-b', 'c']), l.scalar('-')));
});

test('stringToHashBucketFast: the buckets of TensorFlow.js for many strings, shapes kept', async () => {
  const strings = manyStrings(600);
  for (const buckets of [1, 3, 10, 1000, 2 ** 31 - 1]) {
    await same(`${buckets} buckets`, (l) => l.string.stringToHashBucketFast(strings, buckets));
  }
  await same('the documented example', (l) => l.string.stringToHashBucketFast(['Hello', 'TensorFlow', '2.x'], 3));
  await same('rank 2', (l) => l.string.stringToHashBucketFast(l.tensor([['a', 'b'], ['', 'ccc']]), 7));
  await same('scalar', (l) => l.string.stringToHashBucketFast(l.scalar('x'), 5));
});

test('util.fingerPrint64 and util.hexToLong give TensorFlow.js\' Longs', () => {
  for (const s of manyStrings(300)) {
    const bytes = new TextEncoder().encode(s);
    const theirs = tf.util.fingerPrint64(bytes);
    const ours = st.util.fingerPrint64(bytes);
    assert.equal(ours.toString(16), theirs.toString(16), JSON.stringify(s));
    assert.equal(ours.unsigned, true);
    // a prefix, as the optional length asks
    const half = bytes.length >> 1;
    assert.equal(st.util.fingerPrint64(bytes, half).toString(), tf.util.fingerPrint64(bytes, half).toString());
  }
  for (const hex of ['0', 'ff', '9ae16a3b2f90404f', 'ffffffffffffffff']) {
    assert.equal(st.util.hexToLong(hex).toString(), tf.util.hexToLong(hex).toString(), hex);
  }
  assert.equal(st.util.fingerPrint64(new Uint8Array(0)).modulo(3).getLowBitsUnsigned(),
    tf.util.fingerPrint64(new Uint8Array(0)).modulo(3).getLowBitsUnsigned());
  assertThrowsMessage(() => st.util.hexToLong('xyz'), 'util.hexToLong: expected hexadecimal digits, got "xyz"');
  assertThrowsMessage(() => st.util.fingerPrint64(new Uint8Array(2), 3), 'fingerPrint64: len must be an integer in [0, 2], got 3');
});

test('staticRegexReplace: global and first match, groups, unicode, shapes kept', async () => {
  await same('the documented example', (l) => l.string.staticRegexReplace(['format       this   spacing      better'], ' +', ' '));
  await same('first match only', (l) => l.string.staticRegexReplace(['aaa', 'bab', ''], 'a', 'x', false));
  await same('groups', (l) => l.string.staticRegexReplace(l.tensor([['ab12', 'c3'], ['', 'é9']]), '(\\d)', '<$1>'));
  await same('unicode', (l) => l.string.staticRegexReplace(['日本語', 'café'], '[本é]', '_'));
  await same('empty matches', (l) => l.string.staticRegexReplace(['abc'], 'x*', '-'));
});

test('string ops check their arguments', async () => {
  for (const backend of ['js', 'wasm']) {
    await st.setBackend(backend);
    const splits = st.tensor1d([0, 2], 'int32');
    assertThrowsMessage(() => st.string.stringNGrams(st.tensor([1, 2]), splits, '|', [2], 'L', 'R', 1, false),
      "stringNGrams: expected 'data' to be a string tensor, got dtype float32");
    assertThrowsMessage(() => st.string.stringNGrams(st.tensor([['a', 'b']]), splits, '|', [2], 'L', 'R', 1, false),
      "stringNGrams: expected 'data' of rank 1");
    assertThrowsMessage(() => st.string.stringNGrams(['a', 'b'], st.tensor1d([0, 2]), '|', [2], 'L', 'R', 1, false),
      "stringNGrams: expected 'dataSplits' to be an int32 tensor, got dtype float32");
    assertThrowsMessage(() => st.string.stringNGrams(['a', 'b'], st.tensor1d([1, 2], 'int32'), '|', [2], 'L', 'R', 1, false),
      "the first of 'dataSplits' must be 0, got 1");
    assertThrowsMessage(() => st.string.stringNGrams(['a', 'b'], st.tensor1d([0, 1], 'int32'), '|', [2], 'L', 'R', 1, false),
      "the last of 'dataSplits' must be the number of values 2, got 1");
    assertThrowsMessage(() => st.string.stringNGrams(['a', 'b'], st.tensor1d([0, 2, 1, 2], 'int32'), '|', [2], 'L', 'R', 1, false),
      'dataSplits[2] = 1 must be in [2, 2]');
    assertThrowsMessage(() => st.string.stringNGrams(['a', 'b'], splits, '|', [0], 'L', 'R', 1, false),
      'nGramWidths must be an array of positive integers, got [0]');
    assertThrowsMessage(() => st.string.stringNGrams(['a', 'b'], splits, '|', [2], 'L', 'R', -2, false), 'padWidth must be an integer >= -1');
    assertThrowsMessage(() => st.string.stringNGrams(['a', 'b'], splits, 1 as never, [2], 'L', 'R', 1, false), 'separator must be a string, got 1');
    assertThrowsMessage(() => st.string.stringSplit([['a']], ' '), "stringSplit: expected 'input' of rank 1, got shape [1,1]");
    assertThrowsMessage(() => st.string.stringSplit(['a'], [' ', ','] as never), "stringSplit: expected 'delimiter' to be a scalar, got shape [2]");
    assertThrowsMessage(() => st.string.stringSplit([1, 2] as never, ' '), "stringSplit: expected 'input' to be a string tensor, got dtype float32");
    assertThrowsMessage(() => st.string.stringToHashBucketFast(['a'], 0), 'stringToHashBucketFast: numBuckets must be a positive integer, got 0');
    assertThrowsMessage(() => st.string.stringToHashBucketFast(['a'], 2.5), 'numBuckets must be a positive integer, got 2.5');
    assertThrowsMessage(() => st.string.staticRegexReplace(['a'], '(', 'x'), 'staticRegexReplace: pattern "(" is not a valid regular expression');
    assertThrowsMessage(() => st.string.staticRegexReplace(st.tensor([1]), 'a', 'x'), "expected 'input' to be a string tensor, got dtype float32");
  }
});
