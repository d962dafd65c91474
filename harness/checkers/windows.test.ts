import { faultLabel, joinProblems, listSome, targetPid } from './format';
import { fault, T0 } from './test-fixtures';
import { faultSpan, isSteady, overlaps } from './windows';

const f = fault('pause-worker', 1000, 2000, 4567);

test('a fault span runs from injection to healing plus the grace', () => {
  expect(faultSpan(f, 500)).toEqual({ from: T0 + 1000, to: T0 + 3500 });
});

test('an op belongs to a span when its lifetime touches it', () => {
  const span = faultSpan(f, 500);
  expect(overlaps({ startedAt: T0 + 500, endedAt: T0 + 1000 }, span)).toBe(true); // ended as the fault began
  expect(overlaps({ startedAt: T0 + 3500, endedAt: T0 + 3600 }, span)).toBe(true); // started at the end of the grace
  expect(overlaps({ startedAt: T0 + 500, endedAt: T0 + 999 }, span)).toBe(false);
  expect(overlaps({ startedAt: T0 + 3501, endedAt: T0 + 3600 }, span)).toBe(false);
  expect(isSteady({ startedAt: T0 + 3501, endedAt: T0 + 3600 }, [f], 500)).toBe(true);
  expect(isSteady({ startedAt: T0 + 3501, endedAt: T0 + 3600 }, [f], 501)).toBe(false);
});

test('format helpers', () => {
  expect(faultLabel(f)).toBe('pause-worker of 4567 at 12:00:01.000');
  expect(faultLabel(fault('restart-zookeeper', 0, 1))).toBe('restart-zookeeper at 12:00:00.000');
  expect(targetPid(f)).toBe(4567);
  expect(targetPid(fault('restart-rabbitmq', 0, 1, 'rabbitmq'))).toBeUndefined();
  expect(listSome(['a', 'b', 'c', 'd'], 2)).toBe('a, b, …');
  expect(joinProblems(['a', 'b', 'c', 'd', 'e'])).toBe('a; b; c; and 2 more');
});
