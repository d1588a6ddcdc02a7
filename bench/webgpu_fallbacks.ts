/**
 * Which kernels of the zoo's training steps still run on the CPU under webgpu: builds each model
 * of st.models (small inputs, narrow widths: SwiftShader is the CPU), runs one training step
 * (fit, one batch of 2) and one prediction on webgpu and prints the fallbacks they noted, per
 * model, then the union. Not a benchmark: no timings beyond the wall time of each step.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/webgpu_fallbacks.js [model ...]
 *
 * Without a GPU driver it runs on Chromium's SwiftShader (as the tests do, test/backend/webgpu_env.ts).
 */
import * as st from '../src/index.js';
import { startWebGpu } from '../test/backend/webgpu_env.js';

interface Case { build: () => st.LayersModel; x: () => st.Tensor; y: () => st.Tensor; loss: string }

const img = (h: number, w: number, c: number): (() => st.Tensor) => () => st.randomUniform([2, h, w, c], 0, 1, 'float32', 7);
const classes = (k: number): (() => st.Tensor) => () => st.tensor1d([0, k - 1], 'int32');
const ids = (len: number, vocab: number): (() => st.Tensor) => () =>
  st.tensor2d(Array.from({ length: 2 }, (_, r) => Array.from({ length: len }, (_, i) => (r * 7 + i * 3) % vocab)), [2, len], 'int32');
const sparse = 'sparseCategoricalCrossentropy';
const narrow = { classes: 3, widthMultiplier: 0.125 };

const CASES: Record<string, Case> = {
  digitCnn: { build: () => st.models.digitCnn({ classes: 3, inputShape: [14, 14, 1] }), x: img(14, 14, 1), y: classes(3), loss: sparse },
  lenet5: { build: () => st.models.lenet5({ classes: 3, inputShape: [28, 28, 1] }), x: img(28, 28, 1), y: classes(3), loss: sparse },
  mlp: { build: () => st.models.mlp({ inputShape: [12], units: [16, 8], classes: 3, dropout: 0.3 }),
    x: () => st.randomNormal([2, 12], 0, 1, 'float32', 3), y: classes(3), loss: sparse },
  logisticRegression: { build: () => st.models.logisticRegression({ inputDim: 12, classes: 3 }),
    x: () => st.randomNormal([2, 12], 0, 1, 'float32', 3), y: classes(3), loss: sparse },
  fineTune: { build: () => st.models.fineTune(st.models.mlp({ inputShape: [12], units: [16, 8], classes: 5 }), { classes: 3 }),
    x: () => st.randomNormal([2, 12], 0, 1, 'float32', 3), y: classes(3), loss: sparse },
  alexnet: { build: () => st.models.alexnet({ ...narrow, inputShape: [67, 67, 3] }), x: img(67, 67, 3), y: classes(3), loss: sparse },
  vgg16: { build: () => st.models.vgg16({ ...narrow, inputShape: [32, 32, 3] }), x: img(32, 32, 3), y: classes(3), loss: sparse },
  vgg19: { build: () => st.models.vgg19({ ...narrow, inputShape: [32, 32, 3] }), x: img(32, 32, 3), y: classes(3), loss: sparse },
  resnet18: { build: () => st.models.resnet18({ ...narrow, inputShape: [32, 32, 3] }), x: img(32, 32, 3), y: classes(3), loss: sparse },
  resnet50: { build: () => st.models.resnet50({ ...narrow, inputShape: [32, 32, 3] }), x: img(32, 32, 3), y: classes(3), loss: sparse },
  inceptionV3: { build: () => st.models.inceptionV3({ ...narrow, inputShape: [75, 75, 3] }), x: img(75, 75, 3), y: classes(3), loss: sparse },
  textCnn: { build: () => st.models.textCnn({ vocabSize: 30, sequenceLength: 12, classes: 3, embeddingDim: 8, filters: 4, dropout: 0.5 }),
    x: ids(12, 30), y: classes(3), loss: sparse },
  lstmClassifier: { build: () => st.models.lstmClassifier({ vocabSize: 30, sequenceLength: 6, classes: 3, embeddingDim: 8, units: 8 }),
    x: ids(6, 30), y: classes(3), loss: sparse },
  lstmForecaster: { build: () => st.models.lstmForecaster({ windowSize: 6, features: 2, units: 8, horizon: 1 }),
    x: () => st.randomNormal([2, 6, 2], 0, 1, 'float32', 5), y: () => st.randomNormal([2, 1], 0, 1, 'float32', 6),
    loss: 'meanSquaredError' },
};

const reason = await startWebGpu();
if (reason) {
  console.log(`webgpu unavailable: ${reason}`);
  process.exit(1);
}
await st.setBackend('webgpu');
// the backend notes each fallback once per process; cleared before each model to attribute them
const noted = (st.findBackend('webgpu') as unknown as { fallen: Set<string> }).fallen;
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(CASES);
const all = new Set<string>();
for (const name of names) {
  const c = CASES[name];
  if (!c) throw new Error(`unknown model ${name}; known: ${Object.keys(CASES).join(', ')}`);
  noted.clear();
  const started = performance.now();
  try {
    st.setSeed(1);
    const model = c.build();
    model.compile({ optimizer: st.optimizers.adam({ learningRate: 1e-3 }), loss: c.loss });
    const h = await model.fit(c.x(), c.y(), { epochs: 1, batchSize: 2, verbose: 0 });
    const loss = h.history.loss[0] as number;
    // and inference (batch norm on the moving statistics, no dropout)
    const p = model.predict(c.x()) as st.Tensor;
    await p.data();
    p.dispose();
    const list = st.backendReport().fallbacks;
    list.forEach((f) => all.add(f));
    console.log(`${name}: loss ${loss.toFixed(4)}, ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
      `fallbacks: ${list.length === 0 ? 'none' : list.join(', ')}`);
  } catch (e) {
    console.log(`${name}: failed: ${(e as Error).message}`);
  }
}
console.log(`all fallbacks: ${all.size === 0 ? 'none' : [...all].join(', ')}`);
process.exit(0);
