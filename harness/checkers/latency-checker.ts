import { percentile } from '../bench/stats';
import type { CheckContext, Checker, Threshold, Verdict } from '../core/checker';
import type { OpKind } from '../core/history';
import { joinProblems, plural, round1 } from './format';
import { isSteady } from './windows';

export const LATENCY_METRICS = ['p50', 'p90', 'p99', 'max'] as const;
export type LatencyMetric = (typeof LATENCY_METRICS)[number];
/** Upper bounds in ms; a metric without one is reported and passes. */
export type LatencyLimits = Partial<Record<LatencyMetric, number>>;

export interface LatencyCheckerOptions {
  /** Limits per kind of op, e.g. `{ write: { p99: 200 } }` (default none: every row is informational). */
  limits?: Partial<Record<OpKind, LatencyLimits>>;
  /** Ops overlapping a fault window or the `graceMs` after it are left out (default 5000 ms, as availability):
   * latency under faults is the availability checker's business, this one measures the steady state. */
  graceMs?: number;
}

export const LATENCY_DEFAULTS: Required<LatencyCheckerOptions> = { limits: {}, graceMs: 5000 };

const KINDS: readonly OpKind[] = ['read', 'write'];

/**
 * Steady-state latency (end minus start) of acknowledged ops, per kind: p50, p90, p99 (nearest rank) and max.
 * A kind with a limit but no steady-state ops fails: the limit was asked for and nothing shows it holds.
 */
export class LatencyChecker implements Checker {
  readonly name = 'latency';
  readonly options: Required<LatencyCheckerOptions>;

  constructor(options: LatencyCheckerOptions = {}) {
    this.options = { ...LATENCY_DEFAULTS, ...options };
  }

  check({ history }: CheckContext): Verdict {
    const { limits, graceMs } = this.options;
    const steady = history.ops.filter((op) => op.outcome === 'ok' && isSteady(op, history.faults, graceMs));
    const thresholds: Threshold[] = [];
    const problems: string[] = [];
    const measured: string[] = [];
    const stats: Partial<Record<OpKind, { n: number } & Record<LatencyMetric, number>>> = {};

    for (const kind of KINDS) {
      const kindLimits = limits[kind] ?? {};
      const durations = steady.filter((op) => op.kind === kind).map((op) => Math.max(0, op.endedAt - op.startedAt)).sort((a, b) => a - b);
      if (durations.length === 0) {
        const limited = LATENCY_METRICS.filter((m) => kindLimits[m] !== undefined);
        if (limited.length > 0) {
          thresholds.push({ name: `${kind} ${limited.join('/')}`, actual: 'no ops', limit: 'steady-state ok ops', unit: 'ms', pass: false });
          problems.push(`no steady-state ok ${kind}s to hold to the ${limited.join('/')} limit`);
        }
        continue;
      }
      const s = {
        n: durations.length,
        p50: percentile(durations, 50),
        p90: percentile(durations, 90),
        p99: percentile(durations, 99),
        max: durations[durations.length - 1],
      };
      stats[kind] = s;
      measured.push(`${kind} p50/p90/p99/max ${LATENCY_METRICS.map((m) => round1(s[m])).join('/')} ms (n=${s.n})`);
      for (const m of LATENCY_METRICS) {
        const limit = kindLimits[m];
        const pass = limit === undefined || s[m] <= limit;
        thresholds.push({ name: `${kind} ${m} (${plural(s.n, 'steady ok op')})`, actual: round1(s[m]), limit: limit === undefined ? 'none' : `<= ${limit}`, unit: 'ms', pass });
        if (!pass) problems.push(`${kind} ${m} ${round1(s[m])} ms over the ${limit} ms limit (${plural(s.n, `steady ok ${kind}`)})`);
      }
    }

    const valid = problems.length === 0;
    return {
      checker: this.name,
      valid,
      summary: valid ? (measured.length > 0 ? `steady state ${measured.join('; ')}` : 'no steady-state ok ops to measure') : joinProblems(problems),
      thresholds,
      details: { graceMs, stats },
    };
  }
}
