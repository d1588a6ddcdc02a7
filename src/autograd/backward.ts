/** Reverse mode: walk the tape from an output back to the tensors gradients are wanted for. */
import { backend as activeBackend } from '../backend/registry.js';
import { arraysEqual } from '../backend/shape_util.js';
import { Tensor } from '../tensor/tensor.js';
import { fill } from '../tensor/creation.js';
import { isTracked, noGrad } from './tape.js';

let backwardDepth = 0;

/** True while a backward pass runs (used to refuse second derivatives clearly). */
export function inBackward(): boolean {
  return backwardDepth > 0;
}

/** Element-wise sum of two gradients of the same shape, straight on the backend. */
function addGrads(a: Tensor, b: Tensor): Tensor {
  const backend = activeBackend();
  const dtype = a.dtype;
  const id = backend.binary('add', a, b, a.shape, dtype);
  return new Tensor(id, a.shape, dtype, backend);
}

/** The tensors `root` depends on through the tape, each after everything that reads it. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // iterative post-order DFS: deep graphs (long RNN unrolls) must not overflow the stack
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1]++;
      const next = inputs[i];
      if (!visited.has(next) && isTracked(next)) {
        visited.add(next);
        stack.push([next, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

export interface BackwardOptions {
  /** keep the tape for another backward pass through the same graph */
  retainGraph?: boolean;
}

/**
 * Gradients of `y` (seeded with `dy`, ones when y is a scalar) with respect to every tracked
 * tensor it depends on. Returns the map of all gradients reached.
 */
export function runBackward(y: Tensor, dy: Tensor | undefined, options: BackwardOptions = {}): Map<Tensor, Tensor> {
  if (y.dtype !== 'float32' && y.dtype !== 'float64') {
    throw new Error(`backward: the output has dtype ${y.dtype}; gradients need a float output`);
  }
  if (dy === undefined) {
    if (y.size !== 1) {
      throw new Error(`backward: the output has shape [${y.shape}]; a non-scalar output needs an explicit ` +
        `upstream gradient dy of the same shape`);
    }
    dy = fill(y.shape, 1, y.dtype);
  } else if (!arraysEqual(dy.shape, y.shape)) {
    throw new Error(`backward: dy must have the output's shape [${y.shape}], got [${dy.shape}]`);
  }
  const grads = new Map<Tensor, Tensor>();
  grads.set(y, dy);
  const order = topologicalOrder(y);
  backwardDepth++;
  try {
    noGrad(() => {
      for (const t of order) {
        const node = t.node;
        const g = grads.get(t);
        if (!node || g === undefined) continue;
        if (node.backward === null) {
          throw new Error(`backward: the graph through "${node.opName}" was already used by a backward pass ` +
            `and released; pass { retainGraph: true } to the first backward() to go through it twice`);
        }
        const inputGrads = node.backward(g);
        node.inputs.forEach((input, k) => {
          const gi = inputGrads[k];
          if (!gi || !isTracked(input)) return;
          if (!arraysEqual(gi.shape, input.shape)) {
            throw new Error(`internal error: the gradient rule of "${node.opName}" gave shape [${gi.shape}] ` +
              `for input ${k} of shape [${input.shape}]`);
          }
          const prev = grads.get(input);
          grads.set(input, prev ? addGrads(prev, gi) : gi);
        });
        if (t !== y) grads.delete(t); // intermediate gradients are not needed any more
      }
    });
  } finally {
    backwardDepth--;
  }
  if (!options.retainGraph) {
    const results = new Set(grads.values());
    for (const t of order) {
      if (t.node) {
        for (const s of t.node.snapshots ?? []) if (!results.has(s)) s.dispose();
        t.node.backward = null;
        t.node.inputs = [];
        t.node.saved = undefined;
        t.node.snapshots = undefined;
      }
    }
  }
  return grads;
}

/**
 * PyTorch's door: fills `.grad` (accumulating) on every leaf with requiresGrad that `y`
 * depends on, then releases the tape.
 *
 * @example
 * ```ts
 * const x = st.variable(st.tensor([1, 2, 3]));
 * const y = st.sum(st.square(x));
 * st.backward(y);
 * x.grad!.print(); // [2, 4, 6]
 * ```
 */
export function backward(y: Tensor, dy?: Tensor, options: BackwardOptions = {}): void {
  const grads = runBackward(y, dy, options);
  for (const [t, g] of grads) {
    if (!t.requiresGrad || t.node) continue;
    t.grad = t.grad ? addGrads(t.grad, g) : g;
  }
}

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * PyTorch's door: fills `.grad` on the leaves with requiresGrad that this tensor depends on.
     * A non-scalar tensor needs `dy`, its upstream gradient.
     */
    backward(dy?: Tensor, options?: BackwardOptions): void;
  }
}

Object.defineProperty(Tensor.prototype, 'backward', {
  value(this: Tensor, dy?: Tensor, options?: BackwardOptions) {
    backward(this, dy, options);
  },
  writable: true,
  configurable: true,
});
