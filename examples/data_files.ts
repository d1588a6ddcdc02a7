// Where the examples' data files are: examples/data/ in the repository, found both from the
// TypeScript source (examples/*.ts) and from the build (dist/examples/*.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function exampleDataFile(name: string): string {
  for (const rel of [`./data/${name}`, `../../examples/data/${name}`]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error(`examples: data file "${name}" not found in examples/data/ (looked next to ${fileURLToPath(import.meta.url)})`);
}

/** True when the module is the program node was started with (not imported by a test). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(moduleUrl) === process.argv[1];
}
