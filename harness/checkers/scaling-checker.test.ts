import type { ScaleTick } from '../core/history';
import { ScalingChecker } from './scaling-checker';
import { history, T0 } from './test-fixtures';

function ticks(...pairs: [target: number, observed: number][]): ScaleTick[] {
  return pairs.map(([target, observedSlaves], i) => ({ at: T0 + (i + 1) * 120000, reads: target * 20, target, observedSlaves }));
}

const expected = [2, 3, 4, 1];

test('passes when every tick shows the expected slave count', () => {
  const v = new ScalingChecker({ expected }).check({ history: history({ scaleTicks: ticks([2, 2], [3, 3], [4, 4], [1, 1]) }) });
  expect(v.valid).toBe(true);
  expect(v.summary).toBe('4 ticks matched the expected slave counts [2, 3, 4, 1]');
  expect(v.thresholds).toHaveLength(4);
  expect(v.thresholds.every((t) => t.pass)).toBe(true);
});

test('fails on a wrong count and names the tick', () => {
  const v = new ScalingChecker({ expected }).check({ history: history({ scaleTicks: ticks([2, 2], [3, 3], [4, 3], [1, 1]) }) });
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/^tick 3 at 12:06:00\.000: 3 ready slaves, expected 4 /);
  expect(v.summary).toContain('saw [2, 3, 3, 1]');
  expect(v.thresholds.map((t) => t.pass)).toEqual([true, true, false, true]);
});

test('fails when the autoscaler aimed wrong even if the count matches, unless told not to look', () => {
  const h = history({ scaleTicks: ticks([2, 2], [5, 3], [4, 4], [1, 1]) });
  const v = new ScalingChecker({ expected }).check({ history: h });
  expect(v.valid).toBe(false);
  expect(v.summary).toContain('tick 2 at 12:04:00.000: autoscaler targeted 5 slaves for 100 reads, expected 3');
  expect(new ScalingChecker({ expected, checkTarget: false }).check({ history: h }).valid).toBe(true);
});

test('fails on missing ticks and says which', () => {
  const v = new ScalingChecker({ expected }).check({ history: history({ scaleTicks: ticks([2, 2], [3, 3]) }) });
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/^tick 3 missing \(expected 4 slaves\); tick 4 missing \(expected 1 slave\)/);
  expect(v.thresholds[3]).toMatchObject({ actual: 'missing', pass: false });
});

test('judges ticks in time order even when recorded out of order', () => {
  const [a, b, c, d] = ticks([2, 2], [3, 3], [4, 4], [1, 1]);
  expect(new ScalingChecker({ expected }).check({ history: history({ scaleTicks: [b, a, d, c] }) }).valid).toBe(true);
});

describe('ticks beyond the schedule', () => {
  const h = history({ scaleTicks: ticks([2, 2], [3, 3], [4, 4], [1, 1], [1, 2]) });

  test('are ignored by default', () => {
    expect(new ScalingChecker({ expected }).check({ history: h }).valid).toBe(true);
  });

  test('must hold the last count with hold-last', () => {
    const v = new ScalingChecker({ expected, extraTicks: 'hold-last' }).check({ history: h });
    expect(v.valid).toBe(false);
    expect(v.summary).toContain('tick 5 at 12:10:00.000: 2 ready slaves, expected 1');
    const steady = history({ scaleTicks: ticks([2, 2], [3, 3], [4, 4], [1, 1], [1, 1]) });
    expect(new ScalingChecker({ expected, extraTicks: 'hold-last' }).check({ history: steady }).valid).toBe(true);
  });

  test('fail with forbid', () => {
    const v = new ScalingChecker({ expected, extraTicks: 'forbid' }).check({ history: h });
    expect(v.valid).toBe(false);
    expect(v.summary).toContain('1 tick beyond the 4 expected');
  });
});

test('refuses a nonsensical schedule', () => {
  expect(() => new ScalingChecker({ expected: [1, -1] })).toThrow('expected slave counts must be integers >= 0, got -1');
});
