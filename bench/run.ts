/**
 * `npm run bench [-- --quick] [-- --only gemm,conv] [-- --systems striate-js,tfjs-cpu] [-- --rounds 3]`: runs every
 * system on every workload, each pair in its own child process (so peak RSS, thread pools and JIT
 * state never mix), then prints one table and writes bench/results.json; with --rounds N the whole
 * run N times over, each figure the median of its rounds. Never part of the tests.
 * `npm run bench -- --backend webgpu [--quick] [--dawn]` runs the GPU comparison instead (bench/webgpu.ts).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExtras, splitExtras } from './extras.js';
import { chosenSimd } from '../src/backend/wasm/module.js';
import { DEFAULT_DATA_DIR, METRICS, WORKLOADS, medianTable, plan, type Metric, type Results, type Workload } from './common.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
/** `--rounds N`: run the whole matrix N times and report each figure's median (noisy hosts) */
const roundCount = Number(arg('--rounds') ?? '1');
if (!Number.isInteger(roundCount) || roundCount < 1) {
  throw new Error(`--rounds: expected a positive integer, got "${arg('--rounds')}"`);
}
// ---- issue 19: `--backend webgpu` runs bench/webgpu.ts (striate's webgpu backend against tfjs-backend-webgpu) ----
const backendArg = arg('--backend');
if (backendArg !== undefined && backendArg !== 'webgpu') {
  throw new Error(`--backend: expected webgpu (the CPU systems all run without --backend), got "${backendArg}"`);
}
if (backendArg === 'webgpu') {
  const { parseWebgpuOptions, runWebgpuBench } = await import('./webgpu.js');
  const { failed } = await runWebgpuBench(parseWebgpuOptions(argv));
  process.exit(failed ? 1 : 0);
}
// ---- end of issue 19 ----
const dataDir = arg('--data') ?? DEFAULT_DATA_DIR;
// ---- issue 18 extras (bench2): ResNet-50 vs onnxruntime-web and fashion32 parity, see bench/extras.ts ----
const { rest: onlyRest, extras } = splitExtras(arg('--only')?.split(','));
const only = onlyRest as Workload[] | undefined;
// ---- end of issue 18 extras ----
for (const w of only ?? []) {
  if (!WORKLOADS.includes(w)) throw new Error(`--only: unknown workload "${w}"; known: ${WORKLOADS.join(', ')}`);
}
const allThreads = cpus().length;

interface System {
  id: string;
  label: string;
  command: string[];
  workloads: Workload[];
  /** the 1-thread columns measure speed only, so they skip the long accuracy runs */
  accuracy: boolean;
  peer: boolean;
  /** workloads this system leaves out, with the reason (shown as n/a in the table) */
  notRun?: Partial<Record<Workload, string>>;
}

// the children get this process's node flags too, so `node --experimental-wasm-relaxed-simd
// dist/bench/run.js` measures the relaxed-SIMD build on Node 20 (Node >= 22 has it by default)
const node = (script: string, ...rest: string[]) =>
  [process.execPath, ...process.execArgv.filter((a) => a !== '--expose-gc'), '--expose-gc', join(here, script), ...rest];
const everything: Workload[] = ['gemm', 'conv', 'cnn', 'lenet', 'mlp', 'infer'];
/** issue 18's wider workloads (bench/wide_workloads.ts): striate and PyTorch at 1 and all threads */
const wide: Workload[] = ['cifar', 'resnet20', 'lstm', 'gru', 'textcnn', 'convtable'];
/** Why TensorFlow.js sits out most of the wider workloads (each seen in a --quick run on the 2-core machine). */
const tfjsNotRun = (backend: 'cpu' | 'wasm'): Partial<Record<Workload, string>> => ({
  ...(backend === 'cpu' ? { cifar: 'n/a: too slow (tfjs-cpu\'s conv filter gradients take tens of seconds per batch of 64)' } : {}),
  resnet20: 'n/a: too slow to train here (and batch norm on top of the conv gradients)',
  lstm: backend === 'cpu' ? 'n/a: too slow (3 batches did not finish in 150 s)'
    : 'n/a: tfjs-wasm has no UnsortedSegmentSum kernel (the embedding\'s gradient)',
  gru: 'n/a: tfjs-layers\' GRU has no resetAfter (PyTorch\'s GRU form)',
  textcnn: backend === 'cpu' ? 'n/a: too slow (3 batches did not finish in 200 s)'
    : 'n/a: tfjs-wasm has no UnsortedSegmentSum kernel (the embedding\'s gradient)',
  convtable: 'n/a: the conv row above compares tfjs\'s convolutions; left out of the per-layer table to keep the run short',
});

function systems(python: string | undefined): System[] {
  const list: System[] = [
    { id: 'striate-wasm', label: `striate wasm ${allThreads}t`, command: node('striate.js', '--backend', 'wasm', '--threads', String(allThreads)), workloads: [...everything, 'rss10', 'zoo', ...wide], accuracy: true, peer: false },
    { id: 'striate-wasm-1t', label: 'striate wasm 1t', command: node('striate.js', '--backend', 'wasm', '--threads', '1'), workloads: [...everything, ...wide], accuracy: false, peer: false },
    // the reference backend is slow (~150 CNN samples/s); its runs are time-bounded like everyone's
    { id: 'striate-js', label: 'striate js', command: node('striate.js', '--backend', 'js'), workloads: everything, accuracy: false, peer: false },
    { id: 'tfjs-cpu', label: 'tfjs-cpu', command: node('tfjs.js', '--backend', 'cpu'), workloads: everything, accuracy: true, peer: true, notRun: tfjsNotRun('cpu') },
    { id: 'tfjs-wasm', label: 'tfjs-wasm 1t', command: node('tfjs.js', '--backend', 'wasm'), workloads: [...everything, 'cifar'], accuracy: true, peer: true, notRun: tfjsNotRun('wasm') },
  ];
  if (python) {
    const torch = (threads: number) => [python, join(repoRoot, 'bench', 'peers', 'torch_bench.py'), '--threads', String(threads),
      '--plan', JSON.stringify(plan(quick))];
    list.push({ id: 'torch', label: `torch ${allThreads}t`, command: torch(allThreads), workloads: [...everything, ...wide], accuracy: true, peer: true });
    if (allThreads > 1) {
      list.push({ id: 'torch-1t', label: 'torch 1t', command: torch(1), workloads: [...everything, ...wide], accuracy: false, peer: true });
    }
  }
  const chosen = arg('--systems')?.split(',');
  return chosen ? list.filter((s) => chosen.includes(s.id)) : list;
}

/** The first Python that can import torch, and its torch version. */
function findTorch(): { python: string; version: string } | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return undefined;
}

/** Runs one system on one workload in a child process; its results, or a note on why none came. */
function runChild(system: System, workload: Workload): Results {
  const args = [...system.command.slice(1), '--workload', workload, '--data', dataDir];
  if (quick) args.push('--quick');
  if (!system.accuracy) args.push('--no-accuracy');
  const timeoutSeconds = quick ? 120 : 480;
  const started = Date.now();
  process.stderr.write(`[${system.label}] ${workload} ... `);
  const r = spawnSync(system.command[0], args, {
    encoding: 'utf8', timeout: timeoutSeconds * 1000, maxBuffer: 16 * 1024 * 1024, cwd: repoRoot,
  });
  process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') {
    return { error: { value: null, note: `timeout (${timeoutSeconds} s)` } };
  }
  const last = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (!last) {
    const why = (r.stderr || String(r.error ?? '')).trim().split('\n').slice(-3).join(' | ').slice(0, 300);
    return { error: { value: null, note: `failed (exit ${r.status}): ${why}` } };
  }
  return (JSON.parse(last) as { results: Results }).results;
}

function format(m: Metric | undefined): string {
  if (!m) return '';
  if (m.value === null) return (m.note ?? 'n/a').split(/[:(]/)[0].trim();
  const v = m.value;
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(3);
}

/** striate (all threads, or js when wasm did not run) against the best peer; > 1 means striate is better. */
function ratio(key: string, table: Record<string, Results>, list: System[]): string {
  const spec = METRICS.find((m) => m.key === key)!;
  if (spec.noRatio) return '';
  const mine = table['striate-wasm']?.[key]?.value ?? table['striate-js']?.[key]?.value;
  const fallback = table['striate-wasm']?.[key]?.value == null && mine != null ? ' (js)' : '';
  const peers = list.filter((s) => s.peer).map((s) => table[s.id]?.[key]?.value).filter((v): v is number => v != null);
  if (mine == null || peers.length === 0) return '';
  const best = spec.better === 'higher' ? Math.max(...peers) : Math.min(...peers);
  if (spec.unit === '%') return `${mine - best >= 0 ? '+' : ''}${(mine - best).toFixed(1)} pts${fallback}`;
  const r = spec.better === 'higher' ? mine / best : best / mine;
  return `${r.toPrecision(2)}x${fallback}`;
}

/** How much faster `many` (all threads) runs than `one` (1 thread) on a speed row: issue 18's threads column. */
function speedUp(key: string, table: Record<string, Results>, many: string, one: string): string {
  const spec = METRICS.find((m) => m.key === key)!;
  if (!['samples/s', 'GFLOP/s', 'ms'].includes(spec.unit)) return '';
  const a = table[many]?.[key]?.value, b = table[one]?.[key]?.value;
  if (a == null || b == null || a <= 0 || b <= 0) return '';
  return `${(spec.better === 'higher' ? a / b : b / a).toFixed(2)}x`;
}

function printTable(table: Record<string, Results>, list: System[], workloads: Workload[]): void {
  const ids = new Set(list.map((s) => s.id));
  const pairs = ([['striate-wasm', 'striate-wasm-1t', 'wasm'], ['torch', 'torch-1t', 'torch']] as const)
    .filter(([many, one]) => ids.has(many) && ids.has(one));
  const header = ['workload', 'unit', ...list.map((s) => s.label), 'striate/best peer',
    ...pairs.map(([, , name]) => `${name} ${allThreads}t/1t`)];
  const rows = METRICS.filter((m) => workloads.includes(m.workload))
    .map((m) => [m.label, m.unit, ...list.map((s) => format(table[s.id]?.[m.key] ?? table[s.id]?.[`error:${m.workload}`])),
      ratio(m.key, table, list), ...pairs.map(([many, one]) => speedUp(m.key, table, many, one))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  console.log('\nratio: striate wasm all threads (or js, marked) over the best of the peers (tfjs-cpu, tfjs-wasm, torch at all threads and at 1);');
  console.log('> 1 is striate ahead; Nt/1t: the same system at all threads over 1 thread (> 1: threads pay).');
  console.log('"% of GEMM": each system\'s conv layer against its own GEMM 1024^3 at the same threads, in the same process;');
  console.log('accuracy rows give the difference in percentage points. Notes:');
  const seen = new Set<string>();
  for (const s of list) {
    for (const [key, m] of Object.entries(table[s.id] ?? {})) {
      const text = `  ${s.label} ${key}: ${m.note}`;
      if (m.note && !seen.has(text)) {
        seen.add(text);
        console.log(text);
      }
    }
  }
}

function main(): void {
  // ---- issue 18 extras (bench2): run what --only names of them; only those when nothing else is named ----
  runExtras(extras, here, quick);
  if (extras.length > 0 && only!.length === 0) return;
  // ---- end of issue 18 extras ----
  const torch = findTorch();
  const list = systems(torch?.python);
  const workloads = only ?? [...WORKLOADS];
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const machine = {
    cpu, cores: allThreads, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform,
    torch: torch ? `${torch.version} (${torch.python})` : 'not installed',
  };
  console.log(`striate bench${quick ? ' --quick' : ''}: ${cpu}, ${allThreads} cores, ${machine.memoryGB} GB, Node ${process.version}, ` +
    `torch ${machine.torch}; data ${dataDir}; striate's wasm build: ${chosenSimd()} SIMD`);
  const rounds: Record<string, Results>[] = [];
  for (let round = 0; round < roundCount; round++) {
    if (roundCount > 1) process.stderr.write(`round ${round + 1} of ${roundCount}\n`);
    rounds.push(runRound(list, workloads));
  }
  const table = roundCount > 1 ? medianTable(rounds) : rounds[0];
  console.log('');
  printTable(table, list, workloads);
  const out = join(repoRoot, 'bench', 'results.json');
  writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), quick, rounds: roundCount, machine, systems: list.map(({ id, label }) => ({ id, label })), results: table }, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}

/** Every system on every workload once, each pair in its own child process. */
function runRound(list: System[], workloads: Workload[]): Record<string, Results> {
  const table: Record<string, Results> = {};
  for (const system of list) {
    const results: Results = (table[system.id] = {});
    let missing: Metric | undefined;
    for (const workload of workloads) {
      const reason = system.notRun?.[workload];
      if (reason && !system.workloads.includes(workload)) {
        results[`error:${workload}`] = { value: null, note: reason };
        continue;
      }
      if (!system.workloads.includes(workload)) continue;
      // a system that is not there at all (e.g. no wasm backend yet) need not be asked again
      const got = missing ? { error: missing } : runChild(system, workload);
      const { error, ...metrics } = got;
      Object.assign(results, metrics);
      if (error) results[`error:${workload}`] = error;
      if (error?.note?.startsWith('n/a')) missing = error;
    }
    // the workloads only the all-threads striate column runs fall to the js column when wasm is missing
    if (system.id === 'striate-wasm' && missing) {
      const js = list.find((s) => s.id === 'striate-js');
      // (a Set: every round of --rounds comes here again)
      if (js) js.workloads = [...new Set([...js.workloads, ...(['rss10', 'zoo'] as const).filter((w) => workloads.includes(w))])];
    }
  }
  return table;
}

main();
