/**
 * The worker pool: every core runs chunks of one task at a time over the shared memory.
 *
 * No message per task: the caller writes the task into a 16-word control block, bumps the
 * generation word and wakes the workers with Atomics.notify; every thread (the caller too)
 * claims chunk indices with compare-and-swap on a word that carries the generation in its high
 * half, so a worker still finishing the previous task can never claim a chunk of the next one.
 * The caller waits for the done count. A worker that has not started yet simply finds no
 * chunk left, so nothing waits on worker start-up.
 */
import { isNode, type KernelExports } from './module.js';

const NEXT = 0, TASK = 1, ARGS = 2, TOTAL = 3, DONE = 4, GEN = 5;
/** set when a chunk's kernel threw (a wasm trap): the caller reports it once every chunk is counted */
const FAILED = 6;
/** words RUNNING + tid (threads 0..7): chunk index + 1 while that thread runs a chunk, else 0 (read by the watchdog) */
const RUNNING = 8, TRACKED = 8;
/**
 * Seconds the caller waits, with no chunk counted, before it says on stderr which chunks are
 * still out (once per task; it goes on waiting): a chunk that never ends is otherwise silent.
 */
export const WATCH_SECONDS = 300;

/** Most chunks one task may have (the chunk index takes the low 16 bits). */
export const MAX_CHUNKS = 0xffff;

export interface WorkerSetup {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: number;
  tid: number;
  scratchBase: number;
  scratchBytes: number;
  spin: number;
}

/**
 * Claims and runs chunks of generation `gen` until none is left. The task's words are read only
 * after NEXT shows this generation's tag: the caller retags NEXT before it rewrites them for
 * the next task, so a worker late out of the previous task can never pair an old tag with the
 * new task's TOTAL (that once let a late worker claim a chunk of the next task under the old
 * tag, count it twice in DONE, and leave the caller waiting for a count it had passed).
 */
export function claimChunks(kernels: Pick<KernelExports, 'runTask'>, ctl: Int32Array, gen: number, tid: number): void {
  const tag = (gen & 0xffff) << 16;
  for (;;) {
    const v = Atomics.load(ctl, NEXT);
    if ((v & 0xffff0000) !== tag) return;
    const total = Atomics.load(ctl, TOTAL);
    const index = v & 0xffff;
    if (index >= total) return;
    if (Atomics.compareExchange(ctl, NEXT, v, v + 1) !== v) continue;
    // a claimed chunk holds the task open: the caller cannot start the next one until it is
    // counted, so it is counted even when its kernel traps (on a worker an uncaught trap would
    // end the thread silently, and the caller would wait for the count forever)
    if (tid < TRACKED) Atomics.store(ctl, RUNNING + tid, index + 1);
    try {
      kernels.runTask(Atomics.load(ctl, TASK), Atomics.load(ctl, ARGS), index, tid);
    } catch {
      Atomics.store(ctl, FAILED, 1);
    }
    if (tid < TRACKED) Atomics.store(ctl, RUNNING + tid, 0);
    if (Atomics.add(ctl, DONE, 1) === total - 1) Atomics.notify(ctl, DONE);
  }
}

/**
 * Hands task `gen` to the workers: first NEXT gets the new tag with no chunk left to claim,
 * then the task's words, then the chunks are opened and GEN announces them. `store` is
 * Atomics.store (a test passes one that looks in between the stores).
 */
export function publishTask(ctl: Int32Array, gen: number, task: number, args: number, total: number,
                            store: (a: Int32Array, i: number, v: number) => number = Atomics.store): void {
  const tag = (gen & 0xffff) << 16;
  store(ctl, NEXT, tag | MAX_CHUNKS);
  store(ctl, TASK, task);
  store(ctl, ARGS, args);
  store(ctl, TOTAL, total);
  store(ctl, DONE, 0);
  store(ctl, NEXT, tag);
  store(ctl, GEN, gen);
}

/** A worker's life: wait for a new generation (spinning a little first), run its chunks. */
export function workLoop(kernels: KernelExports, ctl: Int32Array, tid: number, spin: number): never {
  let seen = Atomics.load(ctl, GEN);
  for (;;) {
    let gen = Atomics.load(ctl, GEN);
    for (let i = 0; i < spin && gen === seen; i++) gen = Atomics.load(ctl, GEN);
    if (gen === seen) {
      Atomics.wait(ctl, GEN, seen);
      gen = Atomics.load(ctl, GEN);
    }
    seen = gen;
    claimChunks(kernels, ctl, gen, tid);
  }
}

/** The watchdog's line: which threads still hold which chunks of the task. */
export function stuckReport(ctl: Int32Array, task: number, done: number, total: number, seconds: number): string {
  const out: string[] = [];
  for (let tid = 0; tid < TRACKED && RUNNING + tid < ctl.length; tid++) {
    const r = Atomics.load(ctl, RUNNING + tid);
    if (r !== 0) out.push(`thread ${tid} in chunk ${r - 1}`);
  }
  return `striate: wasm backend: kernel task ${task} has waited ${Math.round(seconds)} s with ${done} of ${total} chunks counted ` +
    `(${out.length > 0 ? out.join(', ') : 'no tracked thread in a chunk: a worker may have ended holding one'}); ` +
    'it goes on waiting. If it never ends, please report this line.';
}

const nodeWorkers: typeof import('node:worker_threads') | null = isNode ? await import('node:worker_threads') : null;

export class Pool {
  private readonly ctl: Int32Array;
  private gen = 0;
  private readonly workers: { terminate(): unknown }[] = [];
  /** the caller may block in Atomics.wait (Node, workers), or must spin (a browser page) */
  private readonly canBlock: boolean;
  /**
   * Counters for bench/step_trace.ts: tasks handed to the pool, how many found a worker asleep
   * (Atomics.notify woke one: a futex wake-up), and how many made the caller sleep until the
   * last chunk was counted.
   */
  readonly stats = { dispatches: 0, wakes: 0, callerWaits: 0 };

  constructor(private readonly kernels: KernelExports, memory: WebAssembly.Memory, module: WebAssembly.Module,
              control: number, readonly threads: number, scratchBase: number, scratchBytes: number) {
    this.ctl = new Int32Array(memory.buffer, control, 16);
    this.ctl.fill(0);
    this.canBlock = isNode || typeof (globalThis as { document?: unknown }).document === 'undefined';
    const url = new URL('./worker.js', import.meta.url);
    for (let tid = 1; tid < threads; tid++) {
      const setup: WorkerSetup = { module, memory, control, tid, scratchBase, scratchBytes, spin: 20000 };
      if (nodeWorkers) {
        const w = new nodeWorkers.Worker(url, { workerData: setup });
        w.unref();
        this.workers.push(w);
      } else {
        const w = new Worker(url, { type: 'module' });
        w.postMessage(setup);
        this.workers.push(w);
      }
    }
  }

  /** Runs chunks 0..total-1 of `task` on every thread and returns when all are done. */
  run(task: number, args: number, total: number): void {
    if (total <= 0) return;
    if (this.threads === 1 || total === 1) {
      for (let i = 0; i < total; i++) this.kernels.runTask(task, args, i, 0);
      return;
    }
    const ctl = this.ctl;
    const gen = (this.gen = (this.gen + 1) & 0x7fffffff);
    publishTask(ctl, gen, task, args, total);
    this.stats.dispatches++;
    if (Atomics.notify(ctl, GEN) > 0) this.stats.wakes++;
    claimChunks(this.kernels, ctl, gen, 0);
    let lastDone = -1, since = 0, told = false;
    for (let spins = 0; ; spins++) {
      const done = Atomics.load(ctl, DONE);
      if ((spins & 1023) === 0 && !told) {
        const now = performance.now();
        if (done !== lastDone) {
          lastDone = done;
          since = now;
        } else if (now - since > WATCH_SECONDS * 1000) {
          told = true;
          console.error(stuckReport(ctl, task, done, total, (now - since) / 1000));
        }
      }
      if (done === total) {
        if (Atomics.load(ctl, FAILED) !== 0) {
          Atomics.store(ctl, FAILED, 0);
          throw new Error(`wasm backend: a chunk of kernel task ${task} failed (a wasm trap: a kernel read or wrote outside memory); ` +
            'the task\'s output is incomplete');
        }
        return;
      }
      if (this.canBlock && spins > 2000) {
        if (spins === 2001) this.stats.callerWaits++;
        Atomics.wait(ctl, DONE, done, 1);
      }
    }
  }

  terminate(): void {
    for (const w of this.workers) w.terminate();
    this.workers.length = 0;
  }
}
