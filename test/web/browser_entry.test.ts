/**
 * The browser entry (`striate/browser`) must load in a browser: no module it reaches may import
 * a `node:` module (or any bare package) at its top level. Checked here on the compiled files,
 * so it holds even where no chromium runs the studio tests. Dynamic `import()` inside
 * `if (isNode)` branches is allowed: a browser never evaluates it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));

/** Static import/export-from specifiers of one compiled ES module. */
function staticImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) found.push(m[1]);
  return found;
}

function reach(entry: string): { files: Set<string>; bare: string[] } {
  const files = new Set<string>();
  const bare: string[] = [];
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else bare.push(`${path.relative(srcDir, file)} imports "${spec}"`);
    }
  };
  visit(entry);
  return { files, bare };
}

test('striate/browser reaches no node: module or package at the top level', () => {
  const { files, bare } = reach(path.join(srcDir, 'browser.js'));
  assert.ok(files.size > 50, `only ${files.size} modules reached: the import scan is broken`);
  assert.deepEqual(bare, []);
  // what the browser entry leaves out really is Node-only, so the scan can see such imports
  const main = reach(path.join(srcDir, 'index.js'));
  assert.ok(main.bare.some((line) => line.includes('"node:')), 'the Node entry imports node: modules');
});

test('striate/browser exports the training API and st.data without file loaders', async () => {
  const browser = await import('../../src/browser.js');
  for (const name of ['tensor', 'sequential', 'layers', 'models', 'viz', 'ready', 'conv2d', 'callbacks']) {
    assert.ok(name in browser, `striate/browser has no ${name}`);
  }
  assert.equal(typeof browser.data.twoSpirals, 'function');
  assert.ok(!('loadIdxImages' in browser.data), 'file loaders stay out of the browser entry');
  // tf.io exists in the browser too (http, memory, browser stores); its file-system handler does not
  assert.equal(typeof browser.io.http, 'function');
  assert.ok(!('fileSystem' in browser.io) && !('saveWeights' in browser.io), 'the file-system parts of st.io stay out of the browser entry');
});
