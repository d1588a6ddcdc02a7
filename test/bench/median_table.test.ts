/**
 * bench/run.ts --rounds N: each figure of the table is the median of its rounds, its note naming
 * the range; errors and figures missing from some rounds are kept.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { medianTable, type Results } from '../../bench/common.js';

test('the rounds of a bench run are combined figure by figure into medians', () => {
  const rounds: Record<string, Results>[] = [
    { wasm: { cifarTrain: { value: 700, note: 'one epoch' }, 'error:lstm': { value: null, note: 'timeout (480 s)' } } },
    { wasm: { cifarTrain: { value: 400, note: 'one epoch' }, lstmTrain: { value: 90 } } },
    { wasm: { cifarTrain: { value: 650, note: 'one epoch' } } },
  ];
  const t = medianTable(rounds);
  assert.equal(t.wasm.cifarTrain.value, 650);
  assert.equal(t.wasm.cifarTrain.note, 'one epoch; median of 3 rounds (400 .. 700)');
  assert.deepEqual(t.wasm['error:lstm'], { value: null, note: 'timeout (480 s)' });
  assert.equal(t.wasm.lstmTrain.value, 90, 'a figure from one round only');
  assert.equal(t.wasm.lstmTrain.note, undefined);
  // an even count takes the lower middle one
  assert.equal(medianTable([{ a: { x: { value: 1 } } }, { a: { x: { value: 3 } } }]).a.x.value, 1);
});
