import { LsnTracker, parseLsnHeader } from './lsn';

test('the tracker only moves forward', () => {
  const t = new LsnTracker();
  expect(t.highest).toBe(0);
  t.observe(5);
  t.observe(3);
  t.observe(undefined);
  t.observe(Number.NaN);
  expect(t.highest).toBe(5);
  t.observe(9);
  expect(t.highest).toBe(9);
});

test('an LSN header is a non-negative integer or absent', () => {
  expect(parseLsnHeader(undefined)).toBeUndefined();
  expect(parseLsnHeader('0')).toBe(0);
  expect(parseLsnHeader('42')).toBe(42);
  expect(parseLsnHeader(['7', '8'])).toBe(7);
  for (const bad of ['', '-1', '1.5', 'abc', ' 1', '1234567890123456']) expect(() => parseLsnHeader(bad)).toThrow(/non-negative integer/);
});
