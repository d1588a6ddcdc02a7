#!/usr/bin/env node
// The `striate` command; the work is in dist/src/cli (built by `npm install`).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    console.error(`striate: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
