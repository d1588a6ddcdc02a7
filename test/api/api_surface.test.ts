/**
 * The API-surface test: every public name of TensorFlow.js 4.22 (tfjs-core, -layers, -data:
 * top-level exports, namespaces, class methods, Tensor's chained ops), read from the real
 * packages, exists in striate, except the names docs/coming-from-tensorflow-js.md lists as left
 * out (with a reason) or not built yet; and functions whose parameter lists differ from
 * TensorFlow.js' are listed there too. Both lists must stay true: a listed name that striate now
 * has fails the test until the list is updated.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as st from '../../src/index.js';
import {
  arityDifference, declarationChecker, documentedAbsences, hasName, isKernelName, tfjsNames, tfjsPackages,
} from './surface.js';

const pkgs = tfjsPackages();
const names = tfjsNames(pkgs).filter((n) => !isKernelName(pkgs, n.name));
const ours = st as unknown as Record<string, unknown>;
const { leftOut, pending, differentParameters } = documentedAbsences();

/** The list entry that covers `name`: itself, or a namespace or class it belongs to. */
function coveredBy(list: Map<string, string>, name: string): string | undefined {
  const parts = name.split(/(?=[.#])/);
  for (let i = parts.length; i > 0; i--) {
    const prefix = parts.slice(0, i).join('');
    if (list.has(prefix)) return prefix;
  }
  return undefined;
}

test('TensorFlow.js surface: the yardstick is read from the real packages', () => {
  // a sanity floor, so that a broken enumeration cannot pass by finding nothing to compare
  assert.ok(names.length > 1000, `expected over 1000 public names, found ${names.length}`);
  for (const n of ['tensor1d', 'image.resizeBilinear', 'layers.dense', 'data.csv', 'Tensor#add', 'LayersModel#fit']) {
    assert.ok(names.some((x) => x.name === n), `the enumeration misses ${n}`);
  }
});

test('every public name of TensorFlow.js exists in striate, or is documented as left out or not built yet', () => {
  const undocumented = names.filter((n) => !hasName(ours, n.name) && !coveredBy(leftOut, n.name) && !coveredBy(pending, n.name));
  assert.deepEqual(undocumented.map((n) => `${n.name} (${n.kind}, tfjs-${n.from})`), [],
    'names striate lacks that docs/coming-from-tensorflow-js.md does not list');
});

test('the not-built-yet list names only what is really missing', () => {
  const built = [...pending.keys()].filter((n) => names.some((x) => x.name === n) && hasName(ours, n) &&
    names.filter((x) => x.name.startsWith(n) && x.name !== n).every((x) => hasName(ours, x.name)));
  assert.deepEqual(built, [], 'names listed as not built yet that striate now has: take them off the list');
  const unknown = [...pending.keys(), ...leftOut.keys()].filter((n) => !names.some((x) => x.name === n || x.name.startsWith(`${n}.`) || x.name.startsWith(`${n}#`)));
  assert.deepEqual(unknown, [], 'listed names that TensorFlow.js does not have (typos?)');
});

test('functions take the parameters TensorFlow.js gives them (differences documented)', () => {
  const checker = declarationChecker(path.resolve('dist/src/index.d.ts'));
  const found = new Map<string, string>();
  for (const api of names) {
    if ((api.kind !== 'function' && api.kind !== 'method') || !hasName(ours, api.name)) continue;
    const theirs = checker.arityOf('tfjs', api);
    const mine = checker.arityOf('striate', api);
    if (!theirs || !mine) continue;
    const why = arityDifference(theirs, mine);
    if (why) found.set(api.name, why);
  }
  const undocumented = [...found].filter(([n]) => !differentParameters.has(n)).map(([n, why]) => `${n}: ${why}`);
  assert.deepEqual(undocumented, [], 'parameter lists that differ from TensorFlow.js and are not documented');
  const stale = [...differentParameters.keys()].filter((n) => !found.has(n));
  assert.deepEqual(stale, [], 'documented parameter-list differences that no longer exist: take them off the list');
});
