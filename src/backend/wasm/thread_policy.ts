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
/**
 * The slower mode is retried after this many calls of a kind, and after twice as many each
 * time the retry confirms it is slower (up to RETRY_MAX): on a loaded machine a pooled retry
 * can cost 5-10 caller runs, so retrying every 16 calls for good cost more than it found.
 */
const RETRY_FIRST = 16, RETRY_MAX = 1024;
/** Times kept per mode and kind: their median is the mode's cost (a preempted run moves it little). */
const WINDOW = 5;

interface Kind {
  pool: number[]; caller: number[]; nPool: number; nCaller: number;
  /** calls until the slower mode is retried, and the interval after the next confirmation */
  untilRetry: number; interval: number; lastWinner: boolean | null;
}

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
      k = { pool: [], caller: [], nPool: 0, nCaller: 0, untilRetry: RETRY_FIRST, interval: RETRY_FIRST, lastWinner: null };
      this.kinds.set(key, k);
    }
    // the wrapper asked for the pool: start there, then take turns with the caller alone
    if (k.nPool < TRIALS || k.nCaller < TRIALS) return k.nPool <= k.nCaller && k.nPool < TRIALS;
    const poolWins = median(k.pool) <= median(k.caller);
    if (k.lastWinner !== poolWins) {
      // the choice flipped: watch the new loser closely again
      k.lastWinner = poolWins;
      k.interval = RETRY_FIRST;
      k.untilRetry = RETRY_FIRST;
    }
    if (--k.untilRetry > 0) return poolWins;
    // a retry: if it confirms the loser (the winner stays), wait twice as long for the next
    k.interval = Math.min(RETRY_MAX, k.interval * 2);
    k.untilRetry = k.interval;
    return !poolWins;
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
