/**
 * Whether a task that its kernel wrapper split for the pool really runs there, decided by what
 * the pool has cost so far for tasks of that kind and size (issue 18 item 4: no workload slower
 * on two threads than on one).
 *
 * Why measured rather than a fixed threshold: what a hand-over to the workers costs depends on
 * the machine, not the kernel. On the 2-core development VM an empty 2-chunk task costs 12-48 us
 * (a futex wake-up of a sleeping worker through the hypervisor), and when other processes hold
 * the second core a worker that claimed a chunk may not run it for milliseconds, while the
 * caller waits. PyTorch's own two threads lose to its one on the same VM. So each kind of task
 * (task id and a half-octave of its work) keeps its last few times on the pool and on the
 * calling thread alone, tries each a couple of times, then runs the one with the lower median
 * and now and then retries the other, so the choice follows the load as it changes. (A running
 * mean was tried first: on the loaded VM single preempted runs of 10-30 ms moved it so far that
 * the choices for the digit CNN were mostly wrong, 0.83x of the caller alone.)
 *
 * The chunks stay the same either way (the caller runs them one after another), so both choices
 * give the same bits: only who runs the chunks changes.
 */

/** Calls of each mode before the medians decide. */
const TRIALS = 2;
/** The slower mode is retried once every this many calls of a kind. */
const RETRY_EVERY = 16;
/** Times kept per mode and kind: their median is the mode's cost (a preempted run moves it little). */
const WINDOW = 5;

interface Kind { pool: number[]; caller: number[]; nPool: number; nCaller: number; calls: number }

export class ThreadPolicy {
  private readonly kinds = new Map<number, Kind>();

  /**
   * The key of a task: its id and the half-octave of `work` (multiply-adds or elements; when 0,
   * the chunk count stands in for the size).
   */
  static key(task: number, work: number, chunks: number): number {
    const size = work > 0 ? Math.round(2 * Math.log2(work)) : 128 + Math.round(2 * Math.log2(chunks));
    return task * 256 + Math.min(255, Math.max(0, size));
  }

  /** Whether the next task of kind `key` should go to the pool (true) or stay on the caller. */
  choose(key: number): boolean {
    let k = this.kinds.get(key);
    if (!k) {
      k = { pool: [], caller: [], nPool: 0, nCaller: 0, calls: 0 };
      this.kinds.set(key, k);
    }
    k.calls++;
    // the wrapper asked for the pool: start there, then take turns with the caller alone
    if (k.nPool < TRIALS || k.nCaller < TRIALS) return k.nPool <= k.nCaller && k.nPool < TRIALS;
    const poolWins = median(k.pool) <= median(k.caller);
    return k.calls % RETRY_EVERY === 0 ? !poolWins : poolWins;
  }

  /** Records the milliseconds a task of kind `key` took on the pool (`pooled`) or on the caller. */
  record(key: number, pooled: boolean, ms: number): void {
    const k = this.kinds.get(key);
    if (!k) return;
    const times = pooled ? k.pool : k.caller;
    times.push(ms);
    if (times.length > WINDOW) times.shift();
    if (pooled) k.nPool++;
    else k.nCaller++;
  }

  /** Per kind: the medians of the recent times and how often each mode ran (bench/step_trace.ts prints them). */
  summary(): { task: number; size: number; poolMs: number; callerMs: number; nPool: number; nCaller: number }[] {
    return [...this.kinds].map(([key, k]) => ({
      task: Math.floor(key / 256), size: key % 256, poolMs: median(k.pool), callerMs: median(k.caller), nPool: k.nPool,
      nCaller: k.nCaller,
    }));
  }
}

function median(times: number[]): number {
  if (times.length === 0) return Infinity;
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
