/**
 * Einstein summation. Everything TensorFlow.js's einsum takes ('ij,jk->ik', 'bij,bjk->bik',
 * 'ij->ji', 'ij->', 'i,j->ij', ...) and more: any number of operands, the implicit form without
 * '->' (the output is the labels used once, in alphabetical order) and a label repeated within
 * one operand (its diagonal: 'ii->i', 'ii->'). Built from transpose, reshape, sum, mul and
 * matMul, so it runs on their kernels and has their gradients.
 */
import type { DType } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';
import { eye } from '../tensor/sequences.js';
import { checkArgType } from '../tensor/options.js';
import { convert, isFloat, type TensorInput } from './op.js';
import { cast, mul } from './arithmetic.js';
import { sum } from './reduce.js';
import { matMul } from './matmul.js';
import { reshape, transpose } from './transform.js';

interface Term { t: Tensor; labels: string[] }

const op = 'einsum';

function parse(equation: string, count: number): { inputs: string[][]; output: string[] } {
  const eq = equation.replace(/\s/g, '');
  const parts = eq.split('->');
  if (parts.length > 2) throw new Error(`${op}: expected at most one '->' in the equation, got ${JSON.stringify(equation)}`);
  const inputs = parts[0].split(',').map((s) => [...s]);
  for (const term of [...inputs, ...(parts.length === 2 ? [[...parts[1]]] : [])]) {
    const bad = term.find((c) => !/[a-zA-Z]/.test(c));
    if (bad !== undefined) {
      throw new Error(`${op}: subscripts must be letters (no ellipsis), got ${JSON.stringify(bad)} in ${JSON.stringify(equation)}`);
    }
  }
  if (inputs.length !== count) {
    throw new Error(`${op}: the equation ${JSON.stringify(equation)} names ${inputs.length} operand(s), got ${count} tensor(s)`);
  }
  let output: string[];
  if (parts.length === 2) {
    output = [...parts[1]];
    if (new Set(output).size !== output.length) throw new Error(`${op}: output subscripts repeat a label in ${JSON.stringify(equation)}`);
    const missing = output.find((c) => !inputs.some((term) => term.includes(c)));
    if (missing !== undefined) {
      throw new Error(`${op}: output label '${missing}' is not among the input subscripts of ${JSON.stringify(equation)}`);
    }
  } else {
    const counts = new Map<string, number>();
    for (const term of inputs) for (const c of term) counts.set(c, (counts.get(c) ?? 0) + 1);
    output = [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort();
  }
  return { inputs, output };
}

/** The diagonal over a repeated label: x * I on the two axes, summed over the second of them. */
function takeDiagonals(term: Term): Term {
  let { t, labels } = term;
  for (;;) {
    const q = labels.findIndex((c, i) => labels.indexOf(c) !== i);
    if (q < 0) return { t, labels };
    const p = labels.indexOf(labels[q]);
    const n = t.shape[p];
    const maskShape = t.shape.map((_, i) => (i === p || i === q ? n : 1));
    const mask = reshape(eye(n, n, undefined, t.dtype), maskShape);
    t = sum(mul(t, mask), q);
    labels = labels.filter((_, i) => i !== q);
  }
}

/** Sums out the labels of `term` that nothing after it needs. */
function sumUnneeded(term: Term, needed: Set<string>): Term {
  const axes = term.labels.map((c, i) => (needed.has(c) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return term;
  return { t: sum(term.t, axes), labels: term.labels.filter((c) => needed.has(c)) };
}

function arrange(term: Term, order: string[]): Tensor {
  const perm = order.map((c) => term.labels.indexOf(c));
  return perm.every((p, i) => p === i) ? term.t : transpose(term.t, perm);
}

/** a and b (each with distinct labels) contracted over their shared labels that `keep` lacks, by one matMul. */
function contract(a: Term, b: Term, keep: Set<string>, size: Map<string, number>): Term {
  const shared = a.labels.filter((c) => b.labels.includes(c));
  const batch = shared.filter((c) => keep.has(c));
  const summed = shared.filter((c) => !keep.has(c));
  const freeA = a.labels.filter((c) => !shared.includes(c));
  const freeB = b.labels.filter((c) => !shared.includes(c));
  const prod = (ls: string[]) => ls.reduce((n, c) => n * (size.get(c) as number), 1);
  const [nb, na, nc, nf] = [prod(batch), prod(freeA), prod(summed), prod(freeB)];
  const left = reshape(arrange(a, [...batch, ...freeA, ...summed]), [nb, na, nc]);
  const right = reshape(arrange(b, [...batch, ...summed, ...freeB]), [nb, nc, nf]);
  const labels = [...batch, ...freeA, ...freeB];
  return { t: reshape(matMul(left, right), labels.map((c) => size.get(c) as number)), labels };
}

/**
 * Einstein summation over `tensors` as `equation` says, e.g. einsum('ij,jk->ik', a, b) is a
 * matrix product, einsum('bi,bi->b', a, b) row-wise dot products, einsum('ij->', a) the total.
 *
 * @example
 * ```ts
 * const a = st.tensor2d([[1, 2], [3, 4]]);
 * st.einsum('ij,jk->ik', a, a).print(); // the same as matMul(a, a)
 * st.einsum('ii->', a).print();         // the trace: 5
 * ```
 */
export function einsum(equation: string, ...tensors: TensorInput[]): Tensor {
  checkArgType(op, 'equation', equation, 'string');
  const ts = tensors.map((x, i) => convert(x, op, `tensors[${i}]`));
  const { inputs, output } = parse(equation, ts.length);
  const size = new Map<string, number>();
  ts.forEach((t, i) => {
    if (t.rank !== inputs[i].length) {
      throw new Error(`${op}: operand ${i} has ${inputs[i].length} subscripts ('${inputs[i].join('')}') but shape [${t.shape}]`);
    }
    inputs[i].forEach((c, j) => {
      const known = size.get(c);
      if (known !== undefined && known !== t.shape[j]) {
        throw new Error(`${op}: label '${c}' has size ${known} elsewhere but ${t.shape[j]} at axis ${j} of operand ${i} (shape [${t.shape}])`);
      }
      size.set(c, t.shape[j]);
    });
  });
  // integers are summed in float32 and brought back, as matMul works on floats
  const dtype: DType = ts.reduce<DType>((d, t) => (t.dtype === 'float64' ? 'float64' : d), ts.every((t) => !isFloat(t.dtype)) ? 'int32' : 'float32');
  const work: DType = dtype === 'int32' ? 'float32' : dtype;
  const terms: Term[] = ts.map((t, i) => takeDiagonals({ t: t.dtype === work ? t : cast(t, work), labels: inputs[i] }));
  const neededAfter = (k: number): Set<string> => new Set([...output, ...terms.slice(k + 1).flatMap((x) => x.labels)]);
  let acc = sumUnneeded(terms[0], neededAfter(0));
  for (let k = 1; k < terms.length; k++) {
    const keep = neededAfter(k);
    const next = sumUnneeded(terms[k], new Set([...keep, ...acc.labels]));
    acc = sumUnneeded(contract(sumUnneeded(acc, new Set([...keep, ...next.labels])), next, keep, size), keep);
  }
  const result = arrange(acc, output);
  return dtype === 'int32' ? cast(result, 'int32') : result;
}
