/**
 * What the short before/after scripts share (digit_cnn_speed, gemm_speed, layer_times): their
 * command-line options and timed calls, with the CPU time beside the wall time (on a shared
 * machine other work disturbs the CPU time less).
 */
const argv = process.argv.slice(2);

/** The value after `--name`, or `fallback`. */
export function flag(name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
}

/** Wall and CPU milliseconds of each call of `body`: at least `count` calls, and calls until `minMs` have passed. */
export async function timeCalls(body: () => unknown, count: number, minMs = 0): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = [], cpu: number[] = [];
  const start = performance.now();
  while (wall.length < count || performance.now() - start < minMs) {
    const t = performance.now(), c = process.cpuUsage();
    await body();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return { wall, cpu };
}
