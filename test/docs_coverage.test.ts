/**
 * Every public function has an example in the API reference. The public functions are found the
 * way `npm run docs` (TypeDoc) finds them: the exports of src/index.ts, followed into `export * as`
 * namespaces and into objects tagged `@namespace` (st.layers, st.models, st.callbacks, ...);
 * a function is an exported value with call signatures and no construct signatures (classes are
 * documented on their own pages). Its doc comment is the one on its declaration or, as TypeDoc
 * does for `const f = wrap(g)`, the one on the declaration of its signature. The example must be
 * an `@example` with a ```ts block (run by docs_examples.test.ts) or a ```ts browser block (parsed
 * there, not run, for what needs a browser). A new function without one fails this test by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** the repository root: this file runs from dist/test/ */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** an `@example` whose text holds a fenced TypeScript block, runnable or marked `browser` */
function hasExampleTag(declaration: ts.Node): boolean {
  return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'example'
    && /```(ts|typescript)\b/.test(ts.getTextOfJSDocComment(tag.comment) ?? ''));
}

interface PublicFunction { names: string[]; where: string; documented: boolean }

function publicFunctions(): PublicFunction[] {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  const options = ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
  const entry = path.join(root, 'src', 'index.ts');
  const program = ts.createProgram([entry], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const entrySymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!);
  assert.ok(entrySymbol, 'src/index.ts has no module symbol');

  // one entry per function, however many names export it (st.readIdx is st.data.readIdx)
  const found = new Map<ts.Symbol, PublicFunction>();
  const visited = new Set<ts.Symbol>();
  const walk = (prefix: string, symbols: ts.Symbol[]): void => {
    for (const exported of symbols) {
      const name = prefix + exported.name;
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const tags = symbol.getJsDocTags(checker).map((t) => t.name);
      if (tags.some((t) => t === 'internal' || t === 'hidden' || t === 'ignore')) continue;
      if (symbol.flags & ts.SymbolFlags.ValueModule && !(symbol.flags & ts.SymbolFlags.Function)) {
        if (!visited.has(symbol)) { visited.add(symbol); walk(`${name}.`, checker.getExportsOfModule(symbol)); }
        continue;
      }
      if (symbol.flags & ts.SymbolFlags.Class || !(symbol.flags & ts.SymbolFlags.Value)) continue;
      const type = checker.getTypeOfSymbol(symbol);
      if (tags.includes('namespace')) {
        if (!visited.has(symbol)) { visited.add(symbol); walk(`${name}.`, type.getProperties()); }
        continue;
      }
      const signatures = type.getCallSignatures();
      if (!signatures.length || type.getConstructSignatures().length) continue;
      const known = found.get(symbol);
      if (known) { known.names.push(name); continue; }
      const declarations = [
        ...(symbol.declarations ?? []),
        ...signatures.map((s) => s.getDeclaration()).filter((d): d is ts.SignatureDeclaration => d !== undefined),
      ];
      const first = declarations[0];
      const file = first?.getSourceFile();
      const where = file ? `${path.relative(root, file.fileName)}:${file.getLineAndCharacterOfPosition(first.getStart()).line + 1}` : '?';
      found.set(symbol, { names: [name], where, documented: declarations.some(hasExampleTag) });
    }
  };
  walk('st.', checker.getExportsOfModule(entrySymbol));
  return [...found.values()];
}

test('every public function (top level and in namespaces) has an @example', (t) => {
  const functions = publicFunctions();
  t.diagnostic(`${functions.length} public functions, ${functions.filter((f) => f.documented).length} with an example`);
  assert.ok(functions.length >= 600, `found only ${functions.length} public functions from src/index.ts`);
  const missing = functions.filter((f) => !f.documented)
    .map((f) => `${f.names[0]}${f.names.length > 1 ? ` (also ${f.names.slice(1).join(', ')})` : ''}  ${f.where}`);
  assert.deepEqual(missing, [], `${missing.length} of ${functions.length} public functions have no @example:\n${missing.join('\n')}`);
});
