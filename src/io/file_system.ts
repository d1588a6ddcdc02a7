/**
 * `st.io.fileSystem(path)`: the file:// IO handler of @tensorflow/tfjs-node. `save` writes
 * `path/model.json` and `path/weights.bin` (the folder is created; a path that is a file is an
 * error); `load` reads a model.json and the shards its manifest names, beside it.
 *
 * Writes are crash-safe as striate's other saves are: each file goes to a temp file, is fsynced
 * and renamed into place, weights.bin first. The two fixed names cannot be swapped in one rename,
 * so model.json also records weights.bin's SHA-256 (under striate's own key, which TensorFlow.js
 * ignores): after a crash between the two renames, loading says the files do not match instead
 * of giving a model with the wrong weights.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IOHandler, ModelArtifacts, SaveResult, WeightsManifestConfig } from './handlers.js';
import { getModelArtifactsForJSON, getModelArtifactsInfoForJSON, getModelJSONForModelArtifacts, getWeightSpecs } from './io_utils.js';
import { CompositeArrayBuffer } from './composite_array_buffer.js';
import { writeFileAtomic } from './atomic.js';
import { sha256 } from './hash.js';
import { checkShard, MODEL_FILE_VERSION, type ModelJSON } from './model_json.js';
import { registerBuiltInRouter, type IORouter } from './router_registry.js';
import { registerModelStoreManager } from './model_management.js';
import { checkManifestPaths } from './shard_paths.js';
import { insideFolder } from './local_shard.js';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

function errno(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

export class NodeFileSystem implements IOHandler {
  static readonly URL_SCHEME = 'file://';
  readonly MODEL_JSON_FILENAME = MODEL_JSON;
  readonly WEIGHTS_BINARY_FILENAME = WEIGHTS_BIN;
  protected readonly path: string | string[];

  constructor(filePath: string | string[]) {
    if (Array.isArray(filePath)) {
      if (filePath.length !== 2) throw new Error(`fileSystem: a list of paths must have 2 entries, got ${filePath.length}`);
      this.path = filePath.map((p) => path.resolve(p));
    } else {
      if (typeof filePath !== 'string' || filePath === '') throw new Error(`fileSystem: expected a path, got ${JSON.stringify(filePath)}`);
      this.path = path.resolve(filePath);
    }
  }

  async save(modelArtifacts: ModelArtifacts): Promise<SaveResult> {
    if (Array.isArray(this.path)) throw new Error('fileSystem: cannot save to a list of paths; give the folder to save into');
    if (modelArtifacts.modelTopology instanceof ArrayBuffer) throw new Error('fileSystem: saving a binary (GraphDef) topology is not supported');
    const dir = this.path;
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new Error(`fileSystem: ${dir} is a file; save needs a folder path`);
    fs.mkdirSync(dir, { recursive: true });
    const weights = new Uint8Array(modelArtifacts.weightData == null ? new ArrayBuffer(0) : CompositeArrayBuffer.join(modelArtifacts.weightData));
    const manifest: WeightsManifestConfig = [{ paths: [WEIGHTS_BIN], weights: modelArtifacts.weightSpecs ?? [] }];
    const json = getModelJSONForModelArtifacts(modelArtifacts, manifest) as unknown as Record<string, unknown>;
    json.striate = { version: MODEL_FILE_VERSION, shards: { [WEIGHTS_BIN]: { sha256: sha256(weights), byteLength: weights.length } } };
    writeFileAtomic(path.join(dir, WEIGHTS_BIN), weights);
    writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(json));
    return { modelArtifactsInfo: getModelArtifactsInfoForJSON(modelArtifacts) };
  }

  async load(): Promise<ModelArtifacts> {
    if (Array.isArray(this.path)) {
      throw new Error('fileSystem: loading from [model.json, weights] paths (a binary graph model) is not supported; give the path of model.json');
    }
    const file = this.path;
    let text: string;
    try {
      if (fs.statSync(file).isDirectory()) throw new Error(`fileSystem: ${file} is a folder; give the path of its model.json`);
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as Error).message.startsWith('fileSystem:')) throw e;
      throw new Error(`fileSystem: cannot read ${file}: ${errno(e)}`);
    }
    let json: ModelJSON;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`fileSystem: ${file} is not valid JSON (${(e as Error).message})`);
    }
    const dir = path.dirname(file);
    checkManifestPaths(json?.weightsManifest, file);
    return getModelArtifactsForJSON(json as never, async (manifest) => {
      const buffers = manifest.flatMap((group) => group.paths.map((p) => {
        const shard = insideFolder(dir, p, file);
        let data: Buffer;
        try {
          data = fs.readFileSync(shard);
        } catch (e) {
          throw new Error(`fileSystem: cannot read the weight file ${shard} named in ${file}: ${errno(e)}`);
        }
        checkShard(json, p, data, shard, file);
        return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
      }));
      return [getWeightSpecs(manifest), buffers];
    });
  }
}

/**
 * An IO handler for a folder to save into, or a model.json to load (tfjs-node's `tf.io.fileSystem`).
 *
 * @example
 * ```ts
 * const os = await import('node:os'), path = await import('node:path');
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * await model.save(st.io.fileSystem(path.join(os.tmpdir(), 'st-fs-model')));
 * ```
 */
export function fileSystem(filePath: string | string[]): IOHandler {
  return new NodeFileSystem(filePath);
}

const fileRouter: IORouter = (url) => {
  const strip = (u: string): string | null => (typeof u === 'string' && u.startsWith('file://') ? u.slice('file://'.length) : null);
  if (Array.isArray(url)) {
    const paths = url.map(strip);
    return paths.every((p) => p !== null) ? fileSystem(paths as string[]) : null;
  }
  const p = strip(url);
  return p === null ? null : fileSystem(p);
};

registerBuiltInRouter(fileRouter, { save: true, load: true });

/** The parts of a saved folder: model.json and every file it names (only plain names inside the folder). */
function savedFiles(target: string): { dir: string; files: string[]; json: ModelJSON } {
  const jsonFile = fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, MODEL_JSON) : target;
  let json: ModelJSON;
  try {
    json = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  } catch (e) {
    throw new Error(`removeModel: no model at ${target} (${e instanceof SyntaxError ? 'model.json is not valid JSON' : errno(e)})`);
  }
  const dir = path.dirname(jsonFile);
  const named = [...(json.weightsManifest ?? []).flatMap((g) => g.paths ?? []), ...(json.striate?.optimizer?.paths ?? [])];
  return { dir, json, files: [path.basename(jsonFile), ...named.filter((p) => typeof p === 'string' && path.basename(p) === p)] };
}

// file:// has no list of models (a disk is not a registry), but a saved folder can be removed
registerModelStoreManager('file', {
  async listModels() {
    return {};
  },
  async removeModel(target) {
    const { dir, files, json } = savedFiles(target);
    const specs = getWeightSpecs(json.weightsManifest ?? []);
    const info = getModelArtifactsInfoForJSON({ modelTopology: json.modelTopology, weightSpecs: specs });
    let bytes = 0;
    for (const f of files.slice(1)) bytes += fs.existsSync(path.join(dir, f)) ? fs.statSync(path.join(dir, f)).size : 0;
    info.weightDataBytes = bytes;
    // model.json first: a crash part-way leaves stray shards, never a model.json without its weights
    for (const f of files) fs.rmSync(path.join(dir, f), { force: true });
    return info;
  },
});
