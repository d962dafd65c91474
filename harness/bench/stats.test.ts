import { percentile, round, summarize } from './stats';

test('nearest-rank percentiles', () => {
  const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  expect(percentile(s, 50)).toBe(5);
  expect(percentile(s, 90)).toBe(9);
  expect(percentile(s, 99)).toBe(10);
  expect(percentile(s, 100)).toBe(10);
  expect(percentile([], 50)).toBeNaN();
});

test('summaries sort their input, ignore non-finite values and give the mean', () => {
  expect(summarize([3, 1, 2, NaN])).toEqual({ n: 3, min: 1, median: 2, p90: 3, p99: 3, max: 3, mean: 2 });
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
  expect(summarize(hundred)).toMatchObject({ min: 1, median: 50, p90: 90, p99: 99, max: 100 });
  expect(summarize([]).n).toBe(0);
});

test('rounding keeps about three significant digits', () => {
  expect(round(1234.56)).toBe(1235);
  expect(round(12.345)).toBe(12.3);
  expect(round(1.2345)).toBe(1.23);
  expect(round(NaN)).toBeNaN();
});
