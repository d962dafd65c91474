import { sleep } from '../time/sleep';
import type { Backoff } from './backoff';

/*
 * The one retry loop for network calls (in the spirit of KafkaJS's retrier): attempt, and after a failure either give
 * up with that failure or pause by the backoff and try again. An error says itself whether another attempt can help
 * (`retryable: false` on it, as a StartupError or a client error has); anything else is assumed to be transient, and
 * the attempt limit, the deadline or `cancelled` bound the loop.
 */

export interface RetryOptions {
  backoff: Backoff;
  /** Attempts at most, the first included; unbounded when not given. */
  attempts?: number;
  /** No new attempt once this long has passed since the first began (checked after a failure). */
  timeoutMs?: number;
  /** Whether `err` is worth another attempt; by default what the error says of itself (`isRetryable`). */
  retryable?: (err: unknown) => boolean;
  /** Checked after each pause: true gives up with the last failure (the caller is shutting down, or done otherwise). */
  cancelled?: () => boolean;
  /** Told of each failure that will be retried, before the pause: where a caller logs. */
  onRetry?: (err: unknown, failures: number, delayMs: number) => void;
  /** Injected by tests, so that a unit test needs no real timers. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** False only for an error that declares `retryable: false`: it will fail the same way however often it is tried. */
export function isRetryable(err: unknown): boolean {
  return (err as { retryable?: unknown } | undefined)?.retryable !== false;
}

/** Runs `attempt` (given its number, from 1) until it resolves; rejects with the last failure when it gives up. */
export async function retry<T>(attempt: (n: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const now = o.now ?? Date.now;
  const pause = o.sleep ?? sleep;
  const deadline = o.timeoutMs === undefined ? Infinity : now() + o.timeoutMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(o.retryable ?? isRetryable)(err) || n >= (o.attempts ?? Infinity) || now() > deadline) throw err;
      const delayMs = o.backoff(n);
      o.onRetry?.(err, n, delayMs);
      if (delayMs > 0) await pause(delayMs);
      if (o.cancelled?.()) throw err;
    }
  }
}
