// examples/sentence_classification: the text CNN on the repository's 300 topic sentences.
import test from 'node:test';
import assert from 'node:assert/strict';
import { classifySentences, loadSentences } from '../../examples/sentence_classification.js';

test('the sentence set: 300 sentences, 75 in each of 4 topics', async () => {
  const { texts, labels } = await loadSentences();
  assert.equal(texts.length, 300);
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  assert.deepEqual([...counts], [['cooking', 75], ['weather', 75], ['sport', 75], ['computing', 75]]);
  assert.equal(new Set(texts).size, 300, 'no sentence repeats');
});

test('textCnn classifies held-out sentences into 4 topics: accuracy >= 65% (chance 25%)', async () => {
  // measured: 76.0% (seed 1, 20 epochs); the tokenizer sees training sentences only
  const r = await classifySentences({ epochs: 20, seed: 1 });
  assert.equal(r.testSize, 75);
  assert.ok(r.finalLoss < 0.05, `training loss should fall below 0.05, got ${r.finalLoss}`);
  assert.ok(r.testAccuracy >= 0.65, `held-out accuracy should be >= 0.65, got ${r.testAccuracy}`);
});
