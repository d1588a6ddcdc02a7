/**
 * The optimizer steps of the webgpu backend: Adam, SGD with momentum and RMSprop in one pass over
 * the parameters, the state buffers updated in place on the GPU and new storage for the
 * parameters, so a training step reads nothing back. The operations are those of the op-by-op
 * formulas (src/optim/optimizers.ts), in the same order, as the wasm kernels do.
 */
import type { DataId, TensorInfo } from '../types.js';
import { sizeFromShape } from '../shape_util.js';
import type { GpuData } from './buffers.js';
import { elementFrame, grid } from './elementwise.js';
import type { WebGpuBackend } from './backend.js';

const DECLARE = (states: number) => `@group(0) @binding(0) var<storage, read> P: array<f32>;
@group(0) @binding(1) var<storage, read> G: array<f32>;
${Array.from({ length: states }, (_, k) => `@group(0) @binding(${2 + k}) var<storage, read_write> S${k}: array<f32>;`).join('\n')}
@group(0) @binding(${2 + states}) var<storage, read_write> Y: array<f32>;
struct U { n: u32, a: f32, b: f32, c: f32, d: f32 }
@group(0) @binding(${3 + states}) var<uniform> u: U;`;

// m += (g - m) c1; v += (g² - v) c2; p - m alpha / (sqrt(v) + eps)   (a alpha, b c1, c c2, d eps)
const ADAM = elementFrame(DECLARE(2), `  let g = G[i];
  let m = S0[i] + (g - S0[i]) * u.b;
  let v = S1[i] + (g * g - S1[i]) * u.c;
  S0[i] = m;
  S1[i] = v;
  Y[i] = P[i] - (m * u.a) / (sqrt(v) + u.d);`, 'u.n');

// s = s momentum - g lr; p + s   (a lr, b momentum)
const SGD_MOMENTUM = elementFrame(DECLARE(1), `  let s = S0[i] * u.b - G[i] * u.a;
  S0[i] = s;
  Y[i] = P[i] + s;`, 'u.n');

// s = s rho + g² (1 - rho); p - g lr / sqrt(s + eps)   (a lr, b rho, c 1 - rho, d eps)
const RMSPROP = elementFrame(DECLARE(1), `  let g = G[i];
  let s = S0[i] * u.b + g * g * u.c;
  S0[i] = s;
  Y[i] = P[i] - (g * u.a) / sqrt(s + u.d);`, 'u.n');

function uniforms(n: number, reals: readonly number[]): ArrayBuffer {
  const buf = new ArrayBuffer(32);
  new Uint32Array(buf, 0, 1)[0] = n;
  new Float32Array(buf, 4, 4).set(reals);
  return buf;
}

/**
 * The step on the GPU; null (the optimizer then composes ops) for another dtype or a state whose
 * storage something else also reads (it is overwritten here).
 */
function step(be: WebGpuBackend, code: string, p: TensorInfo, g: TensorInfo, states: readonly TensorInfo[],
              reals: readonly number[]): DataId | null {
  if ([p, g, ...states].some((t) => t.dtype !== 'float32')) return null;
  const ds = states.map((s) => s.dataId as GpuData);
  if (ds.some((d) => !d.live || d.refs !== 1 || d.id < 0)) return null;
  const n = sizeFromShape(p.shape);
  const out = be.allocFloat32(n);
  if (n === 0) return out;
  // their values change on the GPU: a copy kept in JavaScript is stale now
  for (const d of ds) d.cpu = null;
  be.run(code, [p.dataId as GpuData, g.dataId as GpuData, ...ds, out], grid(n), uniforms(n, reals));
  return out;
}

export const optimizerKernels = {
  adamUpdate(this: WebGpuBackend, p: TensorInfo, g: TensorInfo, m: TensorInfo, v: TensorInfo,
             alpha: number, beta1: number, beta2: number, epsilon: number): DataId | null {
    return step(this, ADAM, p, g, [m, v], [alpha, 1 - beta1, 1 - beta2, epsilon]);
  },

  sgdRmspropUpdate(this: WebGpuBackend, kind: 'sgdMomentum' | 'rmsprop', p: TensorInfo, g: TensorInfo, s: TensorInfo,
                   lr: number, a: number, b: number): DataId | null {
    return kind === 'sgdMomentum' ? step(this, SGD_MOMENTUM, p, g, [s], [lr, a, 0, 0])
      : step(this, RMSPROP, p, g, [s], [lr, a, 1 - a, b]);
  },
};
