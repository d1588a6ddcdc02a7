/**
 * `--backend webgpu` on the command line and `striate backends`: where Dawn finds no adapter
 * (here forced by pointing VK_ICD_FILENAMES at a missing file) the command fails with one plain
 * line that says why and what to try, without a stack trace; with Chromium's SwiftShader a
 * short run trains on webgpu (skipped, with the reason, where that driver or Dawn is missing).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, tempDir, writeIdxFolder } from './helpers.js';
import { SWIFTSHADER_ICD } from '../../src/cli/backends.js';

function run(args: string[], env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: os.tmpdir(), encoding: 'utf8', timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', XDG_RUNTIME_DIR: os.tmpdir(), ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const MISSING_ICD = path.join(os.tmpdir(), 'striate-no-such-driver', 'icd.json');

test('train --backend webgpu without an adapter: one plain line, exit 1, no stack trace', () => {
  const dir = tempDir();
  writeIdxFolder(path.join(dir, 'quadrants'), 16);
  const r = run(['train', '--backend', 'webgpu', '--data', path.join(dir, 'quadrants'), '--model', 'mlp', '--epochs', '1',
    '--out', path.join(dir, 'run')], { VK_ICD_FILENAMES: MISSING_ICD });
  // Dawn's own warnings stay in the probe's child process: only our line reaches stderr
  const lines = r.stderr.trim().split('\n');
  assert.equal(r.code, 1, r.stderr + r.stdout);
  assert.equal(lines.length, 1, `one line: ${r.stderr}`);
  const line = lines[0];
  assert.match(line, /^striate train: --backend webgpu: the webgpu backend cannot start: /);
  if (/Dawn found no GPU adapter/.test(line)) {
    if (process.platform === 'linux') assert.match(line, /VK_ICD_FILENAMES=\S*swiftshader/);
    assert.match(line, new RegExp(`VK_ICD_FILENAMES names ${MISSING_ICD.replace(/[.\\/]/g, '\\$&')}, which does not exist`));
  } else {
    // without the optional package there is no Dawn at all: the line says that instead
    assert.match(line, /optional package "webgpu"/);
  }
  assert.match(line, /leave --backend out/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(fs.existsSync(path.join(dir, 'run')), false, 'no run folder for a run that never started');
});

test('an unknown --backend is a usage error (exit 2) naming the backends', () => {
  const r = run(['train', '--backend', 'cuda', '--epochs', '1'], {});
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--backend cuda: setBackend: unknown backend "cuda"; available: .*webgpu/);
});

test('striate backends lists js, wasm and webgpu, with the reason webgpu does not run', () => {
  const r = run(['backends', '--json'], { VK_ICD_FILENAMES: MISSING_ICD });
  assert.equal(r.code, 0, r.stderr);
  const entries = JSON.parse(r.stdout) as { name: string; available: boolean; detail: string }[];
  assert.deepEqual(entries.map((e) => e.name), ['js', 'wasm', 'webgpu']);
  assert.equal(entries[0].available, true);
  assert.match(entries[1].detail, /SIMD \((plain|relaxed) build\), \d+ threads?/);
  const gpu = entries[2];
  assert.equal(gpu.available, false);
  assert.match(gpu.detail, /Dawn found no GPU adapter|optional package "webgpu"/);
  const plain = run(['backends'], { VK_ICD_FILENAMES: MISSING_ICD });
  assert.match(plain.stdout, /^webgpu\s+missing\s+the webgpu backend cannot start/m);
});

test('train --backend webgpu on SwiftShader: one short epoch runs on the GPU backend', (t) => {
  if (!fs.existsSync(SWIFTSHADER_ICD)) return t.skip(`no SwiftShader Vulkan driver at ${SWIFTSHADER_ICD} (Debian: apt-get install chromium)`);
  const probe = run(['backends', '--json'], { VK_ICD_FILENAMES: SWIFTSHADER_ICD });
  const gpu = (JSON.parse(probe.stdout || '[]') as { name: string; available: boolean; detail: string }[]).find((e) => e.name === 'webgpu');
  if (!gpu?.available) return t.skip(`webgpu does not start on SwiftShader here: ${gpu?.detail ?? probe.stderr.trim()}`);
  const dir = tempDir();
  writeIdxFolder(path.join(dir, 'quadrants'), 32);
  const r = run(['train', '--backend', 'webgpu', '--data', path.join(dir, 'quadrants'), '--model', 'mlp', '--epochs', '1',
    '--batch-size', '16', '--out', path.join(dir, 'run'), '--json'], { VK_ICD_FILENAMES: SWIFTSHADER_ICD });
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { backend: string; epochs: number; testAccuracy: number };
  assert.equal(result.backend, 'webgpu');
  assert.equal(result.epochs, 1);
  assert.ok(Number.isFinite(result.testAccuracy));
  assert.match(r.stderr, /backend: webgpu \(.+\)/, 'the adapter is named');
  t.diagnostic(`adapter and fallbacks: ${r.stderr.split('\n').filter((l) => /backend:|kernels on the CPU/.test(l)).join(' | ')}`);
  assert.ok(fs.existsSync(path.join(dir, 'run', 'model', 'model.json')));
});
