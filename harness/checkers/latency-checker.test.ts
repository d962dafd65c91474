import type { Operation } from '../core/history';
import { LatencyChecker } from './latency-checker';
import { fault, history, ops } from './test-fixtures';

/** 100 ops of one kind, 100 ms apart from `from`, taking 1..100 ms. */
function hundred(from: number, kind: Operation['kind'], scale = 1) {
  return Array.from({ length: 100 }, (_, i) => ({ at: from + i * 100, kind, ms: (i + 1) * scale }));
}

const steady = ops(...hundred(0, 'read'), ...hundred(20000, 'write', 2));
const check = (o: Operation[], options = {}, faults = [] as ReturnType<typeof fault>[]) =>
  new LatencyChecker(options).check({ history: history({ ops: o, faults }) });

test('reports nearest-rank percentiles per kind, informational without limits', () => {
  const v = check(steady);
  expect(v.valid).toBe(true);
  expect(v.summary).toBe('steady state read p50/p90/p99/max 50/90/99/100 ms (n=100); write p50/p90/p99/max 100/180/198/200 ms (n=100)');
  expect(v.thresholds).toHaveLength(8);
  expect(v.thresholds[2]).toEqual({ name: 'read p99 (100 steady ok ops)', actual: 99, limit: 'none', unit: 'ms', pass: true });
});

test('fails when a limit is exceeded, naming kind, metric and values', () => {
  const v = check(steady, { limits: { write: { p99: 150 }, read: { p99: 150 } } });
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('write p99 198 ms over the 150 ms limit (100 steady ok writes)');
  expect(v.thresholds.filter((t) => !t.pass).map((t) => t.name)).toEqual(['write p99 (100 steady ok ops)']);
  expect(check(steady, { limits: { write: { p99: 200, max: 200 } } }).valid).toBe(true);
});

test('leaves out ops during faults and their grace, and failed ops', () => {
  const slowDuringFault = ops(...hundred(0, 'read'), { at: 50000, kind: 'read', ms: 9000 }, { at: 60000, kind: 'read', ms: 8000, outcome: 'failed' });
  const kill = fault('kill-master', 49000, 2000, 300);
  expect(check(slowDuringFault, { limits: { read: { max: 100 } } }, [kill]).valid).toBe(true);
  // The same slow op outside any window counts.
  const v = check(slowDuringFault, { limits: { read: { max: 100 } } });
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('read max 9000 ms over the 100 ms limit (101 steady ok reads)');
});

test('fails when a limit is set for a kind that has no steady-state ops', () => {
  const v = check(ops(...hundred(0, 'read')), { limits: { write: { p99: 100 } } });
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('no steady-state ok writes to hold to the p99 limit');
  expect(check([]).summary).toBe('no steady-state ok ops to measure');
});
