import { DbaasError, ServiceSetupError } from '../errors/errors';
import { constantBackoff, exponentialBackoff, linearBackoff } from './backoff';
import { isRetryable, retry } from './retry';

/** A fake clock: `sleep` only moves `now` on and records the pause, so no test waits for real time. */
function fakeTime() {
  const t = { now: 0, pauses: [] as number[] };
  return {
    t,
    now: () => t.now,
    sleep: async (ms: number) => {
      t.pauses.push(ms);
      t.now += ms;
    },
  };
}

/** An attempt that fails `failures` times, then answers 'ok'. */
function flaky(failures: number, err: unknown = new Error('ECONNREFUSED')) {
  const calls: number[] = [];
  return {
    calls,
    attempt: async (n: number) => {
      calls.push(n);
      if (calls.length <= failures) throw err;
      return 'ok';
    },
  };
}

describe('backoff', () => {
  test('constant, linear with a cap, exponential with a cap', () => {
    expect([1, 2, 3].map(constantBackoff(500))).toEqual([500, 500, 500]);
    expect([1, 2, 9, 20].map(linearBackoff(100, 1000))).toEqual([100, 200, 900, 1000]);
    expect([1, 2, 3, 5, 6].map(exponentialBackoff(200, 5000))).toEqual([400, 800, 1600, 5000, 5000]);
  });
});

describe('retry', () => {
  test('tries again after each failure, pausing by the backoff, and returns the first success', async () => {
    const clock = fakeTime();
    const f = flaky(3);
    const seen: Array<[number, number]> = [];
    const out = await retry(f.attempt, { backoff: linearBackoff(100, 1000), ...clock, onRetry: (_e, n, ms) => seen.push([n, ms]) });
    expect(out).toBe('ok');
    expect(f.calls).toEqual([1, 2, 3, 4]);
    expect(clock.t.pauses).toEqual([100, 200, 300]);
    expect(seen).toEqual([[1, 100], [2, 200], [3, 300]]);
  });

  test('gives up with the last failure after `attempts`', async () => {
    const clock = fakeTime();
    const f = flaky(5, new Error('no answer'));
    await expect(retry(f.attempt, { backoff: constantBackoff(0), attempts: 3, ...clock })).rejects.toThrow('no answer');
    expect(f.calls).toEqual([1, 2, 3]);
    expect(clock.t.pauses).toEqual([]); // a zero pause is no pause
  });

  test('makes no new attempt once the deadline has passed', async () => {
    const clock = fakeTime();
    const f = flaky(100);
    await expect(retry(f.attempt, { backoff: constantBackoff(400), timeoutMs: 1000, ...clock })).rejects.toThrow('ECONNREFUSED');
    // attempts at 0, 400, 800, 1200: the failure at 1200 is past the deadline
    expect(f.calls).toEqual([1, 2, 3, 4]);
  });

  test('stops after a pause when cancelled, with the last failure', async () => {
    const clock = fakeTime();
    const f = flaky(100);
    let closed = false;
    const done = retry(f.attempt, { backoff: constantBackoff(500), cancelled: () => closed, ...clock, onRetry: (_e, n) => (closed = n === 2) });
    await expect(done).rejects.toThrow('ECONNREFUSED');
    expect(f.calls).toEqual([1, 2]);
  });

  test('does not retry an error that says a retry cannot help', async () => {
    const clock = fakeTime();
    const f = flaky(1, new ServiceSetupError('install zookeeper'));
    await expect(retry(f.attempt, { backoff: constantBackoff(10), ...clock })).rejects.toThrow('install zookeeper');
    expect(f.calls).toEqual([1]);
  });

  test('a caller may decide what is retryable', async () => {
    const clock = fakeTime();
    const f = flaky(2, new ServiceSetupError('x'));
    await expect(retry(f.attempt, { backoff: constantBackoff(10), retryable: () => true, ...clock })).resolves.toBe('ok');
  });
});

describe('isRetryable', () => {
  test('errors say whether another attempt can help', () => {
    expect(isRetryable(new Error('ECONNRESET'))).toBe(true);
    expect(isRetryable(new DbaasError('unavailable', 'broker away'))).toBe(true);
    expect(isRetryable(new DbaasError('timeout', 'slow'))).toBe(true);
    expect(isRetryable(new DbaasError('bad_request', 'no such table'))).toBe(false);
    expect(isRetryable(new ServiceSetupError('no docker'))).toBe(false);
    expect(isRetryable(undefined)).toBe(true);
  });
});
