export interface Summary {
  n: number;
  min: number;
  median: number;
  p90: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function summarize(values: number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, min: s[0] ?? NaN, median: percentile(s, 50), p90: percentile(s, 90), max: s.at(-1) ?? NaN };
}
