/**
 * The two builds of the wasm kernels (module.ts): relaxed SIMD (fused multiply-add) where the
 * runtime validates it, plain SIMD elsewhere, STRIATE_WASM_SIMD forcing one. Node 20 has relaxed
 * SIMD only behind --experimental-wasm-relaxed-simd, Node >= 22 by default, so every case runs
 * in a child process with the flags it needs:
 * - the choice follows the runtime, and the override works or fails with a clear message;
 * - the relaxed build's GEMM, convolutions and depthwise convolutions (with gradients) agree
 *   with the plain build's within float32 tolerance;
 * - the kernel property tests (wasm_gemm_conv, wasm_conv_direct, wasm_few_rows,
 *   wasm_fused_kernels) pass on the relaxed build; the rest of the suite runs them on the
 *   default build.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const library = new URL('../../src/index.js', import.meta.url).href;
const nodeMajor = Number(process.versions.node.split('.')[0]);
/** Node 20 needs the flag; later versions ship relaxed SIMD and may drop the flag */
const relaxedFlags = nodeMajor < 22 ? ['--experimental-wasm-relaxed-simd'] : [];

interface Child { status: number | null; stdout: string; stderr: string }

function runNode(flags: string[], simd: string | undefined, args: string[], timeout = 120_000): Child {
  const env = { ...process.env };
  delete env.STRIATE_WASM_SIMD;
  // a child `node --test` reports to this runner instead of printing its summary when this is set
  delete env.NODE_TEST_CONTEXT;
  if (simd !== undefined) env.STRIATE_WASM_SIMD = simd;
  const run = spawnSync(process.execPath, [...flags, ...args], { encoding: 'utf8', env, timeout, maxBuffer: 64 << 20 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs `program` from a file: the pool's workers inherit the flags, and --input-type breaks them */
function runProgram(flags: string[], simd: string | undefined, program: string): Child {
  const dir = mkdtempSync(join(tmpdir(), 'striate-simd-'));
  const file = join(dir, 'program.mjs');
  writeFileSync(file, program);
  try {
    return runNode(flags, simd, [file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function lastJson<T>(child: Child): T {
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as T;
}

const whichBuild = `
  const st = await import(${JSON.stringify(library)});
  const probe = WebAssembly.validate(new Uint8Array([0,97,115,109,1,0,0,0,1,8,1,96,3,123,123,123,1,123,
    3,2,1,0,10,13,1,11,0,32,0,32,1,32,2,253,133,2,11]));
  console.log(JSON.stringify({ simd: st.getWasmSimd(), probe }));`;

test('the relaxed build is chosen exactly where the runtime validates relaxed SIMD', () => {
  const plainRuntime = lastJson<{ simd: string; probe: boolean }>(runProgram([], undefined, whichBuild));
  assert.equal(plainRuntime.simd, plainRuntime.probe ? 'relaxed' : 'plain');
  if (nodeMajor < 22) assert.equal(plainRuntime.simd, 'plain', 'Node 20 without the flag has no relaxed SIMD');
  const withFlag = lastJson<{ simd: string; probe: boolean }>(runProgram(relaxedFlags, undefined, whichBuild));
  assert.deepEqual(withFlag, { simd: 'relaxed', probe: true });
});

test('STRIATE_WASM_SIMD forces a build, and says why when it cannot', (t) => {
  assert.equal(lastJson<{ simd: string }>(runProgram(relaxedFlags, 'plain', whichBuild)).simd, 'plain');
  assert.equal(lastJson<{ simd: string }>(runProgram(relaxedFlags, 'relaxed', whichBuild)).simd, 'relaxed');
  const unknown = runProgram([], 'fma', whichBuild);
  assert.notEqual(unknown.status, 0);
  assert.match(unknown.stderr, /STRIATE_WASM_SIMD: expected 'plain', 'relaxed' or 'auto', got 'fma'/);
  if (nodeMajor >= 22) {
    t.diagnostic('this Node has relaxed SIMD by default: the unsupported case cannot be played');
    return;
  }
  const forced = runProgram([], 'relaxed', whichBuild);
  assert.notEqual(forced.status, 0, 'forcing relaxed SIMD on Node 20 without the flag must fail');
  assert.match(forced.stderr, /STRIATE_WASM_SIMD=relaxed, but this runtime does not support relaxed SIMD \(.*--experimental-wasm-relaxed-simd\)/);
});

/** GEMM, conv2d and depthwise (values and both gradients) on seeded inputs, on 1 and 2 threads. */
const kernelOutputs = `
  const st = await import(${JSON.stringify(library)});
  const out = { simd: st.getWasmSimd(), results: {} };
  const keep = (name, ts) => ts.forEach((t, i) => (out.results[name + ' ' + i] = Array.from(t.dataSync())));
  for (const threads of [1, 2]) {
    st.setNumThreads(threads);
    st.tidy(() => {
      const a = st.randomNormal([67, 300], 0, 1, 'float32', 1), b = st.randomNormal([300, 45], 0, 1, 'float32', 2);
      keep('matMul ' + threads, [st.matMul(a, b), st.matMul(a, b.transpose(), false, true)]);
      for (const [cin, cout, stride, pad] of [[3, 16, 1, 'same'], [32, 32, 1, 'same'], [8, 12, 2, 'valid']]) {
        const x = st.randomNormal([2, 15, 13, cin], 0, 1, 'float32', 3), f = st.randomNormal([3, 3, cin, cout], 0, 1, 'float32', 4);
        const conv = (x, f) => st.conv2d(x, f, stride, pad);
        const y = conv(x, f);
        const dy = st.randomNormal(y.shape, 0, 1, 'float32', 5);
        const [dx, df] = st.grads((x, f) => st.sum(st.mul(conv(x, f), dy)))([x, f]);
        keep('conv ' + cin + '->' + cout + ' ' + threads, [y, dx, df]);
      }
      for (const mult of [1, 2]) {
        const x = st.randomNormal([2, 11, 9, 24], 0, 1, 'float32', 6), f = st.randomNormal([3, 3, 24, mult], 0, 1, 'float32', 7);
        const dw = (x, f) => st.depthwiseConv2d(x, f, 1, 'same');
        const y = dw(x, f);
        const dy = st.randomNormal(y.shape, 0, 1, 'float32', 8);
        const [dx, df] = st.grads((x, f) => st.sum(st.mul(dw(x, f), dy)))([x, f]);
        keep('depthwise x' + mult + ' ' + threads, [y, dx, df]);
      }
    });
  }
  console.log(JSON.stringify(out));`;

test('the relaxed build agrees with the plain build within float32 tolerance', () => {
  type Outputs = { simd: string; results: Record<string, number[]> };
  const plain = lastJson<Outputs>(runProgram(relaxedFlags, 'plain', kernelOutputs));
  const relaxed = lastJson<Outputs>(runProgram(relaxedFlags, 'relaxed', kernelOutputs));
  assert.equal(plain.simd, 'plain');
  assert.equal(relaxed.simd, 'relaxed');
  let differing = 0, total = 0;
  for (const [name, p] of Object.entries(plain.results)) {
    const r = relaxed.results[name];
    assert.equal(r.length, p.length, `${name}: size`);
    let scale = 1e-3;
    for (const v of p) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < p.length; i++) {
      total++;
      if (r[i] !== p[i]) differing++;
      // one rounding fewer per product: sums of up to a few thousand terms stay within 1e-5 of the scale
      if (!(Math.abs(r[i] - p[i]) <= 1e-5 * scale)) {
        assert.fail(`${name} element ${i}: plain ${p[i]}, relaxed ${r[i]} (scale ${scale})`);
      }
    }
  }
  console.log(`relaxed vs plain: ${differing} of ${total} values differ in their last bits (fused multiply-add rounds once)`);
});

test('the kernel property tests pass on the relaxed build', () => {
  // STRIATE_WASM_SIMD=relaxed makes loading fail rather than fall back, so these ran on it
  // not wasm_conv3d: one of its cases spawns a child without this process's flags
  const files = ['wasm_gemm_conv', 'wasm_conv_direct', 'wasm_few_rows', 'wasm_fused_kernels', 'wasm_conv_relaxed_tiles']
    .map((name) => fileURLToPath(new URL(`./${name}.test.js`, import.meta.url)));
  const run = runNode(relaxedFlags, 'relaxed', ['--test', '--test-reporter=spec', ...files], 900_000);
  assert.equal(run.status, 0, `node --test on the relaxed build failed:\n${run.stdout.slice(-6000)}\n${run.stderr.slice(-2000)}`);
  assert.match(run.stdout, /fail 0/);
  const passed = /pass (\d+)/.exec(run.stdout);
  assert.ok(passed && Number(passed[1]) > 0, `no test ran:\n${run.stdout.slice(-2000)}`);
});
