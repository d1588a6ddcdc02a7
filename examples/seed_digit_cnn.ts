// The week-8 seed's Keras program, in TypeScript with striate: the same layers, the same
// summary table; then the same network with a 10-way head trained on the bundled digits.
// Run: npm run build && node dist/examples/seed_digit_cnn.js [epochs]
import * as st from 'striate';

const model = st.sequential();
model.add(st.layers.conv2d({ filters: 8, kernelSize: [5, 5], padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }));
model.add(st.layers.maxPooling2d({ poolSize: [2, 2] }));
model.add(st.layers.dropout({ rate: 0.25 }));
model.add(st.layers.conv2d({ filters: 16, kernelSize: [3, 3], padding: 'same', activation: 'relu' }));
model.add(st.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));
model.add(st.layers.dropout({ rate: 0.25 }));
model.add(st.layers.flatten());
model.add(st.layers.dense({ units: 256, activation: 'relu' }));
model.add(st.layers.dropout({ rate: 0.5 }));
model.add(st.layers.dense({ units: 10 * 10, activation: 'softmax' }));   // as in the seed
model.add(st.layers.reshape({ targetShape: [10, 10, 1] }));
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
model.summary();

// The classifier the seed goes on to train: the same body with a 10-way softmax head,
// as the model zoo builds it (st.models.digitCnn).
const classifier = st.models.digitCnn({ classes: 10 });
classifier.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

const epochs = Number(process.argv[2] ?? 1);
if (epochs === 0) process.exit(0); // summary only

const digits = st.loadBundledDigits({ seed: 7 });
const train = 2000;
const xs = digits.xs.slice([0, 0, 0, 0], [train, 28, 28, 1]);
const ys = st.oneHot(digits.labels.slice([0], [train]), 10);
await classifier.fit(xs, ys, { epochs, batchSize: 64, validationSplit: 0.1, seed: 1 });
const testXs = digits.xs.slice([8000, 0, 0, 0], [2000, 28, 28, 1]);
const testYs = st.oneHot(digits.labels.slice([8000], [2000]), 10);
const [loss, acc] = classifier.evaluate(testXs, testYs) as st.Tensor[];
console.log(`held-out digits: loss ${loss.dataSync()[0].toFixed(4)}, accuracy ${(acc.dataSync()[0] * 100).toFixed(1)}%`);
