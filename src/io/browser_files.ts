/**
 * `st.browserFiles(files)`: a load handler over files a person chose (an `<input type="file"
 * multiple>` or a drop), as TensorFlow.js' `tf.io.browserFiles`: one model.json and the weight
 * files it names, matched by file name because a browser gives no folders. Reads what
 * `model.save('downloads://...')`, `striate train`'s run folders and TensorFlow.js write.
 */
import type { LoadingIOHandler, ModelArtifacts } from './handlers.js';
import { checkShard, parseModelJSON } from './model_json.js';

/** What a browser's File has that this needs (Node 20's File and Blob-with-name objects fit too). */
export interface NamedBlob {
  name: string;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

const baseName = (path: string): string => path.split('/').pop() ?? path;

/**
 * The files in any order (TensorFlow.js wants model.json first; here it is found by its .json
 * name); it is an error, at once, to give none.
 *
 * @example
 * ```ts
 * // in a page: st.loadLayersModel(st.io.browserFiles([...input.files])) with <input type="file" multiple>;
 * // Node 20 has File too, so here the two files are made in memory
 * const model = st.sequential({ layers: [st.layers.dense({ units: 1, inputShape: [2] })] });
 * const artifacts = st.io.toArtifacts(model);
 * const json = { modelTopology: artifacts.modelTopology!, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs! }] };
 * const files = [new File([JSON.stringify(json)], 'model.json'), new File([artifacts.weightData as ArrayBuffer], 'weights.bin')];
 * const loaded = await st.loadLayersModel(st.io.browserFiles(files));
 * console.log(loaded.layers.length); // 1
 * ```
 */
export function browserFiles(files: ArrayLike<NamedBlob>): LoadingIOHandler {
  const list = Array.from(files ?? []);
  if (list.length === 0) throw new Error(`browserFiles: expected at least one file (the model's .json and its weight files), got ${files == null ? files : 'none'}`);
  return {
    async load(): Promise<ModelArtifacts> {
      const names = list.map((f) => f.name).join(', ') || 'none';
      const jsons = list.filter((f) => f.name.toLowerCase().endsWith('.json'));
      if (jsons.length !== 1) {
        throw new Error(`browserFiles: expected one model .json file among the chosen files, got ${jsons.length} (files: ${names})`);
      }
      const jsonFile = jsons[0];
      const json = parseModelJSON(await jsonFile.text(), jsonFile.name);
      const byName = new Map(list.filter((f) => f !== jsonFile).map((f) => [f.name, f]));
      const groups = json.weightsManifest ?? [];
      const weightData: ArrayBuffer[] = [];
      // the optimizer's shard may be chosen too; artifacts carry no optimizer state, so it is not read
      for (const path of groups.flatMap((g) => g.paths ?? [])) {
        const file = byName.get(baseName(path));
        if (!file) {
          throw new Error(`browserFiles: ${jsonFile.name} names the weight file "${baseName(path)}", which is not among the chosen files ` +
            `(${names}); choose the model's .json file together with its weight files`);
        }
        const data = await file.arrayBuffer();
        checkShard(json, path, new Uint8Array(data), file.name, jsonFile.name);
        weightData.push(data);
      }
      return {
        modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
        trainingConfig: json.trainingConfig, userDefinedMetadata: json.userDefinedMetadata as ModelArtifacts['userDefinedMetadata'],
        weightSpecs: groups.flatMap((g) => g.weights ?? []), weightData,
      };
    },
  };
}
