// examples/time_series: next-reading prediction of a noisy two-sine signal with lstmForecaster.
import test from 'node:test';
import assert from 'node:assert/strict';
import { forecast, sensorSeries, windows } from '../../examples/time_series.js';

test('the series is seeded and the windows pair each run of readings with the next one', () => {
  assert.deepEqual(sensorSeries({ length: 50 }), sensorSeries({ length: 50 }));
  assert.notDeepEqual(sensorSeries({ length: 50, seed: 4 }), sensorSeries({ length: 50 }));
  const w = windows([1, 2, 3, 4, 5, 6], 4);
  assert.deepEqual(w.xs.arraySync(), [[[1], [2], [3], [4]], [[2], [3], [4], [5]]]);
  assert.deepEqual(w.ys.arraySync(), [[5], [6]]);
  assert.deepEqual(w.last, [4, 5]);
});

test('lstmForecaster beats "repeat the last reading" by at least 3x in held-out MSE', async () => {
  // measured (8 epochs, seed 1): LSTM 0.0176, naive 0.1079 (6.1x), noise floor 0.0100
  const r = await forecast({ epochs: 8, seed: 1 });
  assert.equal(r.testWindows, 280);
  assert.ok(r.modelMse * 3 <= r.naiveMse, `LSTM MSE ${r.modelMse} should be at most a third of the naive MSE ${r.naiveMse}`);
  // and it cannot beat the noise it was never able to see
  assert.ok(r.modelMse > r.noiseFloor * 0.7, `MSE ${r.modelMse} below the noise floor ${r.noiseFloor} means the test leaks`);
});
