/**
 * Control flow of converted SavedModels, run by executeAsync: the functional ops (If, While and
 * their stateless forms) call functions of the graph's library; TF1 conditionals (Switch and
 * Merge) are routed by the executor, which marks the branch not taken as dead; TF1 while loops
 * (Enter, Exit, NextIteration, LoopCond) run in frames.ts.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { OpContext, OpDef, OpTable } from './op_types.js';

/** A predicate tensor's truth, as TensorFlow reads it: a scalar's value (a non-scalar: not empty). */
async function truth(t: Tensor): Promise<boolean> {
  if (t.rank === 0) return Boolean((await t.data())[0]);
  return t.size > 0;
}

function branchName(c: OpContext, attr: string): string {
  const name = c.attr.func(attr);
  if (name == null) throw new Error(`${c.where}: has no function in attribute "${attr}"`);
  return name;
}

const functionalIf: OpDef = {
  async: true,
  outputs: ['output'],
  run: async (c) => {
    const branch = (await truth(c.input(0))) ? branchName(c, 'then_branch') : branchName(c, 'else_branch');
    return c.callFunction(branch, c.inputs.slice(1));
  },
};

const functionalWhile: OpDef = {
  async: true,
  outputs: ['output'],
  run: async (c) => {
    const condName = branchName(c, 'cond');
    const bodyName = branchName(c, 'body');
    const given = new Set(c.inputs);
    let state = [...c.inputs];
    for (;;) {
      const [pred, ...rest] = await c.callFunction(condName, state);
      const go = await truth(pred);
      for (const t of [pred, ...rest]) if (!given.has(t) && !state.includes(t)) t.dispose();
      if (!go) return state;
      const next = await c.callFunction(bodyName, state);
      // the previous iteration's tensors are freed unless the new state or the caller still holds them
      for (const t of state) if (!given.has(t) && !next.includes(t)) t.dispose();
      state = next;
    }
  },
};

export const controlOps: OpTable = {
  If: functionalIf,
  StatelessIf: functionalIf,
  While: functionalWhile,
  StatelessWhile: functionalWhile,
  Switch: { async: true, flow: 'switch', outputs: ['output_false', 'output_true'], run: (c) => [c.input(0), c.input(0)] },
  Merge: { async: true, flow: 'merge', outputs: ['output', 'value_index'], run: (c) => [c.input(0)] },
  // TF1 loop frames: pass-through ops whose meaning is where their output goes (frames.ts)
  Enter: { async: true, runsSync: true, run: (c) => c.input(0) },
  Exit: { async: true, runsSync: true, run: (c) => c.input(0) },
  NextIteration: { async: true, runsSync: true, run: (c) => c.input(0) },
  LoopCond: { async: true, runsSync: true, run: (c) => c.input(0) },
};
