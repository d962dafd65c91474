/*
 * A latency distribution as HdrHistogram plots it: latency at percentiles that get denser toward the tail, so that
 * 99.9 % is as far from 99 % as 99 % is from 90 %. Used by the load recorder (from histograms) and by the report (from
 * the operations of a history).
 */

export interface SpectrumPoint {
  /** Percentile, 0..100. */
  p: number;
  ms: number;
}

/** Steps per decade of 1 / (1 - p): 10 gives 90, 92.1, 93.7 ... 99, 99.2 ... */
const STEPS_PER_DECADE = 10;

/** The percentiles worth plotting for `count` values: no finer than one value (then the maximum, at 100). */
export function spectrumPercentiles(count: number): number[] {
  if (count <= 0) return [];
  const decades = Math.log10(Math.max(1, count));
  const out: number[] = [];
  for (let k = 0; k <= decades * STEPS_PER_DECADE; k++) out.push(100 * (1 - 10 ** (-k / STEPS_PER_DECADE)));
  out.push(100);
  return out;
}

/** The spectrum of `count` values given a lookup of the value at a percentile. */
export function spectrumOf(count: number, valueAt: (p: number) => number): SpectrumPoint[] {
  return spectrumPercentiles(count).map((p) => ({ p: Number(p.toFixed(6)), ms: valueAt(p) }));
}

/** Value at percentile p of ascending values (nearest rank; 100 is the maximum). */
export function nearestRank(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** x position of a percentile on the spectrum's axis: decades of 1 / (1 - p), so 90 % is 1, 99 % is 2, 99.9 % is 3. */
export function spectrumX(p: number, maxDecades: number): number {
  if (p >= 100) return maxDecades;
  return Math.min(maxDecades, -Math.log10(1 - p / 100));
}
