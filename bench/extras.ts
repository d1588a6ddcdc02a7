/**
 * Issue 18's stand-alone comparisons, run by `npm run bench -- --only resnet50ort,fashion32` (and
 * never by a plain `npm run bench`: together they take many minutes). Each is its own script with
 * its own output; the runner only starts them and passes the thread count on.
 *  - resnet50ort: ResNet-50 batch-1 inference, striate wasm vs onnxruntime-web wasm, 1 and 2 threads
 *  - fashion32: the CIFAR-style net on Fashion-MNIST padded to 32x32, striate vs PyTorch, 3 epochs
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const EXTRAS = ['resnet50ort', 'fashion32'] as const;
export type Extra = typeof EXTRAS[number];

/** `--only`'s names split into the runner's workloads and these extras. */
export function splitExtras(only: string[] | undefined): { rest: string[] | undefined; extras: Extra[] } {
  if (!only) return { rest: undefined, extras: [] };
  const extras = only.filter((w): w is Extra => (EXTRAS as readonly string[]).includes(w));
  return { rest: only.filter((w) => !(EXTRAS as readonly string[]).includes(w)), extras };
}

/** Runs each named extra in turn, its output straight to this process's. */
export function runExtras(extras: Extra[], distBench: string, quick: boolean): void {
  for (const extra of extras) {
    const runs: string[][] = extra === 'resnet50ort'
      ? [1, 2].map((t) => ['resnet50_ort.js', '--threads', String(t), ...(quick ? ['--calls', '3', '--warmup', '1'] : [])])
      : [['fashion32_parity.js', ...(quick ? ['--epochs', '1', '--train', '2000', '--test', '1000'] : [])]];
    for (const [script, ...args] of runs) {
      console.log(`\n== ${extra}: node ${script} ${args.join(' ')}`);
      const r = spawnSync(process.execPath, [join(distBench, script), ...args], { stdio: 'inherit' });
      if (r.status !== 0) console.log(`${extra}: ${script} exited with ${r.status ?? r.signal}`);
    }
  }
}
