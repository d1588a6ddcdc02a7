/**
 * `npm run bench -- --backend webgpu [--quick] [--only gemm,cifar,resnet20,cnn] [--sizes 1024,4096]
 * [--dawn] [--systems striate,tfjs] [--batch B] [--batches N] [--epochs E] [--job-timeout S] [--out FILE] [--swiftshader]`:
 * striate's webgpu backend against @tensorflow/tfjs-backend-webgpu on the same GPU, in the same browser (headless Chromium through
 * playwright-core, each job in a fresh worker of a cross-origin isolated page served from
 * 127.0.0.1) or, with `--dawn`, in Node on the `webgpu` package (each job in a child process).
 * Jobs: training of the CIFAR-style convnet, ResNet-20 and the digit CNN (bench/webgpu_workloads.ts,
 * synthetic learnable images, batch 64 (--quick: 16), Adam 1e-3), and GEMM n^3. Checks: the two GEMMs agree
 * with a float64 product on 64 sampled entries, and each library's training loss falls.
 * Where Chromium finds no GPU it runs on SwiftShader (a CPU emulating a GPU), and says so.
 * Never part of the tests (test/bench/webgpu_bench.test.ts only checks that a tiny job runs).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { fp32Peak } from './gpu_peaks.js';
import { gemmSampleIndices, gemmValue, runJob, type GemmResult, type Job, type JobResult, type TrainNet, type TrainResult } from './webgpu_workloads.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');
type System = 'striate' | 'tfjs';
const LABEL: Record<System, string> = { striate: 'striate webgpu', tfjs: 'tfjs-webgpu 4.22' };
const NETS: Record<TrainNet, string> = { cifar: 'CIFAR-style convnet', resnet20: 'ResNet-20', cnn: 'digit CNN' };

export interface WebgpuBenchOptions {
  quick: boolean;
  dawn: boolean;
  only: string[];
  sizes: number[];
  systems: System[];
  batches: number;
  epochs: number;
  /** seconds one job may take before it is reported as timed out */
  jobTimeout: number;
  /** batch size of the training jobs */
  batch: number;
  /** where the results go as JSON (null: nowhere, as in the test) */
  out: string | null;
  /** SwiftShader even where Chromium would find a GPU (one browser start instead of two: the test) */
  swiftshader: boolean;
}

export function parseWebgpuOptions(argv: string[]): WebgpuBenchOptions {
  const arg = (name: string) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const quick = argv.includes('--quick');
  const only = arg('--only')?.split(',') ?? ['gemm', 'cifar', 'resnet20', 'cnn'];
  for (const w of only) {
    if (!['gemm', 'cifar', 'resnet20', 'cnn'].includes(w)) throw new Error(`--only: unknown webgpu workload "${w}"; known: gemm, cifar, resnet20, cnn`);
  }
  const systems = (arg('--systems')?.split(',') ?? ['striate', 'tfjs']) as System[];
  for (const s of systems) if (!(s in LABEL)) throw new Error(`--systems: unknown "${s}" for --backend webgpu; known: striate, tfjs`);
  return {
    quick, dawn: argv.includes('--dawn'), only, systems,
    // GEMM 4096^3 on SwiftShader takes minutes per call: --quick keeps to 1024
    sizes: (arg('--sizes') ?? (quick ? '1024' : '1024,4096')).split(',').map(Number),
    batches: Number(arg('--batches') ?? (quick ? 2 : 10)),
    epochs: Number(arg('--epochs') ?? (quick ? 2 : 3)),
    jobTimeout: Number(arg('--job-timeout') ?? (quick ? 600 : 1200)),
    // SwiftShader trains the CIFAR convnet at a few samples a second: --quick keeps a run to minutes
    batch: Number(arg('--batch') ?? (quick ? 16 : 64)),
    out: arg('--out') ?? path.join(repo, 'bench', 'results-webgpu.json'),
    swiftshader: argv.includes('--swiftshader'),
  };
}

function jobs(o: WebgpuBenchOptions): Job[] {
  const list: Job[] = [];
  for (const net of ['cifar', 'resnet20', 'cnn'] as const) {
    if (o.only.includes(net)) list.push({ kind: 'train', net, batch: o.batch, batches: o.batches, epochs: o.epochs });
  }
  if (o.only.includes('gemm')) for (const n of o.sizes) list.push({ kind: 'gemm', n, blockSeconds: o.quick ? 0.3 : 1 });
  return list;
}

/** Where the jobs run: a function that runs one job of one system, the adapter in words, and a close. */
interface Runner { adapter: string; where: string; run(system: System, job: Job): Promise<JobResult>; close(): Promise<void> }

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html' };
const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' };

/**
 * The page's worker (a classic worker: it can importScripts TensorFlow.js' UMD bundles and
 * import() striate's ES modules). One job per worker, so each starts with a fresh GPU device.
 */
const WORKER_SOURCE = `
self.onmessage = async (e) => {
  const { system, job } = e.data;
  try {
    let lib;
    if (system === 'tfjs') {
      importScripts('/node_modules/@tensorflow/tfjs/dist/tf.min.js', '/node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js');
      if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not start its webgpu backend');
      lib = tf;
    } else {
      const st = await import('/dist/src/browser.js');
      await st.ready();
      await st.setBackend('webgpu');
      lib = st;
    }
    const { runJob } = await import('/dist/bench/webgpu_workloads.js');
    postMessage({ result: await runJob(lib, system, job) });
  } catch (err) {
    postMessage({ error: String((err && err.stack) || err) });
  }
};`;

function serve(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/') return void res.writeHead(200, { ...ISOLATED, 'content-type': 'text/html' }).end('<!doctype html><title>webgpu bench</title>');
    if (url.pathname === '/worker.js') return void res.writeHead(200, { ...ISOLATED, 'content-type': 'text/javascript' }).end(WORKER_SOURCE);
    const file = path.join(repo, path.normalize(url.pathname));
    const allowed = [path.join(repo, 'dist'), path.join(repo, 'node_modules', '@tensorflow')].some((d) => file.startsWith(d + path.sep));
    if (!allowed || !fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { ...ISOLATED, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export function findChromium(): string | undefined {
  return [process.env.STRIATE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
    .find((p): p is string => !!p && fs.existsSync(p));
}

async function browserRunner(o: WebgpuBenchOptions): Promise<Runner> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no chromium binary for --backend webgpu (apt-get install chromium, or set STRIATE_CHROMIUM; --dawn runs in Node)');
  const { chromium } = await import('playwright-core');
  const server = await serve();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  // a real GPU first; where Chromium finds none, its SwiftShader adapter
  const open = async (swiftshader: boolean) => {
    const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--enable-unsafe-webgpu',
      '--enable-webgpu-developer-features', '--enable-unsafe-swiftshader', ...(swiftshader ? ['--use-webgpu-adapter=swiftshader'] : [])] });
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    await page.goto(url);
    const adapter = await page.evaluate(async () => {
      const a = await (navigator as any).gpu?.requestAdapter({ powerPreference: 'high-performance' });
      if (!a) return null;
      const i = a.info ?? {};
      return [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' ') || 'unnamed adapter';
    });
    return { browser, page, adapter };
  };
  let b = await open(o.swiftshader);
  if (!b.adapter && !o.swiftshader) {
    await b.browser.close();
    b = await open(true);
  }
  if (!b.adapter) throw new Error('headless Chromium found no WebGPU adapter, not even SwiftShader');
  const { browser, page } = b;
  if (!(await page.evaluate(() => crossOriginIsolated))) throw new Error('the bench page is not cross-origin isolated (striate trains in a worker that needs it)');
  return {
    adapter: b.adapter,
    where: `headless Chromium ${browser.version()}`,
    run: (system, job) => page.evaluate(async ({ system, job, timeout }) => {
      const worker = new Worker('/worker.js');
      try {
        return await new Promise<any>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`timeout (${timeout} s)`)), timeout * 1000);
          worker.onmessage = (e) => { clearTimeout(timer); e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.result); };
          worker.onerror = (e) => { clearTimeout(timer); reject(new Error(`worker error: ${e.message}`)); };
          worker.postMessage({ system, job });
        });
      } finally {
        worker.terminate();
      }
    }, { system, job, timeout: o.jobTimeout }),
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** Node with Dawn: each job in a child process (`--child`), as run.ts runs its systems. */
async function dawnRunner(o: WebgpuBenchOptions): Promise<Runner> {
  const probe = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child-adapter'], { encoding: 'utf8', timeout: 60_000 });
  const adapter = probe.stdout.trim().split('\n').pop();
  if (probe.status !== 0 || !adapter) throw new Error(`Dawn found no GPU adapter: ${(probe.stderr || '').trim().split('\n').slice(-2).join(' | ')}`);
  return {
    adapter, where: `Node ${process.version} with Dawn (the webgpu package)`,
    async run(system, job) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', system, JSON.stringify(job)],
        { encoding: 'utf8', timeout: o.jobTimeout * 1000, maxBuffer: 64 * 2 ** 20 });
      if (r.error) throw new Error((r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `timeout (${o.jobTimeout} s)` : String(r.error));
      const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (r.status !== 0 || !line) throw new Error(`exit ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      return JSON.parse(line) as JobResult;
    },
    async close() {},
  };
}

/** In a child process: the library on Dawn, ready for a job. */
async function dawnLib(system: System): Promise<any> {
  if (system === 'striate') {
    const st = await import('../src/index.js');
    await st.setBackend('webgpu');
    return st;
  }
  const gpu = await import('webgpu' as string) as { create(o: string[]): unknown; globals: object };
  Object.assign(globalThis, gpu.globals);
  // tfjs-backend-webgpu looks for navigator.gpu (Node 20 has no navigator)
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: gpu.create([]), userAgent: 'node' }, configurable: true });
  const core = await import('@tensorflow/tfjs-core');
  const layers = await import('@tensorflow/tfjs-layers');
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await core.setBackend('webgpu'))) throw new Error('tfjs could not start its webgpu backend on Dawn');
  return { ...core, ...layers };
}

/** Max |got - want| over the sampled entries, and whether each is within float32 accumulation error. */
function checkGemm(n: number, sample: number[]): { maxError: number; ok: boolean } {
  let maxError = 0, ok = sample.length === 64;
  gemmSampleIndices(n).forEach((idx, s) => {
    const row = Math.floor(idx / n), col = idx % n;
    let want = 0, scale = 0;
    for (let k = 0; k < n; k++) {
      const p = gemmValue(row * n + k, 'a') * gemmValue(k * n + col, 'b');
      want += p;
      scale += Math.abs(p);
    }
    const err = Math.abs(sample[s] - want);
    maxError = Math.max(maxError, err);
    // float32 inputs (rounded from these values) and float32 sums: 1e-4 of the sum of |products| is generous yet catches any wrong tile
    if (!(err <= 1e-4 * scale + 1e-6)) ok = false;
  });
  return { maxError, ok };
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toPrecision(3));

export async function runWebgpuBench(o: WebgpuBenchOptions): Promise<{
  failed: boolean; adapter: string; results: Record<string, Partial<Record<System, JobResult | { error: string }>>>;
}> {
  const runner = o.dawn ? await dawnRunner(o) : await browserRunner(o);
  const swiftshader = /swiftshader/i.test(runner.adapter);
  console.log(`striate bench --backend webgpu${o.quick ? ' --quick' : ''}: ${runner.where}, adapter: ${runner.adapter}`);
  if (swiftshader) {
    console.log('NOTE: this adapter is SwiftShader, a CPU emulating a GPU: no real GPU was available, and these figures say');
    console.log('nothing about either library on a GPU (they measure how each one\'s shaders run on an emulator).');
  }
  const rows: string[][] = [];
  const notes: string[] = [];
  const record: Record<string, Partial<Record<System, JobResult | { error: string }>>> = {};
  let failed = false;
  for (const job of jobs(o)) {
    const name = job.kind === 'gemm' ? `GEMM ${job.n}^3` : `${NETS[job.net]} training`;
    const got: Partial<Record<System, JobResult>> = {};
    record[name] = {};
    for (const system of o.systems) {
      const started = Date.now();
      process.stderr.write(`[${LABEL[system]}] ${name} ... `);
      try {
        got[system] = await runner.run(system, job);
        record[name][system] = got[system];
      } catch (e) {
        const msg = (e as Error).message.split('\n')[0].slice(0, 300);
        record[name][system] = { error: msg };
        notes.push(`${LABEL[system]} ${name}: failed: ${msg}`);
        failed = true;
      }
      process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
    const value = (r: JobResult | undefined) => (r ? (r.kind === 'gemm' ? r.gflops : r.samplesPerSecond) : undefined);
    const cells = o.systems.map((s) => { const v = value(got[s]); return v === undefined ? 'failed' : fmt(v); });
    const a = value(got.striate), b = value(got.tfjs);
    const ratio = a !== undefined && b !== undefined ? `${(a / b).toPrecision(3)}x` : '';
    const checks: string[] = [];
    for (const s of o.systems) {
      const r = got[s];
      if (!r) continue;
      if (r.kind === 'gemm') {
        const c = checkGemm(job.kind === 'gemm' ? job.n : 0, r.sample);
        checks.push(`${s} ${c.ok ? 'ok' : 'WRONG'} (max err ${c.maxError.toExponential(1)})`);
        if (!c.ok) failed = true;
      } else {
        const t = r as TrainResult;
        // the timed epochs see the same samples, so their losses must fall; with one epoch, below the warm-up batch's
        const last = t.epochLosses[t.epochLosses.length - 1];
        const falls = Number.isFinite(last) && last < (t.epochLosses.length > 1 ? t.epochLosses[0] : t.warmupLoss);
        checks.push(`${s} loss ${t.warmupLoss.toFixed(3)} -> ${t.epochLosses.map((l) => l.toFixed(3)).join(' -> ')} ${falls ? 'falls' : 'DOES NOT FALL'}`);
        if (!falls) failed = true;
      }
      if (s === 'striate' && r.fallbacks?.length) notes.push(`striate ${name}: ops on the reference kernel after a readback: ${r.fallbacks.join(', ')}`);
    }
    if (got.striate?.kind === 'gemm' && got.tfjs?.kind === 'gemm') {
      const diff = Math.max(...(got.striate as GemmResult).sample.map((v, i) => Math.abs(v - (got.tfjs as GemmResult).sample[i])));
      checks.push(`striate vs tfjs max diff ${diff.toExponential(1)}`);
    }
    const unit = job.kind === 'gemm' ? 'GFLOP/s' : 'samples/s';
    rows.push([name, unit, ...cells, ratio, checks.join('; ')]);
    const first = got.striate ?? got.tfjs;
    if (first?.kind === 'train') notes.push(`${name}: batch ${o.batch}, ${job.kind === 'train' ? `${job.batches} batches x ${job.epochs} epochs timed after one warm-up batch` : ''}`);
    if (first?.kind === 'gemm') notes.push(`${name}: median of 3 blocks of ${o.systems.map((s) => `${(got[s] as GemmResult | undefined)?.reps ?? '?'} (${s})`).join(', ')} calls, each block ending with a 1-element readback`);
    if (job.kind === 'gemm' && job.n === 4096 && !swiftshader) {
      const peak = fp32Peak(runner.adapter);
      if (!peak) notes.push(`GEMM 4096^3: the fp32 peak of "${runner.adapter}" is not in bench/gpu_peaks.ts, so no share of peak is given`);
      else for (const s of o.systems) {
        const v = value(got[s]);
        if (v !== undefined) notes.push(`GEMM 4096^3 ${LABEL[s]}: ${(100 * v / 1000 / peak.tflops).toFixed(1)}% of the ${peak.name}'s fp32 peak (${peak.tflops} TFLOP/s)`);
      }
    }
    if (job.kind === 'gemm' && job.n === 4096 && swiftshader) notes.push('GEMM 4096^3: no share of peak on SwiftShader (it is not a GPU)');
  }
  await runner.close();
  const header = ['workload', 'unit', ...o.systems.map((s) => LABEL[s]), 'striate/tfjs', 'checks'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  console.log('');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  console.log('\nstriate/tfjs > 1: striate faster. Notes:');
  for (const n of notes) console.log(`  ${n}`);
  if (o.out) {
    fs.writeFileSync(o.out, `${JSON.stringify({ date: new Date().toISOString(), options: o, where: runner.where, adapter: runner.adapter, swiftshader, results: record }, null, 2)}\n`);
    console.log(`\nwrote ${o.out}`);
  }
  if (failed) console.log('SOME CHECKS FAILED (see above)');
  return { failed, adapter: runner.adapter, results: record };
}

const argv = process.argv.slice(2);
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (argv[0] === '--child-adapter') {
    const gpu = await import('webgpu' as string) as { create(o: string[]): any; globals: object };
    const a = await gpu.create([]).requestAdapter({ powerPreference: 'high-performance' });
    if (!a) { console.error('Dawn found no GPU adapter'); process.exit(1); }
    const i = a.info ?? {};
    console.log([i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' ') || 'unnamed adapter');
    process.exit(0);
  } else if (argv[0] === '--child') {
    const system = argv[1] as System;
    const result = await runJob(await dawnLib(system), system, JSON.parse(argv[2]) as Job);
    console.log(JSON.stringify(result));
    process.exit(0);
  } else {
    const { failed } = await runWebgpuBench(parseWebgpuOptions(argv));
    process.exit(failed ? 1 : 0);
  }
}
