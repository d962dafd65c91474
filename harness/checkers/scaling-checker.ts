import type { CheckContext, Checker, Threshold, Verdict } from '../core/checker';
import type { ScaleTick } from '../core/history';
import { clock, joinProblems, plural } from './format';

export interface ScalingCheckerOptions {
  /** Ready slaves expected after each autoscaler tick, in order, e.g. [2, 3, 4, 1]. Required. */
  expected: number[];
  /** Also require the autoscaler's own target to equal the expected count (default true): a right count reached
   * by a wrong decision is luck, and a wrong count with the right target is the orchestrator failing to follow. */
  checkTarget?: boolean;
  /** Ticks after the expected ones: 'ignore' them (default: a run may last longer than its schedule), 'hold-last'
   * (each must still show the last expected count: the load stayed put), or 'forbid' (there must be none). */
  extraTicks?: 'ignore' | 'hold-last' | 'forbid';
}

export const SCALING_DEFAULTS = { checkTarget: true, extraTicks: 'ignore' } as const;

/** Judges the slave count after each autoscaler tick against the schedule the scenario's load implies. */
export class ScalingChecker implements Checker {
  readonly name = 'scaling';
  readonly options: Required<ScalingCheckerOptions>;

  constructor(options: ScalingCheckerOptions) {
    const bad = options.expected.find((n) => !Number.isInteger(n) || n < 0);
    if (bad !== undefined) throw new Error(`scaling checker: expected slave counts must be integers >= 0, got ${bad}`);
    this.options = { ...SCALING_DEFAULTS, ...options, expected: [...options.expected] };
  }

  check({ history }: CheckContext): Verdict {
    const { expected, extraTicks } = this.options;
    // Sorted by time, so that a history merged from several recorders still reads in tick order.
    const ticks = [...history.scaleTicks].sort((a, b) => a.at - b.at);
    const thresholds: Threshold[] = [];
    const problems: string[] = [];

    expected.forEach((want, i) => {
      const tick = ticks[i];
      if (!tick) {
        thresholds.push({ name: `tick ${i + 1}: ready slaves`, actual: 'missing', limit: `= ${want}`, unit: 'slaves', pass: false });
        problems.push(`tick ${i + 1} missing (expected ${plural(want, 'slave')})`);
        return;
      }
      this.judge(tick, i, want, thresholds, problems);
    });

    const extra = ticks.slice(expected.length);
    if (extraTicks === 'forbid' && extra.length > 0) {
      thresholds.push({ name: 'ticks beyond the schedule', actual: extra.length, limit: '= 0', unit: 'ticks', pass: false });
      problems.push(`${plural(extra.length, 'tick')} beyond the ${expected.length} expected`);
    } else if (extraTicks === 'hold-last' && expected.length > 0) {
      const last = expected[expected.length - 1];
      extra.forEach((tick, j) => this.judge(tick, expected.length + j, last, thresholds, problems));
    }

    const valid = problems.length === 0;
    const seen = ticks.slice(0, expected.length).map((t) => t.observedSlaves).join(', ');
    return {
      checker: this.name,
      valid,
      summary: valid
        ? `${plural(expected.length, 'tick')} matched the expected slave counts [${expected.join(', ')}]`
        : `${joinProblems(problems)} (expected [${expected.join(', ')}], saw [${seen}])`,
      thresholds,
      details: { expected, ticks, problems },
    };
  }

  private judge(tick: ScaleTick, i: number, want: number, thresholds: Threshold[], problems: string[]): void {
    const countOk = tick.observedSlaves === want;
    const targetOk = !this.options.checkTarget || tick.target === want;
    thresholds.push({
      name: `tick ${i + 1} at ${clock(tick.at)} (${tick.reads} reads, target ${tick.target}): ready slaves`,
      actual: tick.observedSlaves,
      limit: `= ${want}`,
      unit: 'slaves',
      pass: countOk && targetOk,
    });
    if (!countOk) problems.push(`tick ${i + 1} at ${clock(tick.at)}: ${tick.observedSlaves} ready slaves, expected ${want}`);
    if (!targetOk) problems.push(`tick ${i + 1} at ${clock(tick.at)}: autoscaler targeted ${tick.target} slaves for ${tick.reads} reads, expected ${want}`);
  }
}
