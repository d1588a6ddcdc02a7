/**
 * Element-wise, logical and reduction ops of TensorFlow graphs on striate's ops.
 */
import * as st from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { sync, type OpContext, type OpTable } from './op_types.js';

const unary = (f: (x: Tensor) => Tensor) => sync((c) => f(c.input(0)));
const binary = (f: (a: Tensor, b: Tensor) => Tensor) => sync((c) => f(c.input(0), c.input(1)));

/** An axis list from input 1 with TensorFlow's `keep_dims` attribute. */
function reduction(f: (x: Tensor, axis: number[], keepDims: boolean) => Tensor) {
  return sync((c: OpContext) => f(c.input(0), c.numbers(1), c.attr.bool('keep_dims', false)));
}

/** BiasAdd adds along the channel axis, which is axis 1 for NCHW data. */
function biasAdd(c: OpContext): Tensor {
  const x = c.input(0);
  const bias = c.input(1);
  if (c.attr.str('data_format', 'nhwc') === 'nchw' && x.rank > 2) {
    return st.add(x, st.reshape(bias, [bias.shape[0], ...new Array<number>(x.rank - 2).fill(1)]));
  }
  return st.add(x, bias);
}

export const mathOps: OpTable = {
  // arithmetic
  Add: binary(st.add),
  AddV2: binary(st.add),
  AddN: sync((c) => st.addN([...c.inputs])),
  BiasAdd: sync(biasAdd),
  Sub: binary(st.sub),
  Mul: binary(st.mul),
  RealDiv: binary(st.div),
  Div: binary(st.div),
  DivNoNan: binary(st.divNoNan),
  FloorDiv: binary(st.floorDiv),
  FloorMod: binary(st.mod),
  Mod: binary(st.mod),
  Maximum: binary(st.maximum),
  Minimum: binary(st.minimum),
  Pow: binary(st.pow),
  SquaredDifference: binary(st.squaredDifference),
  Atan2: binary(st.atan2),
  // comparisons and logic
  Equal: binary(st.equal),
  NotEqual: binary(st.notEqual),
  Greater: binary(st.greater),
  GreaterEqual: binary(st.greaterEqual),
  Less: binary(st.less),
  LessEqual: binary(st.lessEqual),
  LogicalAnd: binary(st.logicalAnd),
  LogicalOr: binary(st.logicalOr),
  LogicalNot: unary(st.logicalNot),
  Select: sync((c) => st.where(c.input(0), c.input(1), c.input(2))),
  SelectV2: sync((c) => st.where(c.input(0), c.input(1), c.input(2))),
  // element-wise functions
  Abs: unary(st.abs),
  Neg: unary(st.neg),
  Sign: unary(st.sign),
  Floor: unary(st.floor),
  Ceil: unary(st.ceil),
  Round: unary(st.round),
  Exp: unary(st.exp),
  Expm1: unary(st.expm1),
  Log: unary(st.log),
  Log1p: unary(st.log1p),
  Sqrt: unary(st.sqrt),
  Rsqrt: unary(st.rsqrt),
  Square: unary(st.square),
  Reciprocal: unary(st.reciprocal),
  Sin: unary(st.sin),
  Cos: unary(st.cos),
  Tan: unary(st.tan),
  Asin: unary(st.asin),
  Acos: unary(st.acos),
  Atan: unary(st.atan),
  Sinh: unary(st.sinh),
  Cosh: unary(st.cosh),
  Asinh: unary(st.asinh),
  Acosh: unary(st.acosh),
  Atanh: unary(st.atanh),
  Erf: unary(st.erf),
  IsNan: unary(st.isNaN),
  IsFinite: unary(st.isFinite),
  IsInf: unary(st.isInf),
  ClipByValue: sync((c) => st.clipByValue(c.input(0), c.number(1), c.number(2))),
  // activations
  Relu: unary(st.relu),
  Relu6: unary(st.relu6),
  Elu: unary(st.elu),
  Selu: unary(st.selu),
  Sigmoid: unary(st.sigmoid),
  Tanh: unary(st.tanh),
  Softplus: unary(st.softplus),
  LeakyRelu: sync((c) => st.leakyRelu(c.input(0), c.attr.num('alpha', 0.2))),
  Prelu: binary(st.prelu),
  // reductions
  Sum: reduction(st.sum),
  Mean: reduction(st.mean),
  Max: reduction(st.max),
  Min: reduction(st.min),
  Prod: reduction(st.prod),
  All: reduction(st.all),
  Any: reduction(st.any),
  ArgMax: sync((c) => st.argMax(c.input(0), c.number(1))),
  ArgMin: sync((c) => st.argMin(c.input(0), c.number(1))),
  Cumsum: sync((c) => st.cumsum(c.input(0), c.number(1), c.attr.bool('exclusive', false), c.attr.bool('reverse', false))),
  LowerBound: binary(st.lowerBound),
  UpperBound: binary(st.upperBound),
  Unique: {
    run: (c) => {
      const { values, indices } = st.unique(c.input(0));
      return [values, indices];
    },
    outputs: ['y', 'idx'],
  },
  UniqueV2: {
    run: (c) => {
      const { values, indices } = st.unique(c.input(0), c.number(1));
      return [values, indices];
    },
    outputs: ['y', 'idx'],
  },
  // value-dependent: runs in executeAsync
  ListDiff: { async: true, outputs: ['out', 'idx'], run: async (c) => st.setdiff1dAsync(c.input(0), c.input(1)) },
  Cumprod: sync((c) => st.cumprod(c.input(0), c.number(1), c.attr.bool('exclusive', false), c.attr.bool('reverse', false))),
};
