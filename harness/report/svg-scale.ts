/*
 * Scales and tick choice for the report's charts. A scale maps a data value to a pixel; ticks are "nice" round
 * values (1, 2 or 5 times a power of ten) so that axis labels read easily.
 */

export interface Scale {
  (v: number): number;
  ticks: number[];
  domain: [number, number];
}

/** A step of 1, 2 or 5 × 10^k near `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
}

/** About `target` nice ticks covering [min, max]; the max is rounded up to a tick so the top line is labelled. */
export function niceTicks(min: number, max: number, target = 5, integer = false): number[] {
  if (max <= min) max = min + 1;
  let step = niceStep((max - min) / target);
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = first, i = 0; i < 100; v = first + ++i * step) {
    ticks.push(Number(v.toPrecision(12)));
    if (v >= max - step * 1e-9) break;
  }
  return ticks;
}

export function linearScale(domain: [number, number], range: [number, number], ticks: number[]): Scale {
  const [d0, d1] = domain;
  const span = d1 - d0 || 1;
  const f = ((v: number) => range[0] + ((v - d0) / span) * (range[1] - range[0])) as Scale;
  f.ticks = ticks;
  f.domain = domain;
  return f;
}

/** Decades between the data's bounds (min clamped to 0.1, so a 0 ms latency does not stretch the axis). */
export function logScale(min: number, max: number, range: [number, number]): Scale {
  const lo = Math.floor(Math.log10(Math.max(0.1, min)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(0.1, max))));
  const f = ((v: number) => {
    const t = (Math.log10(Math.max(10 ** lo, v)) - lo) / (hi - lo);
    return range[0] + t * (range[1] - range[0]);
  }) as Scale;
  f.ticks = [];
  for (let e = lo; e <= hi; e++) f.ticks.push(Number((10 ** e).toPrecision(12)));
  f.domain = [10 ** lo, 10 ** hi];
  return f;
}

export function tickLabel(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1e6) return `${v / 1e6}M`;
  if (Math.abs(v) >= 1e4) return `${v / 1e3}k`;
  return Number(v.toPrecision(6)).toString();
}
