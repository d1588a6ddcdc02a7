/**
 * Prints how much of TensorFlow.js' public API striate has: `node dist/test/api/report.js`
 * (add `--list` for every missing name, `--arity` for the parameter-list differences).
 */
import * as st from '../../src/index.js';
import path from 'node:path';
import { arityDifference, declarationChecker, hasName, isKernelName, tfjsNames, tfjsPackages } from './surface.js';

const pkgs = tfjsPackages();
const names = tfjsNames(pkgs).filter((n) => !isKernelName(pkgs, n.name));
const missing = names.filter((n) => !hasName(st as unknown as Record<string, unknown>, n.name));
const kinds = ['function', 'class', 'namespace', 'method', 'value'] as const;
console.log(`TensorFlow.js 4.22 public names (tfjs-core, -layers, -data; kernel-name constants not counted): ${names.length}`);
for (const k of kinds) {
  const all = names.filter((n) => n.kind === k);
  const have = all.length - missing.filter((n) => n.kind === k).length;
  console.log(`  ${k.padEnd(9)} ${have} of ${all.length} present`);
}
console.log(`present: ${names.length - missing.length} of ${names.length}`);
if (process.argv.includes('--list')) console.log(`missing:\n${missing.map((n) => `  ${n.name} (${n.kind}, ${n.from})`).join('\n')}`);
if (process.argv.includes('--arity')) {
  const checker = declarationChecker(path.resolve('dist/src/index.d.ts'));
  let n = 0;
  for (const api of names.filter((x) => x.kind === 'function' || x.kind === 'method')) {
    if (!hasName(st as unknown as Record<string, unknown>, api.name)) continue;
    const theirs = checker.arityOf('tfjs', api);
    const ours = checker.arityOf('striate', api);
    if (!theirs || !ours) continue;
    const why = arityDifference(theirs, ours);
    if (why) { n++; console.log(`  arity: ${api.name}: ${why}`); }
  }
  console.log(`functions whose parameter lists differ: ${n}`);
}

if (process.argv.includes('--pending-table')) {
  // rows for the "Not built yet" section of docs/coming-from-tensorflow-js.md: the missing names
  // not left out, grouped by namespace or class
  const { leftOut } = await import('./surface.js').then((m) => m.documentedAbsences());
  const covered = (n: string): boolean => n.split(/(?=[.#])/).some((_, i, parts) => leftOut.has(parts.slice(0, i + 1).join('')));
  const groups = new Map<string, string[]>();
  for (const n of missing.filter((x) => !covered(x.name))) {
    const group = /[.#]/.test(n.name) ? n.name.split(/[.#]/)[0] : n.kind === 'class' ? 'classes' : 'top level';
    groups.set(group, [...(groups.get(group) ?? []), n.name]);
  }
  for (const [group, list] of groups) {
    for (let i = 0; i < list.length; i += 8) {
      console.log(`| ${list.slice(i, i + 8).map((n) => `\`${n}\``).join(', ')} | ${group}: not built yet |`);
    }
  }
}
