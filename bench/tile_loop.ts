/**
 * The GEMM's register tile alone (plain tile area, issue 18): variants of the 4x8 loop in
 * bench/asm/tile_loop.ts, each run over one A panel (kc x 4) and one B panel (kc x 8) that stay
 * in L1, in interleaved rounds; prints the median GFLOP/s per CPU second of each variant.
 *   node dist/bench/tile_loop.js [--relaxed] [--kc 256] [--rounds 15] [--ms 60]
 * Builds the wasm with asc into the OS temp folder first (a few seconds). `--relaxed` builds
 * with relaxed SIMD (fused multiply-add; run node with --experimental-wasm-relaxed-simd).
 * Machine code of the loops: node --print-wasm-code --no-liftoff dist/bench/tile_loop.js --rounds 1
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
const names = ['tRef', 'tShuf', 'tUnroll2', 'tShufUnroll2', 'tWhile', 'tShufMid', 'tSplatMid', 'tShufPairs', 'tSplatMidOff', 'tBcast', 'tBcastMid',
  // conv_direct.ts's loop (A rows kc floats apart), checked against tDirRef
  'tDirRef', 'tDirMid', 'tDirPtrs'];
const firstDirect = 11;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(tmpdir(), `striate_tile_loop_${relaxed ? 'relaxed' : 'plain'}_${process.pid}.wasm`);
execFileSync(join(root, 'node_modules', '.bin', 'asc'), [join(root, 'bench', 'asm', 'tile_loop.ts'), '-o', out, '-O3',
  '--runtime', 'stub', '--noAssert', '--enable', relaxed ? 'simd,relaxed-simd' : 'simd'], { stdio: 'inherit' });
const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(out)), { env: { abort() { throw new Error('abort'); } } });
const ex = inst.exports as unknown as { memory: WebAssembly.Memory; run(id: number, reps: number, ap: number, bp: number, kc: number, c: number): void };
ex.memory.grow(4);
const ap = 65536, bp = ap + kc * 112, cp = bp + kc * 32;  // A plain (kc * 16 bytes), A broadcast at ap + kc * 48 (kc * 64 bytes), B
const f = new Float32Array(ex.memory.buffer);
for (let i = 0; i < kc * 4; i++) f[ap / 4 + i] = Math.sin(i) * 0.5;
for (let i = 0; i < kc * 8; i++) f[bp / 4 + i] = Math.cos(i) * 0.5;
for (let i = 0; i < kc * 4; i++) f.fill(f[ap / 4 + i], ap / 4 + kc * 12 + 4 * i, ap / 4 + kc * 12 + 4 * i + 4);

// every variant must give the reference's tile (same sums in the same order: the same bits, or
// within rounding in the relaxed build where a fused step rounds once)
ex.run(0, 1, ap, bp, kc, cp);
let ref = Array.from(f.subarray(cp / 4, cp / 4 + 32));
for (let id = 1; id < names.length; id++) {
  if (id === firstDirect) {
    ex.run(id, 1, ap, bp, kc, cp);
    ref = Array.from(f.subarray(cp / 4, cp / 4 + 32));
    continue;
  }
  ex.run(id, 1, ap, bp, kc, cp);
  const got = f.subarray(cp / 4, cp / 4 + 32);
  for (let i = 0; i < 32; i++) {
    if (got[i] !== ref[i]) throw new Error(`${names[id]}: element ${i} is ${got[i]}, the reference tile has ${ref[i]}`);
  }
}

const flops = 2 * 4 * 8 * kc;
const reps = new Array<number>(names.length).fill(100);
const rates: number[][] = names.map(() => []);
for (let r = 0; r < rounds; r++) {
  for (let id = 0; id < names.length; id++) {
    const c0 = process.cpuUsage();
    ex.run(id, reps[id], ap, bp, kc, cp);
    const d = process.cpuUsage(c0);
    const sec = (d.user + d.system) / 1e6;
    if (r > 0 || rounds === 1) rates[id].push(flops * reps[id] / Math.max(sec, 1e-6) / 1e9);
    reps[id] = Math.max(100, Math.round(reps[id] * (ms / 1000) / Math.max(sec, 1e-4)));
  }
}
for (let id = 0; id < names.length; id++) {
  const s = rates[id].slice().sort((x, y) => x - y);
  console.log(`${names[id].padEnd(14)} ${relaxed ? 'relaxed' : 'plain'} kc=${kc}: median ${s[s.length >> 1].toFixed(1)} GFLOP/s per CPU second (min ${s[0].toFixed(1)}, max ${s[s.length - 1].toFixed(1)}, ${s.length} rounds)`);
}
