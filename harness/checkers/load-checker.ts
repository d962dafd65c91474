import type { Checker, CheckContext, Threshold, Verdict } from '../core/checker';

export interface LoadCheckerOptions {
  /** Label of the autocannon run to judge. */
  run: string;
  /** Highest accepted p99 latency in ms (unset: reported, not judged). */
  maxP99Ms?: number;
  /** Highest accepted share of errors, timeouts and non-2xx answers among requests (default 0.01). */
  maxErrorShare?: number;
  /** For a fixed-rate run: the lowest accepted mean throughput as a share of the asked rate (unset: not judged). */
  minRateShare?: number;
}

/** Judges one autocannon run of the `load` scenario: error share and, when a limit is given, p99 latency. */
export class LoadChecker implements Checker {
  readonly name: string;
  private readonly maxErrorShare: number;

  constructor(private readonly o: LoadCheckerOptions) {
    this.name = `load (${o.run})`;
    this.maxErrorShare = o.maxErrorShare ?? 0.01;
  }

  check(ctx: CheckContext): Verdict {
    const run = ctx.load?.find((r) => r.label === this.o.run);
    if (!run) return { checker: this.name, valid: false, summary: `no load run named "${this.o.run}" was recorded`, thresholds: [] };
    const bad = run.errors + run.timeouts + run.non2xx;
    const share = run.requests > 0 ? bad / (run.requests + run.errors) : 1;
    const thresholds: Threshold[] = [
      { name: `${run.label}: requests`, actual: run.requests, limit: '> 0', pass: run.requests > 0 },
      { name: `${run.label}: error share`, actual: round(share), limit: `<= ${this.maxErrorShare}`, pass: share <= this.maxErrorShare },
      ...(this.o.minRateShare !== undefined && run.rate
        ? [
            {
              name: `${run.label}: throughput kept up with ${run.rate} req/s`,
              actual: round(run.requestsPerSec.mean / run.rate),
              limit: `>= ${this.o.minRateShare}`,
              pass: run.requestsPerSec.mean >= this.o.minRateShare * run.rate,
            },
          ]
        : []),
      {
        name: `${run.label}: p99 latency`,
        actual: run.latencyMs.p99,
        limit: this.o.maxP99Ms === undefined ? 'reported' : `<= ${this.o.maxP99Ms}`,
        unit: 'ms',
        pass: this.o.maxP99Ms === undefined || run.latencyMs.p99 <= this.o.maxP99Ms,
      },
    ];
    const failed = thresholds.filter((t) => !t.pass);
    const figures = `${run.requestsPerSec.mean.toFixed(0)} req/s, p99 ${Math.round(run.latencyMs.p99 * 10) / 10} ms, ${bad} of ${run.requests + run.errors} failed`;
    return {
      checker: this.name,
      valid: failed.length === 0,
      summary: failed.length === 0 ? `${run.label}: ${figures}` : `${run.label} broke ${failed.map((t) => t.name.split(': ')[1]).join(' and ')}: ${figures}`,
      thresholds,
    };
  }
}

const round = (x: number) => Math.round(x * 10000) / 10000;
