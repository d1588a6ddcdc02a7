/**
 * The webgpu backend in a browser: headless Chromium with WebGPU on SwiftShader runs a small chain
 * of ops on `navigator.gpu` (element-wise, softmax, movement, and conv2d, max pooling, matMul and
 * a filter gradient through them) in a page served from 127.0.0.1 (the compiled library as ES modules)
 * and compares it with the js backend in the same page; dataSync() on GPU values says to await
 * data(). Skipped, with the reason, where chromium is missing or its WebGPU finds no adapter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, repo } from './browser_helpers.js';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

test('webgpu in chromium: a chain of ops on the GPU agrees with js, dataSync asks for data()', async (t) => {
  if (!chromium) return t.skip('no chromium binary (apt-get install chromium, or set STRIATE_CHROMIUM)');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>webgpu</title>');
      return;
    }
    const file = path.join(repo, path.normalize(url.pathname));
    if (!file.startsWith(path.join(repo, 'dist')) || !fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { chromium: driver } = await import('playwright-core');
  const browser = await driver.launch({ executablePath: chromium, headless: true,
    args: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const result = await page.evaluate(async () => {
      const st = await import('/dist/src/browser.js' as string);
      await st.ready();
      const chain = async (): Promise<number[]> => {
        const x = st.tensor2d([[1, -2, 3.5], [0.25, 5, -6]]);
        const y = st.softmax(st.mul(st.relu(st.add(x, st.tensor1d([0.5, 1, -1]))), 0.3));
        const z = st.concat([st.transpose(y), st.sum(x, 0).reshape([3, 1])], 1);
        // the heavy kernels: conv2d, max pooling, matMul and a gradient through them (no readback)
        // (values made in JavaScript: WGSL's sin and cos are allowed an absolute error of 2^-11)
        const values = (n: number, step: number) => Array.from({ length: n }, (_, i) => Math.sin(i * step));
        const img = st.tensor(values(2 * 5 * 5 * 2, 0.05), [2, 5, 5, 2]);
        const filter = st.tensor(values(3 * 3 * 2 * 3, 0.7), [3, 3, 2, 3]);
        const head = st.tensor(values(12 * 2, 0.2), [12, 2]);
        const net = (f: unknown) => st.sum(st.square(st.matMul(st.reshape(st.maxPool(st.conv2d(img, f, 1, 'same'), 2, 2, 'valid'), [2, 12]), head)));
        const dFilter = st.grad(net)(filter);
        const heavy = st.concat([st.reshape(net(filter), [1]), st.reshape(dFilter, [-1])]);
        return [...Array.from(await z.data() as Float32Array), ...Array.from(await heavy.data() as Float32Array)];
      };
      try {
        await st.setBackend('webgpu');
      } catch (e) {
        return { skip: (e as Error).message };
      }
      const gpu = await chain();
      let syncMessage = '';
      try {
        st.exp(st.tensor1d([1])).dataSync();
      } catch (e) {
        syncMessage = (e as Error).message;
      }
      const report = st.backendReport();
      await st.setBackend('js');
      return { gpu, js: await chain(), syncMessage, report };
    });
    if ('skip' in result) return t.skip(`chromium's WebGPU did not start: ${result.skip}`);
    assert.equal(result.report.backend, 'webgpu');
    assert.deepEqual(result.report.fallbacks, [], 'every op of the chain ran on the GPU');
    assert.match(result.syncMessage, /await t\.data\(\)/);
    assert.equal(result.gpu.length, result.js.length);
    result.js.forEach((v: number, i: number) => assert.ok(Math.abs(result.gpu[i] - v) < 1e-5 * Math.max(1, Math.abs(v)), `element ${i}: js ${v}, webgpu ${result.gpu[i]}`));
  } finally {
    await browser.close();
    server.close();
  }
});
