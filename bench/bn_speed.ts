/**
 * (bn speed area, issue 18) Training-mode batch normalisation at ResNet-20's shapes against the
 * machine's streaming bandwidth: `node dist/bench/bn_speed.js [--threads N] [--reps R]`.
 *
 * For each of ResNet-20's three activation shapes (batch 64: [64,32,32,16], [64,16,16,32],
 * [64,8,8,64], 4, 2 and 1 MB of float32) it times, median of R calls after two warm-ups, wall and
 * CPU ms (the whole process, the pool's workers included):
 *   copy   st.neg(x): one read and one write of the tensor, the stream a kernel cannot beat;
 *   add    st.add(x, z): two reads and a write (the residual Add);
 *   bn     batchNormTraining(x, gamma, beta, 1e-3, act) forward, act linear and relu, and relu
 *          with a residual z added (a residual block's batch norm + Add + relu), and that as
 *          three ops (batch norm, st.add, st.relu: what a tree without the fusion runs);
 *   bwd    the same with its gradients from a given dy, minus the forward's time.
 * GB/s per CPU second counts the tensors the op's passes read and write, 4 bytes an element:
 * copy 2, add 3, bn forward 3 (statistics read x; normalising reads x, writes y), 4 with the
 * residual; bn backward 5 (sums read dy and x; dx reads both and writes dx), 7 with relu (y read
 * twice for the mask), 8 with the residual (relu's mask of dy first: read dy, y, write g; then 5).
 */
import * as st from '../src/index.js';
import { flag, timeCalls } from './quick.js';

st.setBackend('wasm');
const threads = Number(flag('--threads', '2'));
st.setNumThreads(threads);
const reps = Number(flag('--reps', '15'));

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const u = (shape: number[], seed: number) => st.randomUniform(shape, -1, 1, 'float32', seed);
// the wasm backend runs each op when it is called: disposing is enough (a read-back would add
// a copy of its own to every figure)
const done = (ts: st.Tensor[]) => ts.forEach((t) => t.dispose());

async function time(body: () => void): Promise<{ wall: number; cpu: number }> {
  body();
  body();
  const r = await timeCalls(body, reps);
  return { wall: median(r.wall), cpu: median(r.cpu) };
}

console.log(`bn_speed: wasm, ${threads} thread(s), ${process.env.STRIATE_WASM_SIMD ?? 'default'} SIMD, median of ${reps}`);
console.log('   wall ms    CPU ms   GB/s per CPU s  op');
for (const shape of [[64, 32, 32, 16], [64, 16, 16, 32], [64, 8, 8, 64]]) {
  const c = shape[3];
  const x = u(shape, 1), z = u(shape, 2), dy = u(shape, 3);
  const gamma = st.add(u([c], 4), 1.5), beta = u([c], 5);
  const mb = (x.size * 4) / 1e6;
  const line = (name: string, t: { wall: number; cpu: number }, tensors: number) =>
    console.log(`${t.wall.toFixed(3).padStart(10)}${t.cpu.toFixed(3).padStart(10)}${((tensors * mb) / t.cpu).toFixed(2).padStart(17)}  ${name} [${shape}]`);
  line('copy (neg)', await time(() => done([st.neg(x)])), 2);
  line('add', await time(() => done([st.add(x, z)])), 3);
  for (const [act, res] of [['linear', null], ['relu', null], ['relu', z]] as const) {
    const name = `${act}${res ? ' + residual' : ''}`;
    const fwd = await time(() => {
      const r = st.batchNormTraining(x, gamma, beta, 1e-3, act, res);
      done([r.y, r.mean, r.variance]);
    });
    line(`bn forward ${name}`, fwd, res ? 4 : 3);
    // z among the differentiated inputs only when it is used (an unused one gets a zero gradient)
    const both = await time(() => done(st.grads((a, g, b, r) => st.batchNormTraining(a, g, b, 1e-3, act, r ?? null).y)(
      res ? [x, gamma, beta, z] : [x, gamma, beta], dy)));
    line(`bn backward ${name} (fwd+bwd minus fwd)`, { wall: both.wall - fwd.wall, cpu: both.cpu - fwd.cpu }, res ? 8 : act === 'relu' ? 7 : 5);
  }
  {
    // the same as three ops (what a tree without the residual argument runs): batch norm, Add, relu
    const f = (a: st.Tensor, g: st.Tensor, b: st.Tensor, r: st.Tensor) => st.relu(st.add(r, st.batchNormTraining(a, g, b, 1e-3).y));
    const fwd = await time(() => done([f(x, gamma, beta, z)]));
    line('bn forward, Add, relu as three ops', fwd, 7);
    const both = await time(() => done(st.grads(f)([x, gamma, beta, z], dy)));
    line('their backward (fwd+bwd minus fwd)', { wall: both.wall - fwd.wall, cpu: both.cpu - fwd.cpu }, 8);
  }
  for (const t of [x, z, dy, gamma, beta]) t.dispose();
}
