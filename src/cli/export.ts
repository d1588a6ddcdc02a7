/** `striate export <model> --onnx out.onnx`: a saved model as a file for other runtimes. */
import fs from 'node:fs';
import path from 'node:path';
import { toOnnx } from '../io/onnx.js';
import { writeFileAtomic } from '../io/atomic.js';
import { CliError, type CommandSpec, type OptionValues } from './args.js';
import { loadModelFile } from './model_source.js';
import type { Reporter } from './report.js';

export const EXPORT: CommandSpec = {
  name: 'export',
  summary: 'write a saved model as ONNX, for ONNX Runtime and other ONNX readers',
  usage: '<model> --onnx <file.onnx>',
  positionals: [1, 1],
  options: [
    { name: 'onnx', type: 'string', valueName: 'file', help: 'where to write the ONNX model (required)' },
    { name: 'opset', type: 'int', default: 17, help: 'the ONNX opset the file declares (13 to 17)' },
  ],
  examples: ['striate export runs/<run>/model --onnx digits.onnx', 'striate export model/model.json --onnx model.onnx --opset 13'],
};

export async function exportModel(options: OptionValues, [modelPath]: string[], say: Reporter): Promise<number> {
  if (typeof options.onnx !== 'string' || options.onnx === '') {
    throw new CliError('expected --onnx <file>: where to write the model (ONNX is the one export format)', 2);
  }
  const opset = Number(options.opset);
  if (!(opset >= 13 && opset <= 17)) throw new CliError(`--opset must be from 13 to 17, got ${options.opset}`, 2);
  const out = options.onnx;
  const model = await loadModelFile(modelPath, say, 'export');
  let bytes: Uint8Array;
  try {
    bytes = toOnnx(model, { opsetVersion: opset, docString: `exported by striate from ${path.basename(modelPath)}` });
  } catch (e) {
    throw new CliError(`${modelPath}: ${(e as Error).message.replace(/^toOnnx: /, '')}`);
  }
  try {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    writeFileAtomic(out, bytes);
  } catch (e) {
    throw new CliError(`cannot write ${out}: ${(e as Error).message}`);
  }
  if (say.json) say.result({ model: modelPath, onnx: out, opset, bytes: bytes.length });
  else say.info(`wrote ${out} (ONNX opset ${opset}, ${bytes.length} bytes) from ${model.name}`);
  return 0;
}
