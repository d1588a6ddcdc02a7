// usage: node show.mjs file [name...] : runs the examples of the file (names filter) printing output
import fs from 'node:fs'; import ts from 'typescript'; import path from 'node:path';
const st = await import(path.resolve('dist/src/index.js'));
const [file, ...names] = process.argv.slice(2);
const text = fs.readFileSync(file, 'utf8');
const re = /\/\*\*[\s\S]*?\*\//g;
const AF = Object.getPrototypeOf(async () => {}).constructor;
for (let c = re.exec(text); c; c = re.exec(text)) {
  const after = text.slice(c.index + c[0].length).replace(/^\s+/, '').split('\n')[0];
  const body = c[0].split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''));
  const i = body.findIndex((l) => l.trim().startsWith('@example')); if (i < 0) continue;
  const open = body.findIndex((l, k) => k > i && /^```ts\s*$/.test(l.trim())); if (open < 0) continue;
  const close = body.findIndex((l, k) => k > open && l.trim() === '```');
  if (names.length && !names.some((n) => after.includes(n))) continue;
  const code = body.slice(open + 1, close).join('\n');
  console.log('=== ' + after.slice(0, 60)); 
  const js = ts.transpileModule(code, { compilerOptions: { target: 99, module: 99 } }).outputText.replace(/^export \{\};?\s*$/m, '');
  const t0 = Date.now();
  try { await new AF('st', js)(st); } catch (e) { console.log('ERROR', e.message); }
  console.log(`--- ${Date.now() - t0} ms`);
}
