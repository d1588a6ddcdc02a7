/** TensorFlow.js' `customGrad`: an op whose gradient the user defines. */
import { Tensor } from '../tensor/tensor.js';
import { runOp } from './op.js';

export interface CustomGradResult {
  value: Tensor;
  /** gradient of each input, given the output's gradient */
  gradFunc: (dy: Tensor) => Tensor | Tensor[];
}

/**
 * `customGrad((x) => ({ value, gradFunc: (dy) => ... }))` returns a function whose forward is
 * `value` and whose backward is `gradFunc`: for numerically safer rules or straight-through tricks.
 *
 * @example
 * ```ts
 * const clipGrad = st.customGrad((x: st.Tensor) => ({ value: st.square(x), gradFunc: (dy: st.Tensor) => st.clipByValue(dy, -1, 1) }));
 * st.grad((x) => clipGrad(x))(st.tensor1d([3])).print(); // [1], not 6
 * ```
 */
export function customGrad(f: (...xs: Tensor[]) => CustomGradResult): (...xs: Tensor[]) => Tensor {
  return (...xs: Tensor[]) => {
    let gradFunc: CustomGradResult['gradFunc'] | undefined;
    return runOp('customGrad', xs, (_be, seen) => {
      const r = f(...seen);
      if (!(r?.value instanceof Tensor) || typeof r.gradFunc !== 'function') {
        throw new Error('customGrad: f must return { value: Tensor, gradFunc: (dy) => Tensor | Tensor[] }');
      }
      gradFunc = r.gradFunc;
      return r.value;
    }, (dy) => {
      const g = gradFunc!(dy);
      const list = Array.isArray(g) ? g : [g];
      if (list.length !== xs.length) {
        throw new Error(`customGrad: gradFunc returned ${list.length} gradient(s) for ${xs.length} input(s)`);
      }
      return list;
    }, true);
  };
}
