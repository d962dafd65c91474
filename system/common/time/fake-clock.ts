import type { Clock } from './clock';

/*
 * A Clock for unit tests: it moves only when the test says so. `advance` moves both clocks and runs the timers that
 * fall due, in order; `suspend` moves only the wall clock (what a suspended VM sees when it wakes: CLOCK_MONOTONIC
 * stood still); `jumpWall` moves the wall clock either way (an NTP step), without running timers.
 */
export class FakeClock implements Clock {
  private mono: number;
  private wallMs: number;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;

  constructor(start = 1_000_000, wallStart = Date.UTC(2024, 0, 1)) {
    this.mono = start;
    this.wallMs = wallStart;
  }

  now = (): number => this.mono;
  wall = (): number => this.wallMs;

  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.push({ at: this.mono + Math.max(0, ms), fn, id });
    return id;
  };

  clearTimeout = (id: unknown): void => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };

  /** Timers waiting to run. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves both clocks by `ms`, running every timer that falls due (timers set by timers included). */
  advance(ms: number): void {
    const end = this.mono + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.wallMs += due.at - this.mono;
      this.mono = due.at;
      due.fn();
    }
    this.wallMs += end - this.mono;
    this.mono = end;
  }

  /** Like `advance`, but lets promise callbacks run between timers (for code that awaits between sleeps). */
  async advanceAsync(ms: number, step = 10): Promise<void> {
    for (let done = 0; done < ms; done += step) {
      this.advance(Math.min(step, ms - done));
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    }
  }

  /** The machine was suspended for `ms`: the wall clock moved, the monotonic one did not. */
  suspend(ms: number): void {
    this.wallMs += ms;
  }

  /** The wall clock was stepped by `ms` (negative: backwards). */
  jumpWall(ms: number): void {
    this.wallMs += ms;
  }
}
