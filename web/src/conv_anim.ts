/**
 * The convolution explainer's sliding-window sweep: which output cells the window has passed,
 * where it sits now, and a clock that moves it. It knows nothing of canvases or tensors; the page
 * reads `filled`/`sweeping`/`playing` after each change and draws.
 *
 * Two modes. Exploring (`sweeping` false): the whole output is shown and the reader picks any cell.
 * Sweeping: the window walks the output row by row, left to right; cells before it and the one
 * under it are revealed, the rest are blank, so the window always sits on cell `filled - 1`.
 * The sweep stops at the last cell and goes back to exploring (it does not loop: a reader who
 * looks away should come back to a finished picture, not a half-blank one).
 */

export type Speed = 'slow' | 'medium' | 'fast';

/** milliseconds per output cell: slow is readable cell by cell, fast sweeps 26x26 in about 5 s */
export const MS_PER_CELL: Record<Speed, number> = { slow: 400, medium: 60, fast: 8 };

/**
 * A frame can come late (a background tab pauses requestAnimationFrame): count at most this much
 * elapsed time per frame, so coming back to the tab resumes the sweep instead of jumping to its end.
 */
const MAX_FRAME_MS = 250;

export class Sweep {
  /** output cells in all */
  total = 1;
  /** output cells revealed: `total` when exploring, 1..total while sweeping */
  filled = 1;
  sweeping = false;
  playing = false;
  msPerCell = MS_PER_CELL.medium;
  private frame = 0;
  private lastTime = -1;
  /** elapsed time not yet spent on whole cells, kept between frames so the pace does not drift */
  private owed = 0;

  constructor(private readonly changed: () => void) {}

  /** The window's cell (row-major index) while sweeping; null when exploring. */
  get current(): number | null {
    return this.sweeping ? this.filled - 1 : null;
  }

  /** New output (kernel, stride, padding or image changed): a sweep under way starts over at the first cell. */
  restart(total: number): void {
    this.total = Math.max(1, total);
    this.filled = this.sweeping ? 1 : this.total;
    this.owed = 0;
  }

  play(): void {
    if (this.playing) return;
    if (!this.sweeping) this.begin();
    this.playing = true;
    this.lastTime = -1;
    this.owed = 0;
    this.frame = requestAnimationFrame(this.tick);
    this.changed();
  }

  pause(): void {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.frame);
    this.changed();
  }

  /** One cell on (a sweep starts at the first cell); pauses, since the reader has taken the wheel. */
  step(): void {
    this.stopClock();
    if (!this.sweeping) this.begin();
    else this.advance(1);
    this.changed();
  }

  /** The reader picked a cell (click or arrow keys): the animation stops and a sweep's window jumps there. */
  jumpTo(index: number): void {
    this.stopClock();
    if (this.sweeping) this.filled = Math.max(1, Math.min(this.total, index + 1));
    this.changed();
  }

  private begin(): void {
    this.sweeping = true;
    this.filled = 1;
  }

  private stopClock(): void {
    this.playing = false;
    cancelAnimationFrame(this.frame);
  }

  /** Past the last cell the sweep is over: everything is shown and the reader explores again. */
  private advance(cells: number): void {
    if (this.filled + cells > this.total) {
      this.filled = this.total;
      this.sweeping = false;
      this.stopClock();
    } else {
      this.filled += cells;
    }
  }

  // elapsed time, not a fixed step per frame: the pace is the same at 60 Hz, 120 Hz or a janky 20 Hz
  private readonly tick = (now: number): void => {
    if (!this.playing) return;
    if (this.lastTime >= 0) this.owed += Math.min(MAX_FRAME_MS, now - this.lastTime);
    this.lastTime = now;
    const cells = Math.floor(this.owed / this.msPerCell);
    if (cells > 0) {
      this.owed -= cells * this.msPerCell;
      // the last cell stays on screen as the window's final position; one more cell ends the sweep
      this.advance(Math.min(cells, this.total - this.filled) || 1);
      this.changed();
    }
    if (this.playing) this.frame = requestAnimationFrame(this.tick);
  };
}
