/**
 * Register tiles of other shapes for the plain-SIMD GEMM (gemm plain area, issue 18): the
 * variants in bench/asm/tile_rows.ts (4x8 as in gemm.ts, 5x8, 3x12, 6x8, 4x12, ...), each run
 * over one A panel (kc x R) and one B panel (kc x W) that stay in L1, in interleaved rounds;
 * prints the median GFLOP/s per CPU second of each. Every variant is first checked bit for bit
 * against a scalar product in the same order (each accumulator takes its k steps in order).
 *   node dist/bench/tile_rows.js [--relaxed] [--kc 256] [--rounds 15] [--ms 60]
 * Builds the wasm with asc into the OS temp folder first. Machine code of the loops:
 *   node --print-wasm-code --no-liftoff dist/bench/tile_rows.js --rounds 1
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flag } from './quick.js';

const relaxed = process.argv.includes('--relaxed');
const kc = Number(flag('--kc', '256'));
const rounds = Number(flag('--rounds', '15'));
const ms = Number(flag('--ms', '60'));
// name, rows, columns (the order of `run` in the asm file)
const variants: [string, number, number][] = [
  ['r4x8', 4, 8], ['r5x8', 5, 8], ['r5x8one', 5, 8], ['r5x8addr', 5, 8], ['r3x12', 3, 12], ['r6x8', 6, 8], ['r4x12', 4, 12], ['r4x8in', 4, 8], ['r5x8onein', 5, 8],
];
const only = flag('--only', '');
const ids = variants.map((_, i) => i).filter((i) => !only || only.split(',').includes(variants[i][0]));

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(tmpdir(), `striate_tile_rows_${relaxed ? 'relaxed' : 'plain'}_${process.pid}.wasm`);
execFileSync(join(root, 'node_modules', '.bin', 'asc'), [join(root, 'bench', 'asm', 'tile_rows.ts'), '-o', out, '-O3',
  '--runtime', 'stub', '--noAssert', '--enable', relaxed ? 'simd,relaxed-simd' : 'simd'], { stdio: 'inherit' });
const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(out)), { env: { abort() { throw new Error('abort'); } } });
const ex = inst.exports as unknown as { memory: WebAssembly.Memory; run(id: number, reps: number, ap: number, bp: number, kc: number, c: number): void };
ex.memory.grow(4);
const ap = 65536, bp = ap + kc * 6 * 4, cp = bp + kc * 12 * 4;
const f = new Float32Array(ex.memory.buffer);
for (let i = 0; i < kc * 6; i++) f[ap / 4 + i] = Math.sin(i) * 0.5;
for (let i = 0; i < kc * 12; i++) f[bp / 4 + i] = Math.cos(i) * 0.5;

for (const id of ids) {
  const [name, rows, cols] = variants[id];
  f.fill(0, cp / 4, cp / 4 + 6 * 16);
  ex.run(id, 1, ap, bp, kc, cp);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      let s = 0;
      for (let p = 0; p < kc; p++) {
        const prod = Math.fround(f[ap / 4 + p * rows + r] * f[bp / 4 + p * cols + q]);
        s = relaxed ? Math.fround(s + f[ap / 4 + p * rows + r] * f[bp / 4 + p * cols + q]) : Math.fround(s + prod);
      }
      const got = f[cp / 4 + r * 16 + q];
      if (relaxed ? Math.abs(got - s) > 1e-4 : got !== s) throw new Error(`${name}: C[${r}, ${q}] is ${got}, the scalar product gives ${s}`);
    }
  }
}

const reps = new Array<number>(variants.length).fill(100);
const rates: number[][] = variants.map(() => []);
for (let r = 0; r < rounds; r++) {
  for (const id of ids) {
    const c0 = process.cpuUsage();
    ex.run(id, reps[id], ap, bp, kc, cp);
    const d = process.cpuUsage(c0);
    const sec = (d.user + d.system) / 1e6;
    const flops = 2 * variants[id][1] * variants[id][2] * kc;
    if (r > 0 || rounds === 1) rates[id].push(flops * reps[id] / Math.max(sec, 1e-6) / 1e9);
    reps[id] = Math.max(100, Math.round(reps[id] * (ms / 1000) / Math.max(sec, 1e-4)));
  }
}
for (const id of ids) {
  const s = rates[id].slice().sort((x, y) => x - y);
  console.log(`${variants[id][0].padEnd(10)} ${relaxed ? 'relaxed' : 'plain'} kc=${kc}: median ${s[s.length >> 1].toFixed(1)} GFLOP/s per CPU second (min ${s[0].toFixed(1)}, max ${s[s.length - 1].toFixed(1)}, ${s.length} rounds)`);
}
