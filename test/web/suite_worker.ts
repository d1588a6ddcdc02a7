/**
 * Runs test files of this repository in a browser: a module Worker of a cross-origin isolated
 * page (where the webgpu backend can read synchronously, so dataSync() and arraySync() work as in
 * Node). The page sends { backend, files }; the worker starts the library, switches to `backend`
 * (or answers { kind: 'skip', reason } when it cannot start), imports each file (their `node:test`
 * and `node:assert/strict` imports point to shim/, see gpu_server.ts) and calls its
 * `registerCases()` where it has one (cases/), runs the cases the file recorded one by one, and answers each with { kind: 'case', ... }, then { kind: 'done' } with the
 * backend report and memory.
 */
import { registered, type Case } from './shim/node_test.js';

interface Request {
  backend: string;
  /** paths relative to dist/test, e.g. 'ops/core.test.js' */
  files: string[];
  /** passed to each case module's registerCases */
  args?: unknown[];
}

export interface CaseResult {
  kind: 'case';
  file: string;
  name: string;
  status: 'pass' | 'fail' | 'skip';
  message?: string;
  ms: number;
  diagnostics: string[];
}

const scope = globalThis as unknown as {
  onmessage: ((e: { data: Request }) => void) | null;
  postMessage(message: unknown): void;
};

async function runCase(file: string, c: Case): Promise<CaseResult> {
  const diagnostics: string[] = [];
  const started = performance.now();
  const result = (status: CaseResult['status'], message?: string): CaseResult =>
    ({ kind: 'case', file, name: c.name, status, ...(message ? { message } : {}), ms: performance.now() - started, diagnostics });
  if (c.skip) return result('skip', c.skip);
  let skipped: string | null = null;
  try {
    await c.fn({ name: c.name, skip: (reason?: string) => { skipped = reason ?? 'skipped'; }, diagnostic: (m: string) => { diagnostics.push(m); } });
  } catch (e) {
    const err = e as Error;
    return result('fail', `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}\n${err?.stack ?? ''}`);
  }
  return skipped !== null ? result('skip', skipped) : result('pass');
}

scope.onmessage = async ({ data }) => {
  try {
    const st = await import('../../src/browser.js');
    await st.ready();
    try {
      await st.setBackend(data.backend);
    } catch (e) {
      scope.postMessage({ kind: 'skip', reason: (e as Error).message });
      return;
    }
    for (const file of data.files) {
      const first = registered.length;
      const module = await import(new URL(`../${file}`, import.meta.url).href) as { registerCases?: (...args: unknown[]) => void };
      // case modules that are not test files of their own record their cases when asked
      module.registerCases?.(...(data.args ?? []));
      for (const c of registered.slice(first)) {
        // every case starts on the backend under test (a case may switch to compare)
        if (st.getBackend() !== data.backend) await st.setBackend(data.backend);
        scope.postMessage(await runCase(file, c));
      }
    }
    await st.setBackend(data.backend);
    scope.postMessage({ kind: 'done', report: st.backendReport(), memory: st.memory() });
  } catch (e) {
    scope.postMessage({ kind: 'error', message: `${(e as Error)?.message ?? e}\n${(e as Error)?.stack ?? ''}` });
  }
};
