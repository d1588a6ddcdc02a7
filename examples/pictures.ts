// Every picture st.viz draws, written into one folder: the lecture's decision regions for
// 2, 3, 4 and 10 logistic hidden units, each hidden unit's half-plane, the 8-3-8 encoder's
// hidden codes, a small digit CNN's filters, feature maps, learning curves and confusion
// matrix, and the diagrams of that CNN and of a residual block.
// Run: npm run build && node dist/examples/pictures.js [folder] [quick]
import fs from 'node:fs';
import path from 'node:path';
import * as st from 'striate';

const out = process.argv[2] ?? 'pictures';
const quick = process.argv[3] === 'quick'; // fewer epochs: the tests run it this way
fs.mkdirSync(out, { recursive: true });
const save = (name: string, content: string | Buffer) => {
  fs.writeFileSync(path.join(out, name), content);
  console.log(`wrote ${path.join(out, name)}`);
};
const init = (seed: number) => ({ className: 'GlorotUniform', config: { seed } });

// 1. decision regions: one row per data set, one column per hidden-layer size (the 10-601 figure)
const sets = { 'four Gaussians': st.data.fourGaussians({ seed: 1 }), 'one pocket': st.data.onePocket({ seed: 2 }), 'two pockets': st.data.twoPockets({ seed: 3 }) };
const entries: st.viz.DecisionGridEntry[] = [];
let twoPocketsWith4: st.LayersModel | undefined;
for (const [name, data] of Object.entries(sets)) {
  for (const hidden of [2, 3, 4, 10]) {
    const model = st.sequential({ layers: [
      st.layers.dense({ units: hidden, activation: 'sigmoid', inputShape: [2], kernelInitializer: init(hidden) }),
      st.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(hidden + 100) }),
    ] });
    model.compile({ optimizer: st.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
    await model.fit(data.x, st.cast(data.y, 'float32').reshape([-1, 1]), { epochs: quick ? 5 : 300, batchSize: 32, verbose: 0, seed: 1 });
    entries.push({ model, data, title: `${name}, hidden = ${hidden}` });
    if (name === 'two pockets' && hidden === 4) twoPocketsWith4 = model;
  }
}
save('decision-regions.svg', st.viz.decisionRegionsGrid(entries, { columns: 4, gridSize: 40, title: 'logistic hidden units: 2, 3, 4, 10' }));
save('decision-regions-two-pockets.png', st.viz.decisionRegionsPng(entries[11].model, entries[11].data, { gridSize: 80, cellSize: 4 }));
save('hidden-units-two-pockets.svg', st.viz.hiddenUnitRegions(twoPocketsWith4!, sets['two pockets'], { gridSize: 40 }));

// 2. the 8-3-8 encoder: 8 one-hot inputs through 3 sigmoid units back to 8
const eye = st.tensor(Array.from({ length: 64 }, (_, i) => (i % 9 === 0 ? 1 : 0)), [8, 8]);
const encoder = st.sequential({ layers: [
  st.layers.dense({ units: 3, activation: 'sigmoid', inputShape: [8], kernelInitializer: init(5), name: 'hidden' }),
  st.layers.dense({ units: 8, activation: 'sigmoid', kernelInitializer: init(6) }),
] });
encoder.compile({ optimizer: st.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
await encoder.fit(eye, eye, { epochs: quick ? 20 : 800, batchSize: 8, verbose: 0 });
const codes = st.viz.hiddenCodesOf(encoder, eye);
console.log(st.viz.hiddenCodesTable(codes));
save('hidden-codes.txt', st.viz.hiddenCodesTable(codes) + '\n');
save('hidden-codes.svg', st.viz.hiddenCodes(codes));

// 3. a small CNN on the bundled digits: filters, feature maps, curves, confusion matrix, graph
const digits = st.loadBundledDigits({ seed: 7 });
const n = quick ? 256 : 3000;
const xs = digits.xs.slice([0, 0, 0, 0], [n, 28, 28, 1]);
const ys = st.oneHot(digits.labels.slice([0], [n]), 10);
const cnn = st.models.digitCnn({ classes: 10 });
cnn.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const history = await cnn.fit(xs, ys, { epochs: quick ? 1 : 3, batchSize: 64, validationSplit: 0.1, seed: 1, verbose: 0 });
save('learning-curves.svg', st.viz.learningCurves({ history: history.history, title: 'digit CNN' }));
const firstConv = cnn.layers.find((l) => l.className === 'Conv2D')!;
save('filters.svg', st.viz.filters(firstConv));
save('filters.png', st.viz.filtersPng(firstConv, { pixelSize: 8 }));
const digit = xs.slice([0, 0, 0, 0], [1, 28, 28, 1]);
save('feature-maps.svg', st.viz.featureMaps(cnn, digit, undefined, { skipInput: false }));
save('feature-maps-first-conv.png', st.viz.featureMapsPng(cnn, digit, firstConv.name, { pixelSize: 4 }));
const testXs = digits.xs.slice([8000, 0, 0, 0], [500, 28, 28, 1]);
const predicted = cnn.predictClasses(testXs).dataSync();
const truth = digits.labels.slice([8000], [500]).dataSync();
const matrix = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
truth.forEach((t, i) => matrix[t][predicted[i]]++);
save('confusion-matrix.svg', st.viz.confusionMatrix({ matrix, title: 'digit CNN on 500 held-out digits' }));
save('model-graph-cnn.svg', st.viz.modelGraph(cnn));

// 4. a residual block: the Add's skip connection drawn beside the layers it skips
const x = st.input({ shape: [28, 28, 1], name: 'image' });
const stem = st.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'stem' }).apply(x) as st.SymbolicTensor;
const a = st.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv_a' }).apply(stem) as st.SymbolicTensor;
const b = st.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'conv_b' }).apply(a) as st.SymbolicTensor;
const sum = st.layers.add({ name: 'residual_add' }).apply([stem, b]) as st.SymbolicTensor;
const pooled = st.layers.globalAveragePooling2d({ name: 'pool' }).apply(sum) as st.SymbolicTensor;
const probs = st.layers.dense({ units: 10, activation: 'softmax', name: 'probs' }).apply(pooled) as st.SymbolicTensor;
save('model-graph-residual.svg', st.viz.modelGraph(st.model({ inputs: x, outputs: probs, name: 'residual_block' })));
