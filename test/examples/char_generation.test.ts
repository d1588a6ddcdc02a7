// examples/char_generation: a character LSTM on the repository's short story (garden.txt).
import test from 'node:test';
import assert from 'node:assert/strict';
import { WINDOW, generate, knownWordShare, loadCorpus, trainCharModel } from '../../examples/char_generation.js';

test('knownWordShare counts the inner generated words found in the corpus', () => {
  const corpus = 'the cat sat. the dog ran.';
  assert.equal(knownWordShare('xx the cat ran zzz qq', corpus), 0.75); // inner: the cat ran zzz
  assert.equal(knownWordShare('one', corpus), 0);
});

test('char LSTM: loss < 1.0 nats/char; greedy text is corpus words and repeats a 10-char corpus substring', async () => {
  // measured (12 epochs, seed 1): loss 0.861 nats/char (uniform over 28 symbols: 3.33);
  // greedy 100% corpus words, sampled at T = 0.7: 79%
  const corpus = loadCorpus();
  assert.ok(corpus.length > 2500, `the corpus is a few KB, got ${corpus.length} characters`);
  const m = await trainCharModel({ epochs: 12, seed: 1 });
  const final = m.losses[m.losses.length - 1];
  assert.ok(final < 1.0, `training loss should fall below 1.0 nats/char, got ${final}`);
  assert.ok(m.losses[0] > 2, `the first epoch starts near the unigram entropy, got ${m.losses[0]}`);

  const seedText = corpus.slice(0, WINDOW);
  const greedy = generate(m, seedText, 120);
  assert.equal(greedy.length, 120);
  assert.ok(knownWordShare(greedy, corpus) >= 0.8, `greedy text should be >= 80% corpus words: "${greedy}"`);
  const pieces = Array.from({ length: greedy.length - 10 }, (_, i) => greedy.slice(i, i + 10));
  assert.ok(pieces.some((p) => corpus.includes(p) && !seedText.includes(p)), `greedy text should reproduce a 10-character piece of the corpus: "${greedy}"`);

  const sampled = generate(m, seedText, 120, 0.7, 5);
  assert.equal(sampled, generate(m, seedText, 120, 0.7, 5), 'the same sampling seed gives the same text');
  assert.ok(knownWordShare(sampled, corpus) >= 0.6, `sampled text (T = 0.7) should be >= 60% corpus words: "${sampled}"`);
});
