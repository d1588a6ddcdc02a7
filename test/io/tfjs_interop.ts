/**
 * TensorFlow.js (tfjs-layers on tfjs-backend-cpu) reading and writing model files on disk, for the
 * round-trip tests. tfjs-node is not installed, so files go through a small IOHandler and
 * `tf.io.withSaveHandler` with our own reads and writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

export { tf, tfl };

// tfjs-core's Node bundle leaves out the chained-op methods (x.flatten(), ...) that tfjs-layers
// calls in a few places (the Orthogonal initializer); the umbrella @tensorflow/tfjs package adds them
const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
if (!proto.flatten) proto.flatten = function flatten(this: tf.Tensor) { return tf.reshape(this, [-1]); };
for (const [name, op] of Object.entries(tf)) {
  if (typeof op === 'function' && !(name in proto)) {
    proto[name] = function chained(this: tf.Tensor, ...args: unknown[]) { return (op as (...a: unknown[]) => unknown)(this, ...args); };
  }
}

export async function ready(): Promise<void> {
  await tf.setBackend('cpu');
}

/**
 * Loads dir/model.json (the whole file, striate's own key included) through tfjs' own
 * getModelArtifactsForJSON, as its file:// and http handlers do, reading the shards it names.
 */
export async function tfLoad(dir: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const handler: tf.io.IOHandler = {
    load: () => tf.io.getModelArtifactsForJSON(json, async (manifest) => {
      const specs = manifest.flatMap((g) => g.weights);
      const all = Buffer.concat(manifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))));
      return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength)];
    }),
  };
  return tfl.loadLayersModel(handler);
}

/** Saves a tfjs model into dir as model.json + weights.bin, as tfjs-node's file:// handler lays them out. */
export async function tfSave(model: tfl.LayersModel, dir: string, includeOptimizer = false): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (a) => {
    const data = new Uint8Array(a.weightData as ArrayBuffer);
    fs.writeFileSync(path.join(dir, 'weights.bin'), data);
    const json = {
      modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy,
      trainingConfig: a.trainingConfig, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
    };
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { includeOptimizer });
}
