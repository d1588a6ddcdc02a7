/**
 * Test files in headless Chromium on WebGPU (SwiftShader where there is no GPU): a server on
 * 127.0.0.1 for dist/ with the headers of a cross-origin isolated page (so the library's worker
 * can wait for GPU reads: dataSync() works there), which serves the compiled test files with
 * their `node:test` / `node:assert/strict` imports pointed at shim/ and `src/index.js` at the
 * browser entry; and `runInChromium`, which runs files there (suite_worker.ts) and reports each
 * case as a subtest of the calling node:test test.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { chromium, repo, WEBGPU_FLAGS } from './browser_helpers.js';
import type { CaseResult } from './suite_worker.js';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };
const SHIMS = '/dist/test/web/shim';

/** A compiled test file made loadable in a browser (see the file's comment). */
function forBrowser(source: string): string {
  return source
    .replace(/(from\s+|import\s*\(\s*)(['"])node:test\2/g, `$1'${SHIMS}/node_test.js'`)
    .replace(/(from\s+|import\s*\(\s*)(['"])node:assert(\/strict)?\2/g, `$1'${SHIMS}/assert.js'`)
    .replace(/(['"])((?:\.\.\/)+src)\/index\.js\1/g, '$1$2/browser.js$1');
}

export async function startGpuServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin' };
    if (url.pathname === '/') {
      res.writeHead(200, { ...headers, 'content-type': 'text/html' }).end('<!doctype html><title>striate webgpu suite</title>');
      return;
    }
    const file = path.join(repo, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(path.join(repo, 'dist')) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return void res.writeHead(404, headers).end();
    }
    let body: Buffer | string = fs.readFileSync(file);
    if (file.startsWith(path.join(repo, 'dist', 'test')) && file.endsWith('.js')) body = forBrowser(body.toString());
    res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/**
 * CPU seconds used so far by the descendants of this process (the browsers it started; Linux
 * /proc, 0 elsewhere): what a browser run costs whatever the machine's load, which wall time
 * under load does not say.
 */
export function childCpuSeconds(): number {
  const root = process.pid;
  if (!fs.existsSync('/proc/self/stat')) return 0;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // the command name is in parentheses and may hold spaces: the fields after it
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // the process ended meanwhile
    }
  }
  let ticks = 0;
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (pid !== root) ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) pending.push(child);
  }
  return ticks / 100;
}

export interface PageRun {
  /** CPU seconds of the browser's processes for the run (see childCpuSeconds) */
  browserCpuSeconds: number;
  cases: CaseResult[];
  report: { backend: string; adapter?: string; fallbacks: string[] };
  memory: Record<string, unknown>;
}

/**
 * Runs `files` (paths under dist/test) in a worker of a Chromium page on `backend`, each case
 * as a subtest of `t` (`args` go to the case modules' registerCases). Resolves to the results, or null when the test was skipped (no chromium,
 * or the backend did not start there: the reason is printed and given to t.skip).
 */
export async function runInChromium(t: TestContext, backend: string, files: string[],
  { timeoutMs = 120_000, args = [] }: { timeoutMs?: number; args?: unknown[] } = {}): Promise<PageRun | null> {
  if (!chromium) {
    const reason = 'no chromium binary (apt-get install chromium, or set STRIATE_CHROMIUM)';
    console.log(`skipped: ${reason}`);
    t.skip(reason);
    return null;
  }
  const server = await startGpuServer();
  const { chromium: driver } = await import('playwright-core');
  const browser = await driver.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', ...WEBGPU_FLAGS] });
  let browserCpu = 0;
  let outcome: { skip?: string; error?: string; cases: CaseResult[]; report?: PageRun['report']; memory?: PageRun['memory'] };
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    outcome = await page.evaluate(async ({ backend, files, timeoutMs, args }) => {
      if (!crossOriginIsolated) return { error: 'the page is not cross-origin isolated', cases: [] };
      const worker = new Worker('/dist/test/web/suite_worker.js', { type: 'module' });
      const cases: unknown[] = [];
      return await new Promise<Record<string, unknown>>((resolve) => {
        const timer = setTimeout(() => resolve({ error: `the page's run did not finish within ${timeoutMs} ms`, cases }), timeoutMs);
        const finish = (r: Record<string, unknown>): void => { clearTimeout(timer); worker.terminate(); resolve({ ...r, cases }); };
        worker.onerror = (e) => finish({ error: `the suite worker failed: ${e.message}` });
        worker.onmessage = ({ data }) => {
          if (data.kind === 'case') cases.push(data);
          else if (data.kind === 'skip') finish({ skip: data.reason });
          else if (data.kind === 'error') finish({ error: data.message });
          else if (data.kind === 'done') finish({ report: data.report, memory: data.memory });
        };
        worker.postMessage({ backend, files, args });
      });
    }, { backend, files, timeoutMs, args }) as typeof outcome;
    if (errors.length) outcome.error = `${outcome.error ?? ''} page errors: ${errors.join('; ')}`;
    browserCpu = childCpuSeconds();
  } finally {
    await browser.close();
    await server.close();
  }
  for (const c of outcome.cases) {
    await t.test(`${c.file}: ${c.name}`, (sub) => {
      sub.diagnostic(`${Math.round(c.ms)} ms in the page`);
      for (const d of c.diagnostics) sub.diagnostic(d);
      if (c.status === 'skip') return sub.skip(c.message);
      if (c.status === 'fail') throw new Error(`in Chromium on ${backend}: ${c.message}`);
    });
  }
  if (outcome.skip !== undefined) {
    const reason = `the ${backend} backend did not start in chromium: ${outcome.skip}`;
    console.log(`skipped: ${reason}`);
    t.skip(reason);
    return null;
  }
  if (outcome.error !== undefined) throw new Error(`in Chromium on ${backend}: ${outcome.error}`);
  console.log(`chromium used ${browserCpu.toFixed(1)} CPU seconds for ${files.join(', ')} on ${backend}`);
  return { browserCpuSeconds: browserCpu, cases: outcome.cases, report: outcome.report!, memory: outcome.memory! };
}
