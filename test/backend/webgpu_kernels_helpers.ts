/**
 * A small runner for the WGSL kernel tests only (the backend has its own buffer pool and
 * pipeline cache): finds a WebGPU device, runs one `WgslKernel` on float32 inputs and reads the
 * output back.
 *
 * On a machine without a GPU driver Dawn (the `webgpu` package) finds an adapter only through
 * Chromium's SwiftShader Vulkan driver, and only when VK_ICD_FILENAMES names it before Dawn
 * creates its Vulkan instance. Setting it in process.env before the package is first imported
 * is early enough (Node passes the assignment to the C environment).
 */
import { existsSync } from 'node:fs';
import type { WgslKernel } from '../../src/backend/webgpu/kernels/gemm.js';

// The WebGPU types come with the optional 'webgpu' package (@webgpu/types); this file must
// compile where it is not installed, so the few objects it touches are typed loosely.
/* eslint-disable @typescript-eslint/no-explicit-any */
type GPUDevice = any;
type GPU = any;
type GPUComputePipeline = any;
type GPUBuffer = any;
type GPUBindGroupEntry = any;
type GPUAdapterInfo = any;
declare const GPUBufferUsage: any;
declare const GPUMapMode: any;

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface GpuContext {
  device: GPUDevice | null;
  /** why there is no device (printed by the tests that skip) */
  reason: string;
  adapterName: string;
}

let context: Promise<GpuContext> | null = null;

async function acquire(): Promise<GpuContext> {
  if (typeof navigator !== 'undefined' && (navigator as { gpu?: GPU }).gpu) {
    const adapter = await (navigator as { gpu: GPU }).gpu.requestAdapter();
    if (adapter) return { device: await adapter.requestDevice(), reason: '', adapterName: 'navigator.gpu' };
  }
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    process.env.XDG_RUNTIME_DIR ??= '/tmp';
  }
  let mod: { create: (opts: string[]) => GPU; globals: object };
  try {
    mod = await import('webgpu' as string) as typeof mod;
  } catch (e) {
    return { device: null, reason: `the optional 'webgpu' package is not installed (${(e as Error).message})`, adapterName: '' };
  }
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]);
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    return {
      device: null, adapterName: '',
      reason: `Dawn found no WebGPU adapter (VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? 'unset'}; ` +
        `${existsSync(SWIFTSHADER_ICD) ? '' : `no ${SWIFTSHADER_ICD}; `}a GPU driver or Chromium's SwiftShader is needed)`,
    };
  }
  const info = adapter.info as GPUAdapterInfo | undefined;
  const adapterName = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ') || 'unnamed adapter';
  const device = await adapter.requestDevice();
  return { device, reason: '', adapterName };
}

/** The shared device of this test process (null with a reason when there is none). */
export function gpuContext(): Promise<GpuContext> {
  context ??= acquire();
  return context;
}

const pipelines = new Map<string, GPUComputePipeline>();

async function pipelineFor(device: GPUDevice, k: WgslKernel): Promise<GPUComputePipeline> {
  const cached = pipelines.get(k.key);
  if (cached) return cached;
  const module = device.createShaderModule({ code: k.code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m: { type: string }) => m.type === 'error');
  if (errors.length > 0) {
    const lines = k.code.split('\n');
    throw new Error(`${k.name} (${k.key}) does not compile:\n` +
      errors.map((m: { lineNum: number; message: string }) => `line ${m.lineNum}: ${m.message}\n  ${lines[m.lineNum - 1] ?? ''}`).join('\n'));
  }
  device.pushErrorScope('validation');
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: k.entryPoint } });
  const err = await device.popErrorScope();
  if (err) throw new Error(`${k.name} (${k.key}): pipeline: ${err.message}`);
  pipelines.set(k.key, pipeline);
  return pipeline;
}

/**
 * Runs `k` once with `inputs` bound in order to its read bindings; returns the output.
 * `repeat` dispatches it that many times in one submission (for timing).
 */
export async function runKernel(device: GPUDevice, k: WgslKernel, inputs: readonly Float32Array[], repeat = 1): Promise<Float32Array> {
  const reads = k.bindings.filter((b) => b.kind === 'read');
  if (reads.length !== inputs.length) {
    throw new Error(`${k.name}: ${reads.length} inputs expected (${reads.map((b) => b.name).join(', ')}), got ${inputs.length}`);
  }
  const pipeline = await pipelineFor(device, k);
  const created: GPUBuffer[] = [];
  const buffer = (size: number, usage: number) => {
    const b = device.createBuffer({ size: Math.max(16, Math.ceil(size / 16) * 16), usage });
    created.push(b);
    return b;
  };
  let next = 0;
  let out: GPUBuffer | null = null;
  const entries: GPUBindGroupEntry[] = k.bindings.map((b, binding) => {
    if (b.kind === 'read') {
      const data = inputs[next++];
      const buf = buffer(data.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
      device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
      return { binding, resource: { buffer: buf } };
    }
    if (b.kind === 'read_write') {
      out = buffer(k.outputSize * 4, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
      return { binding, resource: { buffer: out } };
    }
    const buf = buffer(k.uniforms.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    device.queue.writeBuffer(buf, 0, k.uniforms);
    return { binding, resource: { buffer: buf } };
  });
  if (!out) throw new Error(`${k.name}: no output binding`);
  const output: GPUBuffer = out;
  device.pushErrorScope('validation');
  const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  const staging = buffer(k.outputSize * 4, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  for (let r = 0; r < repeat; r++) pass.dispatchWorkgroups(...k.workgroups);
  pass.end();
  enc.copyBufferToBuffer(output, 0, staging, 0, Math.max(16, Math.ceil(k.outputSize * 4 / 16) * 16));
  device.queue.submit([enc.finish()]);
  const err = await device.popErrorScope();
  if (err) throw new Error(`${k.name} (${k.key}): ${err.message}`);
  await staging.mapAsync(GPUMapMode.READ);
  const result = new Float32Array(staging.getMappedRange().slice(0, k.outputSize * 4));
  staging.unmap();
  for (const b of created) b.destroy();
  return result;
}

/** Seeded uniform values in [-1, 1). */
export function randomValues(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** Asserts |got - want| <= tol * max(|want|, 1e-3) elementwise, naming the first bad element. */
export function assertClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-4): void {
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} values, expected ${want.length}`);
  let scale = 1e-3;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol * scale)) {
      throw new Error(`${what}: element ${i}: got ${got[i]}, expected ${want[i]} (tolerance ${tol} x ${scale})`);
    }
  }
}


// ---------------------------------------------------------------------------------------------
// Where the checks run. On this project's machines Dawn in Node (the `webgpu` package) on
// SwiftShader aborts the process in its own threads ("The futex facility returned an
// unexpected error code", std::system_error, SIGSEGV) on most dispatches of a 256-invocation
// shader, and on some of even a 4-invocation one, while headless Chromium, whose GPU process
// runs the same SwiftShader, runs them. So the tests run their kernels in a Chromium page where
// one is installed (STRIATE_CHROMIUM, /usr/bin/chromium...), and through Dawn in this process
// otherwise or when STRIATE_WGSL_RUNNER=dawn; with neither, they skip and print why.
// ---------------------------------------------------------------------------------------------

export interface KernelJob {
  kernel: WgslKernel;
  inputs: Float32Array[];
}

export type JobsResult =
  | { runner: string; outputs: (Float32Array | Error)[] }
  | { skip: string };

interface PageJob {
  name: string; key: string; code: string; entryPoint: string; workgroups: number[];
  uniforms: number[]; bindings: { kind: string }[]; outputSize: number; inputs: number[][];
}

/** Runs in the page (serialised by Playwright: no references outside its body). */
async function runInPage(jobs: PageJob[]): Promise<{ adapter: string; results: { out?: number[]; error?: string }[] } | { skip: string }> {
  const gpu = (navigator as any).gpu;
  if (!gpu) return { skip: 'this Chromium exposes no navigator.gpu' };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { skip: 'Chromium found no WebGPU adapter' };
  const device = await adapter.requestDevice();
  const U = (globalThis as any).GPUBufferUsage;
  const pipelines = new Map<string, any>();
  const results: { out?: number[]; error?: string }[] = [];
  for (const job of jobs) {
    try {
      let pipeline = pipelines.get(job.key);
      if (!pipeline) {
        const module = device.createShaderModule({ code: job.code });
        const info = await module.getCompilationInfo();
        const errs = info.messages.filter((m: any) => m.type === 'error');
        if (errs.length) {
          const lines = job.code.split('\n');
          throw new Error(`${job.name} (${job.key}) does not compile: ` + errs.map((m: any) => `line ${m.lineNum}: ${m.message}: ${lines[m.lineNum - 1]}`).join('; '));
        }
        device.pushErrorScope('validation');
        pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: job.entryPoint } });
        const e = await device.popErrorScope();
        if (e) throw new Error(`${job.name}: pipeline: ${e.message}`);
        pipelines.set(job.key, pipeline);
      }
      const made: any[] = [];
      const buffer = (bytes: number, usage: number) => {
        const b = device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage });
        made.push(b);
        return b;
      };
      let next = 0;
      let out: any = null;
      const entries = job.bindings.map((b, binding) => {
        if (b.kind === 'read') {
          const data = new Float32Array(job.inputs[next++]);
          const buf = buffer(data.byteLength, U.STORAGE | U.COPY_DST);
          device.queue.writeBuffer(buf, 0, data);
          return { binding, resource: { buffer: buf } };
        }
        if (b.kind === 'read_write') {
          out = buffer(job.outputSize * 4, U.STORAGE | U.COPY_SRC);
          return { binding, resource: { buffer: out } };
        }
        const buf = buffer(job.uniforms.length, U.UNIFORM | U.COPY_DST);
        device.queue.writeBuffer(buf, 0, new Uint8Array(job.uniforms));
        return { binding, resource: { buffer: buf } };
      });
      device.pushErrorScope('validation');
      const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
      const staging = buffer(job.outputSize * 4, U.MAP_READ | U.COPY_DST);
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(job.workgroups[0], job.workgroups[1], job.workgroups[2]);
      pass.end();
      enc.copyBufferToBuffer(out, 0, staging, 0, Math.max(16, Math.ceil(job.outputSize * 4 / 16) * 16));
      device.queue.submit([enc.finish()]);
      const e = await device.popErrorScope();
      if (e) throw new Error(`${job.name} (${job.key}): ${e.message}`);
      await staging.mapAsync((globalThis as any).GPUMapMode.READ);
      results.push({ out: Array.from(new Float32Array(staging.getMappedRange()).subarray(0, job.outputSize)) });
      staging.unmap();
      for (const b of made) b.destroy();
    } catch (e) {
      results.push({ error: String((e as Error).message ?? e) });
    }
  }
  const info = adapter.info ?? {};
  return { adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter', results };
}

function findChromium(): string | null {
  const candidates = [process.env.STRIATE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

async function runInChromium(executable: string, jobs: readonly KernelJob[]): Promise<JobsResult> {
  const { chromium } = await import('playwright-core');
  const http = await import('node:http');
  // WebGPU needs a secure context: a page from 127.0.0.1 is one
  const server = http.createServer((_, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><title>wgsl</title>'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({
    executablePath: executable, headless: true,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const payload: PageJob[] = jobs.map(({ kernel: k, inputs }) => ({
      name: k.name, key: k.key, code: k.code, entryPoint: k.entryPoint, workgroups: [...k.workgroups],
      uniforms: Array.from(new Uint8Array(k.uniforms)), bindings: k.bindings.map((b) => ({ kind: b.kind })),
      outputSize: k.outputSize, inputs: inputs.map((a) => Array.from(a)),
    }));
    const r = await page.evaluate(runInPage, payload);
    if ('skip' in r) return r;
    return {
      runner: `headless Chromium (${r.adapter})`,
      outputs: r.results.map((x) => (x.error !== undefined ? new Error(x.error) : Float32Array.from(x.out!))),
    };
  } finally {
    await browser.close();
    server.close();
  }
}

async function runInDawn(jobs: readonly KernelJob[]): Promise<JobsResult> {
  const ctx = await gpuContext();
  if (!ctx.device) return { skip: ctx.reason };
  const outputs: (Float32Array | Error)[] = [];
  for (const j of jobs) {
    try {
      outputs.push(await runKernel(ctx.device, j.kernel, j.inputs));
    } catch (e) {
      outputs.push(e as Error);
    }
  }
  return { runner: `Dawn in Node (${ctx.adapterName})`, outputs };
}

/** Runs every job once, on the runner described above; prints which ran them, or why none. */
export async function runJobs(jobs: readonly KernelJob[]): Promise<JobsResult> {
  const chromium = findChromium();
  let r: JobsResult;
  if (process.env.STRIATE_WGSL_RUNNER !== 'dawn' && chromium) r = await runInChromium(chromium, jobs);
  else r = await runInDawn(jobs);
  if ('skip' in r) console.log(`# webgpu kernel tests skipped: ${r.skip}`);
  else console.log(`# webgpu kernels ran on ${r.runner}`);
  return r;
}

export interface KernelCase extends KernelJob {
  name: string;
  expected: ArrayLike<number>;
  tol?: number;
  /** applied to the output before the comparison (e.g. summing split-K partial results) */
  post?: (out: Float32Array) => Float32Array;
}

/**
 * Runs all `cases` in one go (one browser), then registers one node:test test per case that
 * compares its output (or skips, with the printed reason, where no WebGPU was found).
 */
export async function kernelTests(cases: readonly KernelCase[]): Promise<void> {
  const test = (await import('node:test')).default;
  const r = await runJobs(cases);
  cases.forEach((c, i) => {
    test(c.name, { skip: 'skip' in r ? r.skip : false }, () => {
      if ('skip' in r) return;
      const out = r.outputs[i];
      if (out instanceof Error) throw out;
      assertClose(c.name, c.post ? c.post(out) : out, c.expected, c.tol ?? 1e-5);
    });
  });
}
