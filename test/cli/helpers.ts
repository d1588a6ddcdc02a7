/** Running the `striate` command as a user would: a child process, its exit code and output. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { idxBytes } from '../helpers.js';

export { idxBytes };

export const BIN = fileURLToPath(new URL('../../../bin/striate.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd = os.tmpdir()): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the command; `until` resolves once its output contains `text`. */
export function startCli(args: string[], cwd = os.tmpdir()) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, output: out })));
  const until = (text: string): Promise<void> => new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes(text)) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`the command ended before printing "${text}":\n${out}`));
      }
    }, 20);
  });
  return { child, done, until, output: () => out };
}

export function tempDir(prefix = 'striate-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A tiny MNIST-style folder: `count` 8x8 images per split whose class (0-3) is the quadrant
 * that is lit, so a network can learn it in a few steps.
 */
export function writeIdxFolder(dir: string, count = 64, gzip = false): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const split of ['train', 't10k']) {
    const images = new Uint8Array(count * 64);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const label = i % 4;
      labels[i] = label;
      const r0 = label < 2 ? 0 : 4;
      const c0 = label % 2 === 0 ? 0 : 4;
      for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) images[i * 64 + (r0 + r) * 8 + c0 + c] = 200 + ((i * 7 + r + c) % 55);
    }
    const write = (name: string, bytes: Buffer): void =>
      fs.writeFileSync(path.join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
    write(`${split}-images-idx3-ubyte`, idxBytes([count, 8, 8], images));
    write(`${split}-labels-idx1-ubyte`, idxBytes([count], labels));
  }
}

/** True when the text shows a JavaScript stack trace. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+\(.+:\d+:\d+\)/.test(text) || /\n\s+at .+:\d+:\d+/.test(text);
}
