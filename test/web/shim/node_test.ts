/**
 * A stand-in for `node:test` in a browser (the suite worker, suite_worker.ts): the op suites'
 * files import `node:test` and the test server (gpu_server.ts) points that import here, so the
 * same files run in a page. `test(name, fn)` only records the case; the worker runs the recorded
 * cases one by one and reports each back to node:test.
 */
export interface CaseContext {
  readonly name: string;
  /** marks the case skipped (it still returns normally, as in node:test) */
  skip(reason?: string): void;
  diagnostic(message: string): void;
}

export interface Case {
  name: string;
  fn: (t: CaseContext) => unknown;
  /** skipped at registration (test.skip, or { skip } options) */
  skip?: string;
}

/** The cases recorded so far, in order (the worker takes them after importing each file). */
export const registered: Case[] = [];

type Fn = (t: CaseContext) => unknown;
type Options = { skip?: boolean | string; todo?: boolean | string; timeout?: number; concurrency?: number };

function test(name: string, optionsOrFn?: Options | Fn, maybeFn?: Fn): void {
  const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
  const options = typeof optionsOrFn === 'object' && optionsOrFn !== null ? optionsOrFn : {};
  if (!fn) throw new Error(`test "${name}": no function (the browser stand-in for node:test needs one)`);
  const skip = options.skip || options.todo;
  registered.push({ name, fn, ...(skip ? { skip: typeof skip === 'string' ? skip : 'skipped' } : {}) });
}
test.skip = (name: string, fn: Fn): void => test(name, { skip: true }, fn);
test.todo = (name: string, fn: Fn): void => test(name, { todo: true }, fn);
test.test = test;

export { test };
export default test;
