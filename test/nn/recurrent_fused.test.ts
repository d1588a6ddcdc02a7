/**
 * Recurrent area: an LSTM layer whose steps run as one whole-sequence op (lstmSequence) gives
 * the outputs, final states and gradients (input, kernel, recurrent kernel, bias, initial
 * states) of the step-by-step path, with masks, goBackwards, returnSequences, returnState,
 * initial states, stateful and Bidirectional, on the js and the wasm backend; and the layer
 * falls back to the steps where the whole-sequence op does not apply.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../../src/index.js';
import { LSTM, fusedRecurrent, type LSTMArgs } from '../../src/nn/layers/recurrent.js';
import { recurrentFactories } from '../../src/nn/layers/recurrent_wrappers.js';
import type { CallArgs } from '../../src/nn/layer.js';
import { assertClose } from '../helpers.js';
import { opWatchers, type OpEvent } from '../../src/ops/op.js';

const { lstm, bidirectional } = recurrentFactories;

/** Outputs and gradients of sum(output * w) (every output) w.r.t. x, the weights and the initial states. */
function outputsAndGrads(layer: LSTM, x: st.Tensor, args: { mask?: st.Tensor; h0?: st.Tensor; c0?: st.Tensor }): Float64Array[] {
  const h0 = args.h0 ?? st.zeros([x.shape[0], layer.units]), c0 = args.c0 ?? st.zeros([x.shape[0], layer.units]);
  const hasBias = layer.bias !== undefined;
  const inputs = [x, layer.kernel!, layer.recurrentKernel!, h0, c0, ...(hasBias ? [layer.bias!] : [])];
  const f = (v: st.Tensor[]): st.Tensor[] => {
    const out = layer.forwardWith(v[0], { kernel: v[1], recurrentKernel: v[2], bias: hasBias ? v[5] : undefined }, {
      mask: args.mask, initialState: args.h0 ? [v[3], v[4]] : undefined,
    });
    return Array.isArray(out) ? out : [out];
  };
  const outs = f(inputs);
  const weights = outs.map((o, k) => st.randomUniform(o.shape, -1, 1, 'float32', 40 + k));
  const loss = (...v: st.Tensor[]) => f(v).map((o, k) => st.sum(st.mul(o, weights[k]))).reduce((a, b) => st.add(a, b));
  const grads = st.grads(loss)(inputs);
  return [...outs, ...grads].map((t) => Float64Array.from(t.dataSync() as Float32Array));
}

function bothPaths<T>(f: () => T): { fused: T; steps: T } {
  fusedRecurrent.enabled = true;
  const fused = f();
  fusedRecurrent.enabled = false;
  try {
    return { fused, steps: f() };
  } finally {
    fusedRecurrent.enabled = true;
  }
}

const maskOf = (rows: number[][]) => st.tensor(rows, undefined, 'bool');

for (const backend of ['js', 'wasm']) {
  test(`LSTM: the whole-sequence op gives the step path's outputs and gradients (${backend})`, () => {
    st.setBackend(backend);
    const cases: { what: string; args: LSTMArgs; mask?: st.Tensor; init?: boolean }[] = [
      { what: 'last output', args: { units: 5 } },
      { what: 'sequences and states', args: { units: 4, returnSequences: true, returnState: true } },
      { what: 'goBackwards', args: { units: 3, goBackwards: true, returnSequences: true } },
      { what: 'mask', args: { units: 4, returnSequences: true, returnState: true },
        mask: maskOf([[1, 1, 1, 0, 0, 0], [0, 0, 1, 1, 1, 1], [1, 0, 1, 0, 1, 0]]) },
      { what: 'mask and goBackwards', args: { units: 4, goBackwards: true, returnState: true },
        mask: maskOf([[1, 1, 1, 0, 0, 0], [0, 0, 1, 1, 1, 1], [1, 0, 1, 0, 1, 1]]) },
      { what: 'initial states with a leading mask', args: { units: 3, returnSequences: true, returnState: true },
        mask: maskOf([[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1], [0, 1, 0, 1, 0, 1]]), init: true },
      { what: 'no bias, many units', args: { units: 33, useBias: false, returnState: true } },
    ];
    for (const c of cases) {
      const layer = lstm(c.args) as LSTM;
      layer.ensureBuilt([null, 6, 4]);
      const x = st.randomNormal([3, 6, 4], 0, 1, 'float32', 3);
      const args = {
        mask: c.mask,
        h0: c.init ? st.randomNormal([3, c.args.units], 0, 1, 'float32', 4) : undefined,
        c0: c.init ? st.randomNormal([3, c.args.units], 0, 1, 'float32', 5) : undefined,
      };
      const { fused, steps } = bothPaths(() => outputsAndGrads(layer, x, args));
      assert.equal(fused.length, steps.length);
      fused.forEach((v, k) => assertClose(Array.from(v), Array.from(steps[k]), 1e-5, `${c.what}: output/gradient ${k}`));
    }
  });

  test(`LSTM: stateful and Bidirectional give the same on both paths (${backend})`, () => {
    st.setBackend(backend);
    const x = st.randomNormal([2, 5, 3], 0, 1, 'float32', 8);
    const layer = lstm({ units: 4, stateful: true, batchInputShape: [2, 5, 3] });
    const bi = bidirectional({ layer: lstm({ units: 3, returnSequences: true }), mergeMode: 'concat' });
    const { fused, steps } = bothPaths(() => {
      layer.resetStates();
      const first = layer.apply(x) as st.Tensor;
      const second = layer.apply(x) as st.Tensor;
      const both = bi.apply(x, { mask: maskOf([[1, 1, 1, 1, 0], [0, 1, 1, 1, 1]]) } as CallArgs) as st.Tensor;
      return [first, second, both].map((t) => Array.from(t.dataSync()));
    });
    fused.forEach((v, k) => assertClose(v, steps[k], 1e-5, `result ${k}`));
    assert.notDeepEqual(fused[0], fused[1], 'a stateful layer starts its second call from the first one\'s states');
  });
}

/** The names of the ops `f` runs. */
function opsRun(f: () => void): Set<string> {
  const names = new Set<string>();
  const watch = (e: OpEvent) => void names.add(e.name);
  opWatchers.push(watch);
  try {
    f();
  } finally {
    opWatchers.splice(opWatchers.indexOf(watch), 1);
  }
  return names;
}

test('LSTM: the whole-sequence op runs where the options allow it, the steps elsewhere', () => {
  st.setBackend('js');
  const x = st.randomNormal([2, 4, 3], 0, 1, 'float32', 9);
  const cases: [LSTMArgs, boolean, boolean][] = [
    [{ units: 3, dropout: 0.3, seed: 1 }, true, true],
    [{ units: 3, recurrentDropout: 0.5, seed: 1 }, true, false],
    [{ units: 3, recurrentDropout: 0.5, seed: 1 }, true, true],
    [{ units: 3, activation: 'relu' }, false, true],
    [{ units: 3, recurrentActivation: 'hardSigmoid' }, false, true],
  ];
  for (const [args, fusedExpected, inference] of cases) {
    const layer = lstm(args);
    const ops = opsRun(() => layer.apply(x, { training: !inference } as CallArgs));
    assert.equal(ops.has('lstmSequence'), fusedExpected, `${JSON.stringify(args)} ${inference ? 'inference' : 'training'}`);
  }
  fusedRecurrent.enabled = false;
  try {
    assert.ok(!opsRun(() => lstm({ units: 2 }).apply(x)).has('lstmSequence'), 'the switch turns the whole-sequence op off');
  } finally {
    fusedRecurrent.enabled = true;
  }
});
