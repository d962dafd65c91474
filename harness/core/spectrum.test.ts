import { nearestRank, spectrumOf, spectrumPercentiles, spectrumX } from './spectrum';

test('the percentiles get denser toward the tail and stop at what the count can tell, then the maximum', () => {
  const ps = spectrumPercentiles(1000);
  expect(ps[0]).toBe(0);
  expect(ps).toContainEqual(expect.closeTo(90, 6));
  expect(ps).toContainEqual(expect.closeTo(99.9, 6));
  expect(Math.max(...ps.slice(0, -1))).toBeLessThanOrEqual(99.9 + 1e-9);
  expect(ps.at(-1)).toBe(100);
  expect(spectrumPercentiles(0)).toEqual([]);
});

test('spectrum of sorted values by nearest rank; x is decades of 1 / (1 - p)', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  const s = spectrumOf(values.length, (p) => nearestRank(values, p));
  expect(s[0]).toEqual({ p: 0, ms: 1 });
  expect(s.find((x) => Math.abs(x.p - 90) < 1e-6)?.ms).toBe(90);
  expect(s.at(-1)).toEqual({ p: 100, ms: 100 });
  expect(spectrumX(99, 4)).toBeCloseTo(2);
  expect(spectrumX(100, 4)).toBe(4);
});
