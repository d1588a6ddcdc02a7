/**
 * The public versions of the creators: positional arguments checked against their row of
 * CREATOR_ARGS (arg_specs.ts), so `zeros([2], 'flot32')` names the dtype and `zeros(3)` the shape.
 * index.ts exports these names from here (an explicit export wins over `export *`).
 */
import { CREATOR_ARGS, withArgChecks } from './arg_specs.js';
import * as creation from './creation.js';
import * as sequences from './sequences.js';
import * as random from './random.js';
import * as buffers from './buffer.js';

const checked = <F extends (...args: never[]) => unknown>(name: keyof typeof CREATOR_ARGS, f: F): F =>
  withArgChecks(name, CREATOR_ARGS[name], f);

export const tensor = checked('tensor', creation.tensor);
export const tensor1d = checked('tensor1d', creation.tensor1d);
/**
 * Rank 2 to 6: `tensor2d(values, shape?, dtype?)`, values nested or flat with a shape.
 *
 * @example
 * ```ts
 * st.tensor2d([[1, 2], [3, 4]]).print();
 * st.tensor2d([1, 2, 3, 4], [2, 2]).print();
 * ```
 */
export const tensor2d = checked('tensor2d', creation.tensor2d);
/**
 * @example
 * ```ts
 * st.tensor3d([[[1], [2]], [[3], [4]]]).print();
 * ```
 */
export const tensor3d = checked('tensor3d', creation.tensor3d);
/**
 * @example
 * ```ts
 * st.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]).print();
 * ```
 */
export const tensor4d = checked('tensor4d', creation.tensor4d);
/**
 * @example
 * ```ts
 * st.tensor5d([1, 2, 3, 4], [1, 1, 2, 2, 1]).print();
 * ```
 */
export const tensor5d = checked('tensor5d', creation.tensor5d);
/**
 * @example
 * ```ts
 * st.tensor6d([1, 2, 3, 4], [1, 1, 1, 2, 2, 1]).print();
 * ```
 */
export const tensor6d = checked('tensor6d', creation.tensor6d);
export const scalar = checked('scalar', creation.scalar);
export const zeros = checked('zeros', creation.zeros);
export const ones = checked('ones', creation.ones);
export const fill = checked('fill', creation.fill);
export const variable = checked('variable', creation.variable);
export const range = checked('range', sequences.range);
export const linspace = checked('linspace', sequences.linspace);
export const eye = checked('eye', sequences.eye);
export const oneHot = checked('oneHot', sequences.oneHot);
export const buffer = checked('buffer', buffers.buffer);
export const randomNormal = checked('randomNormal', random.randomNormal);
export const truncatedNormal = checked('truncatedNormal', random.truncatedNormal);
export const randomUniform = checked('randomUniform', random.randomUniform);
