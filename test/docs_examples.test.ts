/**
 * Runs every example in the API reference: each ```ts block after an `@example` tag in a doc
 * comment under src/ is transpiled and run with `st` bound to the built library, as a reader
 * would run it after `import * as st from 'striate'`. A failure names the file, the function the
 * comment documents and the error, so a stale example is found the day its function changes.
 *
 * A block fenced ```ts browser needs what only a browser has (a camera, the DOM, localStorage):
 * it is transpiled, so a syntax error fails here, but not run. docs_coverage.test.ts checks that
 * every public function has one or the other.
 * DOCS_EXAMPLES_FILTER=text runs only the examples whose file or function name contains text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as st from '../src/index.js';

/** the repository root: this file runs from dist/test/ */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Example { file: string; line: number; name: string; code: string; browser: boolean }

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'assembly') out.push(...sourceFiles(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(full);
    }
  }
  return out;
}

/** The name declared right after a doc comment: a function, const, class, method or object property. */
function declaredName(after: string): string {
  const line = after.replace(/^\s+/, '').split('\n')[0];
  const m = /^(?:export\s+)?(?:declare\s+)?(?:default\s+)?(?:async\s+)?function\*?\s+(\w+)/.exec(line)
    ?? /^(?:export\s+)?(?:const|let|var)\s+(\w+)/.exec(line)
    ?? /^(?:export\s+)?(?:abstract\s+)?class\s+(\w+)/.exec(line)
    ?? /^(?:(?:public|protected|static|override|readonly|async|get|set)\s+)*['"]?([\w$]+)['"]?\s*[?]?[:(=<]/.exec(line);
  return m ? m[1] : `(${line.slice(0, 40)})`;
}

/** the opening fence of an example: ```ts, or ```ts browser for one that is parsed but not run */
const FENCE = /^```(ts|typescript)(\s+browser)?\s*$/;

function examplesIn(file: string): Example[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: Example[] = [];
  const comment = /\/\*\*[\s\S]*?\*\//g;
  for (let c = comment.exec(text); c; c = comment.exec(text)) {
    const body = c[0].split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''));
    const name = declaredName(text.slice(c.index + c[0].length));
    const startLine = text.slice(0, c.index).split('\n').length;
    for (let i = 0; i < body.length; i++) {
      if (!/^@example\b/.test(body[i].trim())) continue;
      const open = body.findIndex((l, k) => k > i && FENCE.test(l.trim()));
      if (open < 0) continue;
      const browser = FENCE.exec(body[open].trim())![2] !== undefined;
      const close = body.findIndex((l, k) => k > open && l.trim() === '```');
      if (close < 0) continue;
      const code = body.slice(open + 1, close).filter((l) => !/^import\s.*from\s+['"]striate['"]/.test(l.trim())).join('\n');
      out.push({ file: path.relative(root, file), line: startLine + open + 1, name, code, browser });
      i = close;
    }
  }
  return out;
}

const filter = process.env.DOCS_EXAMPLES_FILTER;
const all = sourceFiles(path.join(root, 'src')).flatMap(examplesIn)
  .filter((e) => !filter || e.file.includes(filter) || e.name.includes(filter));
const examples = all.filter((e) => !e.browser);
const browserOnly = all.filter((e) => e.browser);
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (st: unknown) => Promise<unknown>;
const quiet = ['log', 'info', 'warn', 'error', 'table', 'debug'] as const;

type ExampleBody = (st: unknown) => Promise<unknown>;
const OPTIONS: ts.TranspileOptions = {
  compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  reportDiagnostics: true,
};

function firstError(out: ts.TranspileOutput): string | undefined {
  const error = (out.diagnostics ?? []).find((d) => d.category === ts.DiagnosticCategory.Error);
  return error && ts.flattenDiagnosticMessageText(error.messageText, ' ');
}

function transpile(example: Example): string {
  const out = ts.transpileModule(example.code, OPTIONS);
  const error = firstError(out);
  if (error) throw new Error(`does not parse: ${error}`);
  return out.outputText.replace(/^export \{\};?\s*$/m, '');
}

/**
 * Every example as a function of `st`, transpiled together: one transpileModule call costs about
 * as much as hundreds of small ones, and was most of this test's time when each example had its
 * own. Each example stays in a function of its own, as when run one by one. If any example does
 * not parse, the batch is dropped and each is transpiled alone, so the failure names its example.
 */
function compileAll(list: Example[]): (() => ExampleBody)[] {
  const one = (example: Example) => () => new AsyncFunction('st', transpile(example));
  const source = list.map((e, i) => `__examples[${i}] = async (st: any) => {\n${e.code}\n};`).join('\n');
  const out = ts.transpileModule(`const __examples: any[] = [];\n${source}`, OPTIONS);
  if (firstError(out) !== undefined) return list.map(one);
  let bodies: ExampleBody[];
  try {
    bodies = new Function(`${out.outputText.replace(/^export \{\};?\s*$/m, '')}\nreturn __examples;`)();
  } catch {
    return list.map(one);
  }
  return bodies.length === list.length ? bodies.map((body) => () => body) : list.map(one);
}

async function run(compile: () => ExampleBody): Promise<void> {
  const body = compile();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('did not finish within 10 s')), 10_000);
  });
  try {
    await Promise.race([body(st), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

test('the doc comments hold the examples (at least a few hundred)', () => {
  if (!filter) assert.ok(examples.length >= 300, `found only ${examples.length} @example blocks under src/`);
});

test('every @example in src/ runs without throwing', async (t) => {
  const failures: string[] = [];
  const took: [number, Example][] = [];
  const saved = quiet.map((k) => console[k]);
  for (const k of quiet) console[k] = () => {};
  try {
    const compiled = compileAll(examples);
    for (const [i, example] of examples.entries()) {
      const start = performance.now();
      try {
        await run(compiled[i]);
      } catch (e) {
        failures.push(`${example.file}:${example.line} ${example.name}: ${(e as Error)?.message ?? e}`);
      }
      took.push([performance.now() - start, example]);
    }
  } finally {
    quiet.forEach((k, i) => { console[k] = saved[i] as never; });
  }
  // the slowest, so that the test stays quick: an example shows a call, it need not train for long
  took.sort((a, b) => b[0] - a[0]);
  t.diagnostic(`${examples.length} examples; slowest: ${took.slice(0, 8).map(([ms, e]) => `${e.file}:${e.line} ${e.name} ${Math.round(ms)} ms`).join(', ')}`);
  assert.deepEqual(failures, [], `${failures.length} of ${examples.length} examples failed:\n${failures.join('\n')}`);
});

test('every ```ts browser example parses (they are not run: they need a browser)', () => {
  const failures: string[] = [];
  for (const example of browserOnly) {
    try {
      transpile(example);
    } catch (e) {
      failures.push(`${example.file}:${example.line} ${example.name}: ${(e as Error).message}`);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${browserOnly.length} browser examples do not parse:\n${failures.join('\n')}`);
});
