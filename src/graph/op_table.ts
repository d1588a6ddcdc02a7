/**
 * The one table of TensorFlow graph ops striate runs, assembled from the op families. The
 * executor itself handles the ops that are not computations: Placeholder, Const, the function
 * arguments of library functions, and control flow (control_flow.ts).
 */
import type { OpTable } from './op_types.js';
import { mathOps } from './ops_math.js';
import { nnOps } from './ops_nn.js';
import { shapeOps } from './ops_shape.js';
import { imageOps } from './ops_image.js';
import { controlOps } from './control_flow.js';
import { listOps } from './ops_list.js';
import { arrayOps } from './ops_array.js';

export const GRAPH_OPS: OpTable = { ...mathOps, ...nnOps, ...shapeOps, ...imageOps, ...controlOps, ...listOps, ...arrayOps };

/** Ops the executor resolves itself (feeds and weights). */
export const SOURCE_OPS = new Set(['Placeholder', 'Const', '_Arg']);

/** Every op name a graph may contain, sorted (for docs and error messages). */
export function supportedOps(): string[] {
  return [...SOURCE_OPS, ...Object.keys(GRAPH_OPS)].filter((n) => n !== '_Arg').sort();
}
