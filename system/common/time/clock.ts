/*
 * The one clock of the project: time as seen by anything that measures durations or waits (the master's lease, the
 * autoscaler, the supervisor), injectable so that unit tests drive it (see fake-clock.ts).
 *
 * `now()` is monotonic: it never goes back, so durations measured with it are never negative. On Linux it is
 * CLOCK_MONOTONIC, which stops while the machine (or the VM) is suspended. `wall()` is the wall clock: it keeps
 * counting through a suspend, but NTP or an operator can make it jump either way. Code that must not believe a
 * duration is shorter than it really was (the lease) asks both and believes the longer one.
 */
export interface Clock {
  /** Monotonic milliseconds (arbitrary origin). */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch; what timestamps shown to people use. */
  wall(): number;
  /** Runs `fn` after `ms` (monotonic); the handle is for `clearTimeout`. Does not keep the process alive. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wall: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Resolves after `ms` on `clock`. */
export function sleepOn(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => void clock.setTimeout(resolve, ms));
}
