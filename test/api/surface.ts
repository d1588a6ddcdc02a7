/**
 * TensorFlow.js' public surface, read from the real packages (tfjs-core, tfjs-layers, tfjs-data
 * 4.22, devDependencies), and what of it striate lacks: names (top-level exports, one level into
 * namespaces, the methods of the public classes) and, through the TypeScript declarations of both
 * sides, functions whose parameter lists differ (fewer parameters than TensorFlow.js', or more
 * required ones).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

/** One public name of TensorFlow.js: where it lives there and where striate must have it. */
export interface ApiName {
  /** as users write it after `tf.`: 'image.resizeBilinear', 'Tensor#buffer', 'data.csv' */
  name: string;
  /** the package it comes from */
  from: 'core' | 'layers' | 'data';
  kind: 'function' | 'class' | 'namespace' | 'value' | 'method';
}

// namespaces of tfjs-core that hold helpers for backend and kernel writers, not for users:
// looked into only if the documented left-out list does not name them whole
const CLASS_METHODS_OF: Record<string, string[]> = {
  core: ['Tensor', 'Variable', 'TensorBuffer', 'Optimizer'],
  layers: ['LayersModel', 'Sequential', 'SymbolicTensor', 'History', 'CallbackList'],
  data: ['Dataset', 'CSVDataset'],
};

function isClass(v: unknown): v is { prototype: object; name: string } {
  return typeof v === 'function' && /^[A-Z]/.test((v as { name: string }).name ?? '') &&
    Object.getOwnPropertyNames((v as { prototype?: object }).prototype ?? {}).length > 1;
}

function isPlainObject(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Every method name on a prototype chain, up to (not including) Object.prototype. */
export function methodNames(cls: { prototype: object }): string[] {
  const names = new Set<string>();
  for (let p: object | null = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) if (n !== 'constructor' && !n.startsWith('_')) names.add(n);
  }
  return [...names];
}

/** The Tensor methods TensorFlow.js' chained ops add (`x.add(y)`), read from their declarations. */
function chainedMethods(): string[] {
  const dir = path.join(root, 'node_modules/@tensorflow/tfjs-core/dist/public/chained_ops');
  const names = new Set<string>();
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.d.ts'))) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    for (const m of text.matchAll(/^ {8}(\w+)\s*[<(]/gm)) names.add(m[1]);
  }
  return [...names];
}

export interface Packages { core: Record<string, unknown>; layers: Record<string, unknown>; data: Record<string, unknown> }

export function tfjsPackages(): Packages {
  return {
    core: require('@tensorflow/tfjs-core'),
    layers: require('@tensorflow/tfjs-layers'),
    data: require('@tensorflow/tfjs-data'),
  };
}

/** Every public name of the three packages, as `tf.<name>` sees them (tfjs-data under `data.`). */
export function tfjsNames(pkgs: Packages = tfjsPackages()): ApiName[] {
  const out: ApiName[] = [];
  const add = (from: ApiName['from'], prefix: string, mod: Record<string, unknown>): void => {
    for (const [key, value] of Object.entries(mod)) {
      if (key === 'default' || key.startsWith('_') && typeof value !== 'string') continue;
      const name = prefix + key;
      if (isClass(value)) {
        out.push({ name, from, kind: 'class' });
        if (CLASS_METHODS_OF[from].includes(key)) {
          for (const m of methodNames(value)) out.push({ name: `${name}#${m}`, from, kind: 'method' });
        }
      } else if (typeof value === 'function') out.push({ name, from, kind: 'function' });
      else if (isPlainObject(value) && !prefix) {
        out.push({ name, from, kind: 'namespace' });
        for (const [k2, v2] of Object.entries(value as Record<string, unknown>)) {
          if (/^\d+$/.test(k2)) continue; // a TypeScript enum's reverse mapping (Reduction[0])
          out.push({ name: `${name}.${k2}`, from, kind: isClass(v2) ? 'class' : typeof v2 === 'function' ? 'function' : 'value' });
        }
      } else out.push({ name, from, kind: 'value' });
    }
  };
  add('core', '', pkgs.core);
  add('layers', '', pkgs.layers);
  add('data', 'data.', pkgs.data);
  for (const m of chainedMethods()) out.push({ name: `Tensor#${m}`, from: 'core', kind: 'method' });
  // one entry per name (tfjs-layers re-exports a few of tfjs-core's)
  const seen = new Set<string>();
  return out.filter((n) => !seen.has(n.name) && seen.add(n.name));
}

/** Looks `name` up in striate's module: 'a.b' by property, 'C#m' on C's prototype chain. */
export function hasName(st: Record<string, unknown>, name: string): boolean {
  const [objectPath, method] = name.split('#');
  let v: unknown = st;
  for (const part of objectPath.split('.')) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || !(part in (v as object))) return false;
    v = (v as Record<string, unknown>)[part];
  }
  if (method === undefined) return true;
  if (typeof v !== 'function') return false;
  return method in ((v as { prototype: object }).prototype ?? {}) || method in (v as object);
}

// ---- parameter lists, from the TypeScript declarations of both sides ----

export interface Arity { params: number; required: number; rest: boolean }

/** Loads the declarations of TensorFlow.js and of striate's built output into one checker. */
export function declarationChecker(striateEntry: string): {
  arityOf(side: 'tfjs' | 'striate', api: ApiName): Arity | undefined;
} {
  const tfRoot = path.join(root, 'node_modules/@tensorflow');
  const entries = {
    core: path.join(tfRoot, 'tfjs-core/dist/index.d.ts'),
    layers: path.join(tfRoot, 'tfjs-layers/dist/index.d.ts'),
    data: path.join(tfRoot, 'tfjs-data/dist/index.d.ts'),
  };
  const chained = path.join(tfRoot, 'tfjs-core/dist/public/chained_ops/register_all_chained_ops.d.ts');
  const program = ts.createProgram([...Object.values(entries), chained, striateEntry],
    { skipLibCheck: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [] });
  const checker = program.getTypeChecker();
  const exportsOf = (file: string): Map<string, ts.Symbol> => {
    const sf = program.getSourceFile(file);
    const sym = sf && checker.getSymbolAtLocation(sf);
    const map = new Map<string, ts.Symbol>();
    if (sym) for (const e of checker.getExportsOfModule(sym)) map.set(e.getName(), e);
    return map;
  };
  const tfExports = { core: exportsOf(entries.core), layers: exportsOf(entries.layers), data: exportsOf(entries.data) };
  const stExports = exportsOf(striateEntry);
  const anyDecl = (s: ts.Symbol): ts.Declaration => (s.valueDeclaration ?? s.declarations?.[0]) as ts.Declaration;
  const resolve = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);

  function typeAt(exports: Map<string, ts.Symbol>, api: ApiName, side: 'tfjs' | 'striate'): ts.Type | undefined {
    const [objectPath, method] = api.name.split('#');
    let parts = objectPath.split('.');
    if (side === 'tfjs' && api.from === 'data') parts = parts.slice(1);
    let sym = exports.get(parts[0]);
    if (!sym) return undefined;
    sym = resolve(sym);
    let type = checker.getTypeOfSymbolAtLocation(sym, anyDecl(sym));
    for (const part of parts.slice(1)) {
      const p = type.getProperty(part) ?? (sym.flags & ts.SymbolFlags.Module ? sym.exports?.get(part as ts.__String) : undefined);
      if (!p) return undefined;
      sym = resolve(p);
      type = checker.getTypeOfSymbolAtLocation(sym, anyDecl(sym));
    }
    if (method === undefined) return type;
    const instance = checker.getDeclaredTypeOfSymbol(sym);
    const p = instance.getProperty(method) ?? type.getProperty(method);
    return p ? checker.getTypeOfSymbolAtLocation(p, anyDecl(p)) : undefined;
  }

  return {
    arityOf(side, api) {
      const type = typeAt(side === 'tfjs' ? tfExports[api.from] : stExports, api, side);
      const sigs = type?.getCallSignatures() ?? [];
      if (sigs.length === 0) return undefined;
      let params = 0;
      let required = Infinity;
      let rest = false;
      for (const sig of sigs) {
        const decl = sig.getDeclaration() as ts.SignatureDeclaration | undefined;
        const ps = decl?.parameters?.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this')) ?? [];
        params = Math.max(params, ps.length);
        required = Math.min(required, ps.filter((p) => !p.questionToken && !p.initializer && !p.dotDotDotToken).length);
        rest ||= ps.some((p) => p.dotDotDotToken);
      }
      return { params, required: Number.isFinite(required) ? required : 0, rest };
    },
  };
}

/** Why a function's parameter list differs from TensorFlow.js', or undefined when it fits. */
export function arityDifference(tfjs: Arity, ours: Arity): string | undefined {
  if (ours.rest) return undefined;
  if (ours.params < tfjs.params) return `takes ${ours.params} parameters, TensorFlow.js ${tfjs.params}`;
  if (ours.required > tfjs.required) return `requires ${ours.required} arguments, TensorFlow.js ${tfjs.required}`;
  return undefined;
}

/** The left-out and not-yet-built lists of docs/coming-from-tensorflow-js.md: name -> reason. */
export function documentedAbsences(): { leftOut: Map<string, string>; pending: Map<string, string>; differentParameters: Map<string, string> } {
  const text = fs.readFileSync(path.join(root, 'docs/coming-from-tensorflow-js.md'), 'utf8');
  const section = (heading: string): Map<string, string> => {
    const start = text.indexOf(`\n## ${heading}`);
    if (start < 0) return new Map();
    const end = text.indexOf('\n## ', start + 4);
    const body = text.slice(start, end < 0 ? undefined : end);
    const map = new Map<string, string>();
    // table rows: | `name`, `name2` | reason |
    for (const line of body.split('\n')) {
      const m = /^\|\s*(`[^|]+`)\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
      if (!m) continue;
      for (const n of m[1].matchAll(/`([^`]+)`/g)) map.set(n[1], m[2]);
    }
    return map;
  };
  return { leftOut: section('Left out'), pending: section('Not built yet'), differentParameters: section('Different parameter lists') };
}

/** True for the kernel-name constants of tfjs-core (`tf.Abs === 'Abs'`), which name kernels for registerKernel. */
export function isKernelName(pkgs: Packages, name: string): boolean {
  const v = pkgs.core[name];
  return typeof v === 'string' && (v === name || name === 'OP_SCOPE_SUFFIX');
}
