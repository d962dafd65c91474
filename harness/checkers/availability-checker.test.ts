import type { Operation } from '../core/history';
import { AvailabilityChecker } from './availability-checker';
import { fault, history, ops } from './test-fixtures';

/** `n` ops 100 ms apart from `from`, the first `bad` of them failed. */
function stretch(from: number, n: number, bad = 0, kind: Operation['kind'] = 'write') {
  return Array.from({ length: n }, (_, i) => ({ at: from + i * 100, kind, outcome: i < bad ? ('failed' as const) : ('ok' as const) }));
}

const kill = fault('kill-master', 10000, 1500, 300);
const check = (o: Operation[], options = {}, faults = [kill]) => new AvailabilityChecker(options).check({ history: history({ ops: o, faults }) });

test('passes when the steady state is clean and a fault costs a little', () => {
  // 0..9.9 s steady, 10..16.5 s fault (with grace): 10 of 65 fail, 20..29.9 s steady again.
  const v = check(ops(...stretch(0, 100), ...stretch(10000, 65, 10), ...stretch(20000, 100)));
  expect(v.valid).toBe(true);
  expect(v.summary).toBe('steady state 0% unavailable (0/200 ops); worst of 1 fault window 15.4% (kill-master of 300 at 12:00:10.000)');
  expect(v.thresholds).toEqual([
    { name: 'steady state: ops failed or unknown (0/200)', actual: 0, limit: '<= 1', unit: '%', pass: true },
    { name: 'kill-master of 300 at 12:00:10.000: ops failed or unknown (10/65)', actual: 15.4, limit: '<= 50', unit: '%', pass: true },
  ]);
});

test('fails when the system does not come back within the window', () => {
  const v = check(ops(...stretch(0, 100), ...stretch(10000, 65, 60), ...stretch(20000, 100)));
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('kill-master of 300 at 12:00:10.000: 92.3% of 65 ops failed or unknown (limit 50%)');
});

test('fails when the steady state loses ops, counting unknown outcomes too', () => {
  const steady = ops(...stretch(0, 100)).map((op, i) => (i < 3 ? { ...op, outcome: 'unknown' as const, status: 0 } : op));
  const v = check(steady, {}, []);
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('steady state: 3% of 100 ops failed or unknown (limit 1%)');
});

test('an op in flight when the fault struck, or within the grace after it, is the fault\'s, not the steady state\'s', () => {
  const o = ops(
    ...stretch(0, 50),
    ...stretch(10000, 10),
    { at: 9000, ms: 2000, outcome: 'unknown', status: 0 }, // started before the kill, timed out during it
    { at: 15000, outcome: 'failed' }, // within the 5 s grace after the fault healed at 11.5 s
  );
  const v = check(o);
  expect(v.valid).toBe(true);
  expect(v.thresholds[0]).toMatchObject({ actual: 0, pass: true });
  expect(v.thresholds[1]).toMatchObject({ name: expect.stringContaining('(2/12)') });
  // With no grace, the late failure falls into the steady state and sinks it.
  expect(check(o, { graceMs: 0 }).summary).toBe('steady state: 2% of 51 ops failed or unknown (limit 1%)');
});

test('per-kind limits override the general one', () => {
  const o = ops(...stretch(0, 100), ...stretch(10000, 65, 20));
  expect(check(o).valid).toBe(true);
  const v = check(o, { maxUnavailableByKind: { 'kill-master': 0.2 } });
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('kill-master of 300 at 12:00:10.000: 30.8% of 65 ops failed or unknown (limit 20%)');
});

test('can count only one kind of op', () => {
  const o = ops(...stretch(0, 100, 0, 'read'), ...stretch(10000, 20, 15, 'write'), ...stretch(10050, 40, 0, 'read'));
  expect(check(o).valid).toBe(true);
  expect(check(o, { kinds: ['write'] }).summary).toBe('kill-master of 300 at 12:00:10.000: 75% of 20 ops failed or unknown (limit 50%)');
});

test('a window without ops passes and says so', () => {
  const v = check(ops(...stretch(0, 50)), {}, [fault('restart-rabbitmq', 60000, 3000, 'rabbitmq')]);
  expect(v.valid).toBe(true);
  expect(v.summary).toBe('steady state 0% unavailable (0/50 ops); 1 fault window saw no ops');
  expect(v.thresholds[1]).toMatchObject({ actual: 'no ops', pass: true });
});

test('refuses limits that are not shares', () => {
  expect(() => new AvailabilityChecker({ maxUnavailableSteady: 5 })).toThrow('limit steady must be a share between 0 and 1, got 5');
});
