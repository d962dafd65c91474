import { emptyHistory } from '../core/history';
import type { LoadRun } from '../core/load-run';
import { LoadChecker } from './load-checker';

function run(over: Partial<LoadRun> = {}): LoadRun {
  return {
    label: 'fixed rate',
    rate: 1000,
    connections: 16,
    durationS: 10,
    requestsPerSec: { mean: 1000, p50: 1000, min: 990, max: 1010 },
    latencyMs: { p50: 3, p90: 6, p97_5: 9, p99: 12, max: 40 },
    requests: 10000,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    ...over,
  };
}

const check = (c: LoadChecker, load: LoadRun[]) => c.check({ history: emptyHistory(), load });

test('passes a run within its limits', () => {
  const v = check(new LoadChecker({ run: 'fixed rate', maxP99Ms: 20 }), [run()]);
  expect(v.valid).toBe(true);
});

test('fails on a slow p99 and names it', () => {
  const v = check(new LoadChecker({ run: 'fixed rate', maxP99Ms: 20 }), [run({ latencyMs: { p50: 3, p90: 6, p97_5: 9, p99: 35, max: 80 } })]);
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/p99 latency/);
});

test('fails on too many errors, counting non-2xx answers', () => {
  const v = check(new LoadChecker({ run: 'fixed rate' }), [run({ non2xx: 200 })]);
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/error share/);
});

test('fails when the run is missing or sent nothing', () => {
  expect(check(new LoadChecker({ run: 'saturation' }), [run()]).valid).toBe(false);
  expect(check(new LoadChecker({ run: 'fixed rate' }), [run({ requests: 0 })]).valid).toBe(false);
});

test('a fixed-rate run that falls behind its rate fails when a share is asked for', () => {
  const slow = run({ requestsPerSec: { mean: 700, p50: 700, min: 650, max: 760 } });
  expect(check(new LoadChecker({ run: 'fixed rate' }), [slow]).valid).toBe(true);
  const v = check(new LoadChecker({ run: 'fixed rate', minRateShare: 0.9 }), [slow]);
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/kept up with 1000 req\/s/);
});
