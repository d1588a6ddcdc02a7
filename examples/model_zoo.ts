// The model zoo at full size: each architecture's parameter count, next to the reference figure.
// Run: npm run build && node dist/examples/model_zoo.js            (all six, one line each)
//      node dist/examples/model_zoo.js resnet18 vgg16             (those models' full summaries)
// Building is quick (no data); the weights of the biggest, VGG-19, take 575 MB while it exists.
import * as st from 'striate';

const zoo = {
  alexnet: { build: () => st.models.alexnet(), reference: 'about 60 M in the paper; 62,378,344 on one tower, 60,965,224 with its two-GPU groups' },
  vgg16: { build: () => st.models.vgg16(), reference: '138,357,544 (Keras)' },
  vgg19: { build: () => st.models.vgg19(), reference: '143,667,240 (Keras)' },
  resnet18: { build: () => st.models.resnet18(), reference: '11,689,512 trainable (torchvision)' },
  resnet50: { build: () => st.models.resnet50(), reference: '25,636,712 (Keras)' },
  inceptionV3: { build: () => st.models.inceptionV3(), reference: '23,851,784 (Keras)' },
};
type Name = keyof typeof zoo;

const asked = process.argv.slice(2);
for (const name of asked) {
  if (!(name in zoo)) throw new Error(`model_zoo: unknown model "${name}"; known: ${Object.keys(zoo).join(', ')}`);
}
const count = (n: number) => n.toLocaleString('en-US');

for (const name of (asked.length ? asked : Object.keys(zoo)) as Name[]) {
  const model = zoo[name].build();
  if (asked.length) model.summary();
  const trainable = model.trainableWeights.reduce((n, v) => n + v.size, 0);
  const shape = model.inputs[0].shape.slice(1).join('x');
  console.log(`${name.padEnd(12)} input ${shape.padEnd(10)} ${String(model.layers.length).padStart(4)} layers  ` +
    `params ${count(model.countParams()).padStart(11)}  trainable ${count(trainable).padStart(11)}  reference ${zoo[name].reference}`);
  // free the weights now rather than when the collector gets to them: the next model is as big
  for (const v of model.weights) v.dispose();
}
