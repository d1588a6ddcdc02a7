/**
 * Real converted graph models, not hand-built ones: the TensorFlow.js graph models that the
 * `@vladmandic/human` npm package ships (a devDependency: it installs from the npm registry like
 * any other). Each runs through TensorFlow.js' own converter (`@tensorflow/tfjs-converter` on
 * tfjs-backend-cpu) and through striate on the same deterministic input; every output must agree.
 * handtrack carries TF1 while loops, tensor lists, NonMaxSuppressionV5 and Where, so it also
 * exercises executeAsync's control flow on a graph nobody here wrote.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfconv from '@tensorflow/tfjs-converter';
import * as st from '../../src/index.js';

/** The package's models folder, found from its main file (the package exports no package.json). */
function humanModels(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve('@vladmandic/human'));
  while (!fs.existsSync(path.join(dir, 'models', 'models.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('@vladmandic/human is installed without its models folder');
    dir = up;
  }
  return path.join(dir, 'models');
}
const MODELS = humanModels();

/** Model, and the size given to a free (-1) height/width: small where the model allows, for speed. */
const CASES: { name: string; freeSize: number }[] = [
  { name: 'antispoof', freeSize: 128 },
  { name: 'emotion', freeSize: 64 },
  { name: 'liveness', freeSize: 32 },
  { name: 'blazeface', freeSize: 256 },
  { name: 'facemesh', freeSize: 192 },
  { name: 'handtrack', freeSize: 128 },
];

function artifacts(name: string): tf.io.ModelArtifacts {
  const json = JSON.parse(fs.readFileSync(path.join(MODELS, `${name}.json`), 'utf8'));
  const bytes = Buffer.concat(json.weightsManifest.flatMap((g: { paths: string[] }) =>
    g.paths.map((p) => fs.readFileSync(path.join(MODELS, p)))));
  return {
    modelTopology: json.modelTopology, format: json.format, signature: json.signature,
    weightSpecs: json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
}

for (const { name, freeSize } of CASES) {
  test(`${name} (from @vladmandic/human) gives what TensorFlow.js gives`, async () => {
    await tf.setBackend('cpu');
    const art = artifacts(name);
    const ours = await st.loadGraphModel(st.io.fromMemory(art as never));
    const theirs = await tfconv.loadGraphModel(tf.io.fromMemory(art));
    const feedsT: Record<string, tf.Tensor> = {};
    const feedsS: Record<string, st.Tensor> = {};
    ours.inputs.forEach((input, k) => {
      const shape = (input.shape ?? [1]).map((d, i) => (d === -1 ? (i === 0 ? 1 : freeSize) : d));
      const size = shape.reduce((a, b) => a * b, 1);
      // a fixed pseudo-random image in [0, 1)
      const values = Float32Array.from({ length: size }, (_, i) => ((i * 2654435761) % 1000) / 1000);
      feedsT[ours.inputNodes[k]] = tf.tensor(values, shape, input.dtype as tf.DataType);
      feedsS[ours.inputNodes[k]] = st.tensor(values, shape, input.dtype as st.DType);
    });
    const expected = [await theirs.executeAsync(feedsT)].flat();
    const got = [await ours.executeAsync(feedsS)].flat();
    assert.equal(got.length, expected.length, 'number of outputs');
    for (let o = 0; o < expected.length; o++) {
      assert.deepEqual(got[o].shape, expected[o].shape, `output ${o} shape`);
      const e = expected[o].dataSync();
      const g = got[o].dataSync();
      let worst = 0;
      for (let j = 0; j < e.length; j++) worst = Math.max(worst, Math.abs(e[j] - g[j]) / (1 + Math.abs(e[j])));
      assert.ok(worst < 1e-4, `${name} output ${o}: largest relative difference ${worst}`);
    }
    ours.dispose();
    theirs.dispose();
    tf.dispose([...Object.values(feedsT), ...expected]);
  });
}
