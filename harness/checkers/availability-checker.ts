import type { CheckContext, Checker, Threshold, Verdict } from '../core/checker';
import type { FaultKind, Operation, OpKind } from '../core/history';
import { faultLabel, joinProblems, plural, round1 } from './format';
import { faultSpan, isSteady, overlaps } from './windows';

export interface AvailabilityCheckerOptions {
  /** How long after a fault healed its effects still count as the fault's (default 5000 ms): a replacement slave
   * catching up or clients reconnecting belong to the fault, not to the steady state. */
  graceMs?: number;
  /** Largest share (0..1) of ops failed or unknown in a fault window (default 0.5). A master kill makes writes fail
   * for about a second, a paused master for its ZooKeeper session timeout (2 s) plus the election, a broker restart
   * everything for a few seconds; against a window of several seconds plus the grace that stays well under half,
   * while a system that does not recover fails nearly every op of the window and is caught. */
  maxUnavailableDuringFault?: number;
  /** Per fault kind overrides of maxUnavailableDuringFault (default none). */
  maxUnavailableByKind?: Partial<Record<FaultKind, number>>;
  /** Largest share of ops failed or unknown outside every fault window and its grace (default 0.01). */
  maxUnavailableSteady?: number;
  /** Which kinds of ops count (default both reads and writes). */
  kinds?: OpKind[];
}

export const AVAILABILITY_DEFAULTS: Required<AvailabilityCheckerOptions> = {
  graceMs: 5000,
  maxUnavailableDuringFault: 0.5,
  maxUnavailableByKind: {},
  maxUnavailableSteady: 0.01,
  kinds: ['read', 'write'],
};

interface Tally {
  label: string;
  total: number;
  bad: number;
  limit: number;
}

/**
 * Share of operations that failed or whose outcome is unknown, per fault window and in the steady state. An op
 * belongs to a window when it was in flight at any moment of it (see windows.ts), so ops already running when the
 * fault struck are the fault's; the steady state is every op that touches no window.
 */
export class AvailabilityChecker implements Checker {
  readonly name = 'availability';
  readonly options: Required<AvailabilityCheckerOptions>;

  constructor(options: AvailabilityCheckerOptions = {}) {
    this.options = { ...AVAILABILITY_DEFAULTS, ...options };
    for (const [name, v] of Object.entries({ ...this.options.maxUnavailableByKind, during: this.options.maxUnavailableDuringFault, steady: this.options.maxUnavailableSteady })) {
      if (!(typeof v === 'number' && v >= 0 && v <= 1)) throw new Error(`availability checker: limit ${name} must be a share between 0 and 1, got ${v}`);
    }
  }

  check({ history }: CheckContext): Verdict {
    const { graceMs, kinds, maxUnavailableDuringFault, maxUnavailableByKind, maxUnavailableSteady } = this.options;
    // After a fault that stopped the system by design, refusing is right: the stop checker judges those ops.
    const stoppedAt = history.stopped?.faultAt ?? Infinity;
    const counted = history.ops.filter((op) => kinds.includes(op.kind) && op.startedAt < stoppedAt);
    const faults = [...history.faults].sort((a, b) => a.startedAt - b.startedAt);
    const tallies: Tally[] = [
      tally('steady state', counted.filter((op) => isSteady(op, faults, graceMs)), maxUnavailableSteady),
      ...faults.map((f) => {
        const span = faultSpan(f, graceMs);
        return tally(faultLabel(f), counted.filter((op) => overlaps(op, span)), maxUnavailableByKind[f.kind] ?? maxUnavailableDuringFault);
      }),
    ];

    const thresholds: Threshold[] = tallies.map((t) => ({
      name: `${t.label}: ops failed or unknown (${t.bad}/${t.total})`,
      actual: t.total === 0 ? 'no ops' : round1(share(t) * 100),
      limit: `<= ${round1(t.limit * 100)}`,
      unit: '%',
      pass: t.total === 0 || share(t) <= t.limit,
    }));
    const problems = tallies
      .filter((t) => t.total > 0 && share(t) > t.limit)
      .map((t) => `${t.label}: ${round1(share(t) * 100)}% of ${plural(t.total, 'op')} failed or unknown (limit ${round1(t.limit * 100)}%)`);
    const valid = problems.length === 0;
    return {
      checker: this.name,
      valid,
      summary: valid ? passSummary(tallies) : joinProblems(problems),
      thresholds,
      details: { graceMs, kinds, windows: tallies.map((t) => ({ label: t.label, total: t.total, unavailable: t.bad, limit: t.limit })) },
    };
  }
}

function tally(label: string, ops: Operation[], limit: number): Tally {
  return { label, total: ops.length, bad: ops.filter((op) => op.outcome !== 'ok').length, limit };
}

function share(t: Tally): number {
  return t.total === 0 ? 0 : t.bad / t.total;
}

function passSummary([steady, ...windows]: Tally[]): string {
  const parts = [steady.total === 0 ? 'no steady-state ops' : `steady state ${round1(share(steady) * 100)}% unavailable (${steady.bad}/${steady.total} ops)`];
  const measured = windows.filter((w) => w.total > 0);
  if (measured.length > 0) {
    const worst = measured.reduce((a, b) => (share(b) > share(a) ? b : a));
    parts.push(`worst of ${plural(measured.length, 'fault window')} ${round1(share(worst) * 100)}% (${worst.label})`);
  }
  const empty = windows.length - measured.length;
  if (empty > 0) parts.push(`${plural(empty, 'fault window')} saw no ops`);
  return parts.join('; ');
}
