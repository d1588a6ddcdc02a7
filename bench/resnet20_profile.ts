/**
 * Where one training step of the CIFAR ResNet-20 (or the CIFAR-style convnet) spends its time on
 * the wasm backend: `node dist/bench/resnet20_profile.js [--model resnet20|cifar] [--threads N]
 * [--batch B] [--steps S]`.
 *
 * The forward pass is timed per layer (each layer's `call` wrapped), the backward pass per tape
 * node (each recorded gradient rule wrapped once the loss exists, so a rule that calls a backend
 * kernel directly is counted too), the optimizer step as one block. Wall and CPU milliseconds
 * (the CPU time of the whole process: the pool's workers included) are averaged over S steps
 * after two warm-ups. "between" is the step's wall time not inside any timed piece: the tape
 * walk, gradient sums of shared inputs, metrics, the loss read-back.
 */
import * as st from '../src/index.js';
import type { Tensor, Variable } from '../src/tensor/tensor.js';
import type { Layer } from '../src/nn/layer.js';
import { variableGrads } from '../src/autograd/gradients.js';
import { batchLoss, getCompiled } from '../src/train/compile.js';
import { flag } from './quick.js';
import { resnet20 } from './resnet20.js';
import { WIDE_LAYERS, synthetic } from './wide_workloads.js';

st.setBackend('wasm');
const threads = Number(flag('--threads', '2'));
st.setNumThreads(threads);
const batch = Number(flag('--batch', '64'));
const steps = Number(flag('--steps', '5'));
const which = flag('--model', 'resnet20');

st.setSeed(1);
let model: st.LayersModel;
if (which === 'resnet20') {
  model = resnet20();
} else if (which === 'cifar') {
  const seq = st.sequential();
  const layers = st.layers as unknown as Record<string, (config: object) => st.Layer>;
  for (const [type, config] of WIDE_LAYERS.cifar!) seq.add(layers[type](config));
  model = seq;
} else {
  throw new Error(`--model: expected resnet20 or cifar, got ${which}`);
}
model.compile({ optimizer: st.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });

/** wall and CPU ms per key, summed over the measured steps */
const table = new Map<string, { phase: string; kind: string; wall: number; cpu: number; calls: number }>();
let measuring = false;
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function timed<T>(phase: string, kind: string, detail: string, body: () => T): T {
  if (!measuring) return body();
  const w = performance.now(), c = cpuNow();
  try {
    return body();
  } finally {
    const key = `${phase}|${kind}|${detail}`;
    const e = table.get(key) ?? { phase, kind, wall: 0, cpu: 0, calls: 0 };
    e.wall += performance.now() - w;
    e.cpu += cpuNow() - c;
    e.calls++;
    table.set(key, e);
  }
}

const shapeOf = (t: Tensor | Tensor[]) => (Array.isArray(t) ? t.map((u) => `[${u.shape}]`).join(',') : `[${t.shape}]`);
function layerKind(l: Layer): string {
  const c = l.className;
  const cfg = l.getConfig() as Record<string, unknown>;
  if (c === 'Conv2D') return `conv ${String(cfg.kernelSize).split(',')[0]}x${String(cfg.kernelSize).split(',')[0]} s${String(cfg.strides).split(',')[0]}`;
  if (c === 'Activation') return String(cfg.activation);
  return c;
}
for (const l of model.layers) {
  const original = l.call.bind(l);
  const kind = layerKind(l);
  (l as { call: typeof l.call }).call = (inputs, args) => timed('forward', kind,
    `${shapeOf(inputs as Tensor | Tensor[])} -> ${l.className === 'Conv2D' ? (l.getConfig() as { filters: number }).filters : ''}`,
    () => original(inputs, args));
}

/** Wraps every gradient rule on the tape below `loss` in a timer named by its op and input shapes. */
function timeBackward(loss: Tensor): void {
  const seen = new Set<object>();
  const stack: Tensor[] = [loss];
  while (stack.length > 0) {
    const t = stack.pop()!;
    const node = t.node as unknown as { opName: string; inputs: Tensor[]; backward: ((g: Tensor) => Tensor[]) | null } | undefined;
    if (!node || seen.has(node)) continue;
    seen.add(node);
    const rule = node.backward;
    if (rule) {
      const detail = node.inputs.map((u) => `[${u.shape}]`).join(',');
      node.backward = (g: Tensor) => timed('backward', node.opName, detail, () => rule(g));
    }
    stack.push(...node.inputs);
  }
}

const c = getCompiled(model, 'profile');
const data = synthetic(which === 'cifar' ? 'cifar' : 'resnet20', batch);
const xs = st.tensor(data.xs as Float32Array, data.shape);
const ys = st.tensor(data.labels, [batch], 'int32');
const weights = model.trainableWeights;
model.predict(xs.slice([0, 0, 0, 0], [1, 32, 32, 3]));

function step(): void {
  st.tidy(() => {
    const forward = (): Tensor => {
      const preds = model.execute(xs, { training: true });
      const loss = timed('forward', 'loss', '', () => batchLoss(model, c, [ys], preds));
      if (measuring) timeBackward(loss);
      return loss;
    };
    const { value, grads } = variableGrads(forward, weights);
    timed('optimizer', 'adam', `${weights.length} tensors`, () => c.optimizer.applyGradients(weights.map((v): [Variable, Tensor] => [v, grads[v.name]])));
    for (const v of weights) grads[v.name].dispose();
    value.dataSync();
    value.dispose();
  });
}

step();
step();
measuring = true;
let stepWall = 0, stepCpu = 0;
for (let s = 0; s < steps; s++) {
  const w = performance.now(), u = cpuNow();
  step();
  stepWall += performance.now() - w;
  stepCpu += cpuNow() - u;
}
measuring = false;

const per = (v: number) => (v / steps).toFixed(2).padStart(8);
const stepMs = stepWall / steps;
console.log(`${which}, batch ${batch}, ${threads} thread(s), ${st.getWasmSimd()} SIMD: step ${stepMs.toFixed(1)} ms wall ` +
  `(${(batch / stepMs * 1000).toFixed(0)} samples/s), ${(stepCpu / steps).toFixed(1)} ms CPU; mean of ${steps} steps`);
const byKind = new Map<string, { wall: number; cpu: number }>();
let timedWall = 0;
for (const e of table.values()) {
  const k = `${e.phase.padEnd(9)} ${e.kind}`;
  const a = byKind.get(k) ?? { wall: 0, cpu: 0 };
  a.wall += e.wall;
  a.cpu += e.cpu;
  byKind.set(k, a);
  timedWall += e.wall;
}
const share = (v: number) => `${((v / stepWall) * 100).toFixed(1).padStart(5)}%`;
console.log('\nby op kind: wall ms/step, CPU ms/step, share of the step\n');
for (const [k, a] of [...byKind].sort((x, y) => y[1].wall - x[1].wall)) console.log(`${per(a.wall)} ${per(a.cpu)} ${share(a.wall)}  ${k}`);
console.log(`${per(stepWall - timedWall)} ${''.padStart(8)} ${share(stepWall - timedWall)}  between (untimed)`);
console.log('\nby op and shape (largest first): wall ms/step, CPU ms/step, share, calls/step\n');
for (const e of [...table.entries()].sort((x, y) => y[1].wall - x[1].wall).slice(0, Number(flag('--top', '40')))) {
  const [phase, kind, detail] = e[0].split('|');
  console.log(`${per(e[1].wall)} ${per(e[1].cpu)} ${share(e[1].wall)} ${String(e[1].calls / steps).padStart(3)}  ${phase} ${kind} ${detail}`);
}
