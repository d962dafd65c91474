/**
 * How long to pause after the `failures`-th failed attempt (1 after the first). A function rather than a config
 * object, so that each caller's formula reads in one line where it is used.
 */
export type Backoff = (failures: number) => number;

/** The same pause every time: for a loop that must keep going, where a growing pause would only slow recovery. */
export const constantBackoff =
  (ms: number): Backoff =>
  () =>
    ms;

/** `stepMs` more after each failure, at most `maxMs`: for a server that is expected to come up soon. */
export const linearBackoff =
  (stepMs: number, maxMs: number): Backoff =>
  (failures) =>
    Math.min(maxMs, stepMs * failures);

/** `baseMs * 2^failures`, at most `maxMs`: for failures that may repeat, so as not to hammer what keeps failing. */
export const exponentialBackoff =
  (baseMs: number, maxMs: number): Backoff =>
  (failures) =>
    Math.min(maxMs, baseMs * 2 ** failures);
