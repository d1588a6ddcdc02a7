/**
 * GFLOP/s of the WGSL tiled GEMM (src/backend/webgpu/kernels/gemm.ts) on whatever WebGPU
 * adapter is found: `node dist/bench/webgpu_gemm.js [--sizes 256,1024] [--reps 5] [--dawn]`.
 * By default it runs in headless Chromium (STRIATE_CHROMIUM or /usr/bin/chromium, through
 * playwright-core), which falls back to SwiftShader where there is no GPU: SwiftShader is a
 * CPU emulation of a GPU, so its figures say nothing about a real GPU. `--dawn` uses Node's
 * `webgpu` package (Dawn) instead. Each figure: `reps` dispatches in one submission, timed
 * from submit to onSubmittedWorkDone, after one warm-up submission; median of 3.
 */
import { existsSync } from 'node:fs';
import { matMulKernel } from '../src/backend/webgpu/kernels/gemm.js';
import { flag } from './quick.js';

interface Job { code: string; uniforms: number[]; workgroups: number[]; m: number; n: number; k: number; reps: number }

/** Runs in the page or in Node with a WebGPU `gpu` object; returns ms per dispatch (3 samples). */
async function timeGemm(gpuObj: unknown, job: Job): Promise<{ adapter: string; ms: number[] } | { error: string }> {
  const gpu = (gpuObj ?? (navigator as any).gpu) as any;
  if (!gpu) return { error: 'no navigator.gpu' };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { error: 'no WebGPU adapter' };
  const device = await adapter.requestDevice();
  const U = (globalThis as any).GPUBufferUsage;
  const module = device.createShaderModule({ code: job.code });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const buf = (floats: number, usage: number) => device.createBuffer({ size: Math.max(16, floats * 4), usage });
  const a = buf(job.m * job.k, U.STORAGE | U.COPY_DST);
  const b = buf(job.k * job.n, U.STORAGE | U.COPY_DST);
  const fill = (n: number) => { const v = new Float32Array(n); for (let i = 0; i < n; i++) v[i] = ((i * 7919) % 1000) / 1000 - 0.5; return v; };
  device.queue.writeBuffer(a, 0, fill(job.m * job.k));
  device.queue.writeBuffer(b, 0, fill(job.k * job.n));
  const out = buf(job.m * job.n, U.STORAGE);
  const u = device.createBuffer({ size: job.uniforms.length, usage: U.UNIFORM | U.COPY_DST });
  device.queue.writeBuffer(u, 0, new Uint8Array(job.uniforms));
  const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0),
    entries: [a, b, out, u].map((buffer, binding) => ({ binding, resource: { buffer } })) });
  const run = async (reps: number) => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    for (let r = 0; r < reps; r++) pass.dispatchWorkgroups(job.workgroups[0], job.workgroups[1], job.workgroups[2]);
    pass.end();
    const t0 = performance.now();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  };
  await run(1);
  const ms: number[] = [];
  for (let i = 0; i < 3; i++) ms.push((await run(job.reps)) / job.reps);
  const info = adapter.info ?? {};
  device.destroy();
  return { adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter', ms };
}

const sizes = flag('--sizes', '256,1024').split(',').map(Number);
const reps = Number(flag('--reps', '5'));
const useDawn = process.argv.includes('--dawn');
const chromiumPath = [process.env.STRIATE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
  .find((p): p is string => !!p && existsSync(p));

let evaluate: (job: Job) => Promise<Awaited<ReturnType<typeof timeGemm>>>;
let close = async () => {};
if (useDawn || !chromiumPath) {
  const mod = await import('webgpu' as string) as { create: (o: string[]) => unknown; globals: object };
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]);
  evaluate = (job) => timeGemm(gpu, job);
} else {
  const { chromium } = await import('playwright-core');
  const http = await import('node:http');
  const server = http.createServer((_, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html>'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  // a real GPU first; where Chromium finds none, its SwiftShader adapter
  const open = async (swiftshader: boolean) => {
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true,
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', ...(swiftshader ? ['--use-webgpu-adapter=swiftshader'] : [])] });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    // the page needs timeGemm's source
    await page.addScriptTag({ content: `window.timeGemm = ${timeGemm.toString()};` });
    return { browser, page };
  };
  let { browser, page } = await open(false);
  const hasAdapter = await page.evaluate(async () => !!(await (navigator as any).gpu?.requestAdapter()));
  if (!hasAdapter) {
    await browser.close();
    ({ browser, page } = await open(true));
  }
  evaluate = (job) => page.evaluate((j) => (window as any).timeGemm(null, j), job);
  close = async () => { await browser.close(); server.close(); };
}

for (const n of sizes) {
  const k = matMulKernel({ aShape: [n, n], bShape: [n, n], transposeA: false, transposeB: false });
  const r = await evaluate({ code: k.code, uniforms: Array.from(new Uint8Array(k.uniforms)), workgroups: [...k.workgroups], m: n, n, k: n, reps });
  if ('error' in r) { console.log(`GEMM ${n}^3: ${r.error}`); break; }
  const sorted = [...r.ms].sort((x, y) => x - y);
  const med = sorted[1];
  const sw = /swiftshader/i.test(r.adapter) ? ' [SwiftShader: a CPU emulation, not a GPU]' : '';
  console.log(`GEMM ${n}^3 on ${r.adapter}${sw} (${useDawn || !chromiumPath ? 'Dawn in Node' : 'headless Chromium'}): ` +
    `${(2 * n ** 3 / (med / 1000) / 1e9).toFixed(2)} GFLOP/s (median ${med.toFixed(1)} ms per dispatch, best ${(2 * n ** 3 / (sorted[0] / 1000) / 1e9).toFixed(2)})`);
}
await close();
process.exit(0);
