/**
 * This build against another in one process, rounds interleaved (js overhead area, issue 18):
 * `node dist/bench/overhead_ab.js --base DIR [--model mlp|cnn|lenet] [--threads N] [--rounds R]
 * [--steps S]`, DIR holding a copy of the other branch's dist (and a package.json and
 * node_modules beside it). Each round runs S trainOnBatch steps of bench/small_net.ts's model on
 * each build in turn; prints the medians per step of CPU, wall, wall in wasm tasks and wall
 * between them, and the median of the per-round CPU ratios (base / this). On a loaded machine
 * the CPU ratio is the figure to read: both builds see the same load, round by round.
 */
import { flag } from './quick.js';
import { median } from './common.js';

const base = flag('--base', '');
if (!base) throw new Error('overhead_ab: --base DIR (a copy of the other build: DIR/dist/src/index.js) is required');
const kind = flag('--model', 'mlp');
const threads = Number(flag('--threads', '1'));
const rounds = Number(flag('--rounds', '8'));
const steps = Number(flag('--steps', '20'));

interface Row { cpu: number; wall: number; kernels: number; between: number }
interface Side { name: string; activate(): void; step(): Promise<unknown>; kernelMs(): number; rows: Row[] }
const sides: Side[] = [];
for (const [name, src] of [['base', `${base}/dist`], ['this', new URL('..', import.meta.url).pathname]] as const) {
  const st = await import(`${src}/src/index.js`);
  const net = await import(`${src}/bench/small_net.js`);
  st.setBackend('wasm');
  st.setNumThreads(threads);
  const be = st.backend() as { run: (...a: unknown[]) => void };
  let inKernels = 0;
  const run = be.run.bind(be);
  be.run = (...a: unknown[]) => {
    const t = performance.now();
    run(...a);
    inKernels += performance.now() - t;
  };
  const model = net.smallModel(kind);
  const { xs, ys } = net.smallData(kind, net.smallBatch(kind));
  for (let i = 0; i < 30; i++) await model.trainOnBatch(xs, ys);
  sides.push({
    name, rows: [], activate: () => st.setBackend('wasm'), step: () => model.trainOnBatch(xs, ys),
    kernelMs: () => { const k = inKernels; inKernels = 0; return k; },
  });
}
for (let r = 0; r < rounds; r++) {
  for (const s of r % 2 ? [...sides].reverse() : sides) {
    s.activate();
    s.kernelMs();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await s.step();
    const wall = (performance.now() - t0) / steps;
    const d = process.cpuUsage(c0);
    const kernels = s.kernelMs() / steps;
    s.rows.push({ cpu: (d.user + d.system) / 1000 / steps, wall, kernels, between: wall - kernels });
  }
}
for (const s of sides) {
  const m = (k: keyof Row) => median(s.rows.map((row) => row[k])).toFixed(3);
  console.log(`${kind} ${threads}t ${s.name}: ${rounds} rounds x ${steps} steps, medians per step: CPU ${m('cpu')} ms, ` +
    `wall ${m('wall')}, in wasm tasks ${m('kernels')}, between ${m('between')}`);
}
const ratio = median(sides[0].rows.map((b, i) => b.cpu / sides[1].rows[i].cpu));
console.log(`${kind} ${threads}t: CPU per step base / this, median of the per-round ratios: ${ratio.toFixed(3)}`);
process.exit(0);
