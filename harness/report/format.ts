/** Number formatting shared by the Markdown, HTML and console outputs, so they show the same figures. */

/** Milliseconds with a precision that suits their size: 0.42, 4.2, 42, 420. */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1) return ms.toFixed(2);
  if (ms < 10) return ms.toFixed(1);
  return Math.round(ms).toString();
}

export function fmtNum(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return Number.isInteger(n) ? n.toString() : n.toFixed(digits);
}

/** A ratio 0..1 as a percentage; keeps two decimals near 100 % where the difference matters (99.95 vs 100). */
export function fmtPct(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  const pct = ratio * 100;
  if (pct === 100 || pct === 0) return `${pct} %`;
  return `${pct >= 99 ? pct.toFixed(2) : pct.toFixed(1)} %`;
}

/** Seconds relative to the run's start, e.g. "20.0 s". */
export function fmtRelS(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function fmtActual(actual: number | string, unit?: string): string {
  const v = typeof actual === 'number' ? fmtNum(actual, 2) : actual;
  return unit ? `${v} ${unit}` : v;
}
