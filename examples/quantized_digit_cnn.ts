// What quantized weights cost: the digit CNN trained on the bundled digits, saved as float32 and
// with `{quantizationBytes: 2}`, `{float16: true}` and `{quantizationBytes: 1}`, then each file
// loaded back and scored on the same held-out digits: weight bytes, test accuracy, how often the
// top class changes against float32, and the largest change of a predicted probability.
// Run: npx tsc -p tsconfig.json && node dist/examples/quantized_digit_cnn.js [epochs]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as st from 'striate';

const epochs = Number(process.argv[2] ?? 2);
st.setSeed(1);
const digits = st.loadBundledDigits({ seed: 7 });
const train = 8000;
const xs = digits.xs.slice([0, 0, 0, 0], [train, 28, 28, 1]);
const ys = st.oneHot(digits.labels.slice([0], [train]), 10);
const testXs = digits.xs.slice([train, 0, 0, 0], [2000, 28, 28, 1]);
const testLabels = Array.from(digits.labels.slice([train], [2000]).dataSync());

const model = st.models.digitCnn({ classes: 10 });
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const started = Date.now();
await model.fit(xs, ys, { epochs, batchSize: 64, seed: 1, verbose: 0 });
console.log(`digit CNN, ${epochs} epoch(s) on ${train} bundled MNIST digits (${((Date.now() - started) / 1000).toFixed(0)} s); ` +
  `test: the other 2000 digits`);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'striate-quantized-'));
const variants: [string, st.io.SaveConfig][] = [
  ['float32', {}], ['uint16 {quantizationBytes: 2}', { quantizationBytes: 2 }], ['float16 {float16: true}', { float16: true }],
  ['uint8 {quantizationBytes: 1}', { quantizationBytes: 1 }],
];

function scores(m: st.LayersModel): Float32Array {
  return (m.predict(testXs, { batchSize: 250 }) as st.Tensor).dataSync() as Float32Array;
}

const reference = scores(model);
const top = (p: Float32Array, i: number): number => {
  let best = 0;
  for (let c = 1; c < 10; c++) if (p[i * 10 + c] > p[i * 10 + best]) best = c;
  return best;
};

console.log('| weights | weight file bytes | test accuracy | top class changed vs float32 | max |probability change| |');
console.log('| --- | --- | --- | --- | --- |');
for (const [label, options] of variants) {
  const dir = path.join(root, label.split(' ')[0]);
  // weights only: the optimizer's state (never quantized) would hide the difference
  await model.save(`file://${dir}`, { ...options, includeOptimizer: false });
  const bytes = fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  const loaded = await st.loadLayersModel(`file://${dir}/model.json`);
  const p = scores(loaded);
  let right = 0;
  let changed = 0;
  let worst = 0;
  for (let i = 0; i < testLabels.length; i++) {
    if (top(p, i) === testLabels[i]) right++;
    if (top(p, i) !== top(reference, i)) changed++;
  }
  for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i] - reference[i]));
  console.log(`| ${label} | ${bytes.toLocaleString('en-US')} | ${(right / testLabels.length * 100).toFixed(2)}% | ${changed} of ${testLabels.length} | ${worst.toExponential(2)} |`);
}
fs.rmSync(root, { recursive: true, force: true });
