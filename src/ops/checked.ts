/**
 * The public versions of the most used ops: positional arguments checked against their row of
 * OP_ARGS (src/tensor/arg_specs.ts) before the op runs, for `st.sum(...)` and `x.sum(...)` alike.
 * index.ts exports these names from here (an explicit export wins over `export *`).
 */
import { OP_ARGS, checkTensorMethods, withArgChecks } from '../tensor/arg_specs.js';
import { Tensor } from '../tensor/tensor.js';
import * as reduce from './reduce.js';
import * as transform from './transform.js';
import * as slicing from './slicing.js';
import * as matmul from './matmul.js';
import * as activations from './activations.js';
import * as arithmetic from './arithmetic.js';
import * as scan from './scan.js';
import './chained.js';
import { castTensor } from './complex.js';

const checked = <F extends (...args: never[]) => unknown>(name: keyof typeof OP_ARGS, f: F): F => withArgChecks(name, OP_ARGS[name], f);

export const sum = checked('sum', reduce.sum);
export const mean = checked('mean', reduce.mean);
export const max = checked('max', reduce.max);
export const min = checked('min', reduce.min);
export const prod = checked('prod', reduce.prod);
export const any = checked('any', reduce.any);
export const all = checked('all', reduce.all);
export const logSumExp = checked('logSumExp', reduce.logSumExp);
export const moments = checked('moments', reduce.moments);
export const argMax = checked('argMax', reduce.argMax);
export const argMin = checked('argMin', reduce.argMin);
export const reshape = checked('reshape', transform.reshape);
export const expandDims = checked('expandDims', transform.expandDims);
export const squeeze = checked('squeeze', transform.squeeze);
export const transpose = checked('transpose', transform.transpose);
export const reverse = checked('reverse', slicing.reverse);
export const concat = checked('concat', slicing.concat);
export const stack = checked('stack', slicing.stack);
export const unstack = checked('unstack', slicing.unstack);
export const split = checked('split', slicing.split);
export const slice = checked('slice', slicing.slice);
export const tile = checked('tile', slicing.tile);
export const pad = checked('pad', slicing.pad);
export const gather = checked('gather', slicing.gather);
export const matMul = checked('matMul', matmul.matMul);
export const softmax = checked('softmax', activations.softmax);
export const logSoftmax = checked('logSoftmax', activations.logSoftmax);
export const clipByValue = checked('clipByValue', arithmetic.clipByValue);
export const leakyRelu = checked('leakyRelu', activations.leakyRelu);
export const cast = checked('cast', castTensor);
export const topk = checked('topk', scan.topk);
export const cumsum = checked('cumsum', scan.cumsum);
export const cumprod = checked('cumprod', scan.cumprod);

checkTensorMethods(Tensor.prototype, OP_ARGS);
