import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { assertThrowsMessage } from '../helpers.js';

const { Tokenizer, padSequences } = st.text;

const texts = ['The cat sat on the mat.', 'The dog ate; the cat slept!', 'A dog, a cat, a mat?'];

test('word index: ranked by count, ties by first appearance; 0 is left for padding', () => {
  const t = new Tokenizer().fitOnTexts(texts);
  // counts: the 4, cat 3, a 3, mat 2, dog 2, sat 1, on 1, ate 1, slept 1
  assert.deepEqual([...t.wordIndex], [
    ['the', 1], ['cat', 2], ['a', 3], ['mat', 4], ['dog', 5], ['sat', 6], ['on', 7], ['ate', 8], ['slept', 9],
  ]);
  assert.equal(t.wordCounts.get('the'), 4);
  assert.equal(t.documentCount, 3);
  assert.equal(t.vocabularySize, 10);
  assert.deepEqual(t.textsToSequences(['the cat ATE the MAT']), [[1, 2, 8, 1, 4]]);
  // unknown words are dropped without an OOV token
  assert.deepEqual(t.textsToSequences(['the zebra sat']), [[1, 6]]);
  assert.deepEqual(t.sequencesToTexts([[1, 2, 6, 0, 99]]), ['the cat sat']);
});

test('numWords keeps the numWords - 1 most frequent words; the OOV token takes index 1', () => {
  const t = new Tokenizer({ numWords: 4, oovToken: '<oov>' }).fitOnTexts(texts);
  assert.equal(t.wordIndex.get('<oov>'), 1);
  assert.equal(t.wordIndex.get('the'), 2);
  assert.equal(t.wordIndex.get('slept'), 10); // counted and indexed, but beyond numWords
  assert.equal(t.vocabularySize, 4);
  // the=2, cat=3 kept; a=4 is not < numWords; zebra unknown
  assert.deepEqual(t.textsToSequences(['the cat, a zebra']), [[2, 3, 1, 1]]);
  assert.deepEqual(t.sequencesToTexts([[0, 2, 3, 1, 7]]), ['the cat <oov> <oov>']);
});

test('filters, lower and split options; character level keeps punctuation', () => {
  const keep = new Tokenizer({ lower: false, filters: '' }).fitOnTexts(['Hi, hi.']);
  assert.deepEqual([...keep.wordIndex.keys()], ['Hi,', 'hi.']);
  const commas = new Tokenizer({ split: ',', filters: '' }).fitOnTexts(['red,green,,red']);
  assert.deepEqual([...commas.wordIndex], [['red', 1], ['green', 2]]);

  const c = new Tokenizer({ charLevel: true }).fitOnTexts(['abba, cab.']);
  // a 3, b 3, ',' 1, ' ' 1, c 1, '.' 1
  assert.deepEqual([...c.wordIndex.keys()], ['a', 'b', ',', ' ', 'c', '.']);
  const seq = c.textsToSequences(['Cab, ab.']);
  assert.deepEqual(seq, [[5, 1, 2, 3, 4, 1, 2, 6]]);
  assert.deepEqual(c.sequencesToTexts(seq), ['cab, ab.']);
});

test('toJSON / fromJSON round trip through text', () => {
  const t = new Tokenizer({ numWords: 5, oovToken: '?' }).fitOnTexts(texts);
  const back = Tokenizer.fromJSON(JSON.stringify(t));
  assert.deepEqual(back.toJSON(), t.toJSON());
  assert.deepEqual(back.textsToSequences(['a cat on a mat']), t.textsToSequences(['a cat on a mat']));
  // fitting more text continues the counts
  back.fitOnTexts(['mat mat mat']);
  assert.equal(back.wordCounts.get('mat'), 5);
  assert.equal(back.wordIndex.get('mat'), 2);
  assertThrowsMessage(() => Tokenizer.fromJSON('{"a": 1}'), 'Tokenizer.fromJSON', 'className');
  assertThrowsMessage(() => Tokenizer.fromJSON('not json'), 'not valid JSON');
});

test('padSequences: pre/post padding and truncation, value, maxLen from the longest', () => {
  const seqs = [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]];
  const pre = padSequences(seqs, { maxLen: 4 });
  assert.equal(pre.dtype, 'int32');
  assert.deepEqual(pre.arraySync(), [[0, 1, 2, 3], [0, 0, 4, 5], [7, 8, 9, 10]]);
  assert.deepEqual(padSequences(seqs, { maxLen: 4, padding: 'post', truncating: 'post', value: -1 }).arraySync(),
    [[1, 2, 3, -1], [4, 5, -1, -1], [6, 7, 8, 9]]);
  assert.deepEqual(padSequences(seqs).shape, [3, 5]);
  assert.equal(padSequences(seqs, { dtype: 'float32' }).dtype, 'float32');
  assertThrowsMessage(() => padSequences(seqs, { padding: 'middle' as never }), "padding must be 'pre' or 'post'", '"middle"');
  assertThrowsMessage(() => padSequences(seqs, { maxLen: 0 }), 'maxLen must be a positive integer');
});

test('errors say what was expected', () => {
  assertThrowsMessage(() => new Tokenizer().fitOnTexts('one text' as never), 'fitOnTexts', 'wrap it in [ ]');
  assertThrowsMessage(() => new Tokenizer().fitOnTexts(['ok', 3 as never]), 'text 1 is number');
  assertThrowsMessage(() => new Tokenizer().textsToSequences(['x']), 'call fitOnTexts first');
  assertThrowsMessage(() => new Tokenizer({ numWords: 0 }), 'numWords must be a positive integer');
  assert.equal(st.data.Tokenizer, Tokenizer);
});
