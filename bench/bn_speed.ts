/**
 * (bn speed area, issue 18) Training-mode batch normalisation at ResNet-20's shapes against the
 * machine's streaming bandwidth: `node dist/bench/bn_speed.js [--threads N] [--reps R]`.
 *
 * For each of ResNet-20's three activation shapes (batch 64: [64,32,32,16], [64,16,16,32],
 * [64,8,8,64], 4, 2 and 1 MB of float32) it times, median of R calls after two warm-ups, wall and
 * CPU ms (the whole process, the pool's workers included):
 *   copy   st.neg(x): one read and one write of the tensor, the stream a kernel cannot beat;
 *   add    st.add(x, z): two reads and a write (the residual Add);
 *   bn     batchNormTraining(x, gamma, beta, 1e-3, act) forward, act linear and relu;
 *   bn+bwd the same with its gradients (x, gamma, beta) from a given dy; "bwd" = that minus bn.
 * GB/s per CPU second counts the bytes the op must move at least, one tensor per pass it needs:
 * copy 2, add 3, bn forward 3 (statistics read x, normalising reads x and writes y), bn backward
 * 5 with relu (sums read dy and y and x... see `passes` below) and 4 without.
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
  for (const act of ['linear', 'relu'] as const) {
    const fwd = await time(() => {
      const r = st.batchNormTraining(x, gamma, beta, 1e-3, act);
      done([r.y, r.mean, r.variance]);
    });
    line(`bn forward ${act}`, fwd, 3);
    const both = await time(() => done(st.grads((a, g, b) => st.batchNormTraining(a, g, b, 1e-3, act).y)([x, gamma, beta], dy)));
    // backward: sums read dy, x (and y for relu's mask); dx reads them again and writes dx
    const passes = act === 'relu' ? 7 : 5;
    line(`bn backward ${act} (fwd+bwd minus fwd)`, { wall: both.wall - fwd.wall, cpu: both.cpu - fwd.cpu }, passes);
  }
  for (const t of [x, z, dy, gamma, beta]) t.dispose();
}
