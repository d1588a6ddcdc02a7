/** The learning-curve and confusion-matrix pictures: well-formed SVG with the expected parts. */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as viz from '../../src/viz/index.js';
import { classificationReport } from '../../src/train/classification_report.js';
import { assertWellFormed } from './xml.js';

test('learning curves: a panel per quantity, training and validation series, the best epoch marked', () => {
  const svg = viz.learningCurves({
    history: { loss: [1, 0.5, 0.4, 0.45], acc: [0.5, 0.8, 0.85, 0.84], val_loss: [1.1, 0.6, 0.5, 0.55], val_acc: [0.4, 0.7, 0.8, 0.79] },
    bestEpoch: 2, stoppedEpoch: 3, title: 'a <run> & more',
  });
  assertWellFormed(svg);
  assert.equal((svg.match(/class="panel"/g) ?? []).length, 2);
  assert.equal((svg.match(/class="series"/g) ?? []).length, 4);
  assert.equal((svg.match(/class="best-epoch"/g) ?? []).length, 2);
  assert.match(svg, /a &lt;run&gt; &amp; more/);
  assert.match(svg, /early stop after epoch 4; best epoch 3 restored/);
  // four points per series, the lowest loss drawn lowest (largest y)
  const loss = svg.match(/<polyline class="series"[^>]*points="([^"]+)"/)![1].split(' ').map((p) => p.split(',').map(Number));
  assert.equal(loss.length, 4);
  assert.equal(Math.max(...loss.map((p) => p[1])), loss[2][1]);
  assert.throws(() => viz.learningCurves({ history: {} }), /no values to draw/);
});

test('classification report and confusion matrix agree with hand counts', () => {
  const labels = [0, 0, 0, 1, 1, 2];
  const preds = [0, 0, 1, 1, 2, 2];
  const r = classificationReport(labels, preds, 3);
  assert.deepEqual(r.matrix, [[2, 1, 0], [0, 1, 1], [0, 0, 1]]);
  assert.deepEqual(r.support, [3, 2, 1]);
  assert.deepEqual(r.recall.map((v) => +v.toFixed(4)), [0.6667, 0.5, 1]);
  assert.deepEqual(r.precision.map((v) => +v.toFixed(4)), [1, 0.5, 0.5]);
  assert.equal(r.accuracy, 4 / 6);
  assert.throws(() => classificationReport([0, 3], [0, 1], 3), /sample 1 has label 3/);
  const svg = viz.confusionMatrix({ matrix: r.matrix, classNames: ['cat', 'dog', 'bird'] });
  assertWellFormed(svg);
  assert.equal((svg.match(/class="cell"/g) ?? []).length, 9);
  const counts = [...svg.matchAll(/class="count"[^>]*>(\d+)</g)].map((m) => Number(m[1]));
  assert.deepEqual(counts, [2, 1, 0, 0, 1, 1, 0, 0, 1]);
  const recalls = [...svg.matchAll(/class="recall"[^>]*>([\d.]+)%</g)].map((m) => m[1]);
  assert.deepEqual(recalls, ['66.7', '50.0', '100.0']);
});
