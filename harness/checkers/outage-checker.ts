import type { CheckContext, Checker, Threshold, Verdict } from '../core/checker';
import type { FaultKind, FaultWindow, Operation, OpKind } from '../core/history';
import { faultLabel, joinProblems, plural } from './format';
import { faultSpan } from './windows';

export interface OutageCheckerOptions {
  /** How long after a fault healed its effects still count as the fault's (default 5000 ms, as for availability). */
  graceMs?: number;
  /** Longest time without an acknowledged write, and without an answered read, in a fault's window (default 30000 ms). */
  maxOutageMs?: number;
  /** Per fault kind overrides of maxOutageMs. */
  maxOutageByKind?: Partial<Record<FaultKind, number>>;
}

export const OUTAGE_DEFAULTS: Required<OutageCheckerOptions> = { graceMs: 5000, maxOutageMs: 30000, maxOutageByKind: {} };

/**
 * The longest stretch of each fault's window (from the fault until `graceMs` after it healed) in which no write was
 * acknowledged, and the longest in which no read was answered: what a client of the system waited through. A stretch
 * is bounded by successful completions, or by the window's edges (a window with no success at all is an outage of its
 * whole length). Reads and writes are judged apart: a cut master stops writes and leaves reads alone.
 */
export class OutageChecker implements Checker {
  readonly name = 'outage';
  readonly options: Required<OutageCheckerOptions>;

  constructor(options: OutageCheckerOptions = {}) {
    this.options = { ...OUTAGE_DEFAULTS, ...options };
  }

  check({ history }: CheckContext): Verdict {
    const { graceMs, maxOutageMs, maxOutageByKind } = this.options;
    const faults = [...history.faults].sort((a, b) => a.startedAt - b.startedAt);
    if (faults.length === 0) return { checker: this.name, valid: 'unknown', summary: 'no fault: no outage to measure', thresholds: [] };
    const thresholds: Threshold[] = [];
    const problems: string[] = [];
    const unmeasured: string[] = [];
    // Nobody asked after the last operation: a window's grace beyond it is no outage.
    const lastOp = history.ops.reduce((m, op) => Math.max(m, op.endedAt), 0);
    const windows = faults.map((f) => {
      const limit = maxOutageByKind[f.kind] ?? maxOutageMs;
      const full = faultSpan(f, graceMs);
      const span = { from: full.from, to: Math.min(full.to, lastOp) };
      const gaps = { write: longestGap(history.ops, 'write', span), read: longestGap(history.ops, 'read', span) };
      for (const kind of ['write', 'read'] as const) {
        if (!history.ops.some((op) => op.kind === kind && op.startedAt <= span.to && op.endedAt >= span.from)) {
          thresholds.push({ name: `${faultLabel(f)}: longest time without a ${kind} succeeding`, actual: 'no ops', limit: `<= ${limit}`, unit: 'ms', pass: false });
          unmeasured.push(`${faultLabel(f)}: no ${kind} during it`);
          continue;
        }
        const pass = gaps[kind] <= limit;
        thresholds.push({ name: `${faultLabel(f)}: longest time without ${kind === 'write' ? 'a write acknowledged' : 'a read answered'}`, actual: gaps[kind], limit: `<= ${limit}`, unit: 'ms', pass });
        if (!pass) problems.push(`${faultLabel(f)}: ${gaps[kind]} ms without ${kind === 'write' ? 'an acknowledged write' : 'an answered read'} (limit ${limit} ms)`);
      }
      return { fault: faultLabel(f), kind: f.kind, durationMs: f.endedAt - f.startedAt, writeOutageMs: gaps.write, readOutageMs: gaps.read, limitMs: limit };
    });
    if (problems.length === 0 && unmeasured.length > 0) {
      return { checker: this.name, valid: 'unknown', summary: `cannot measure: ${joinProblems(unmeasured)}`, thresholds, details: { graceMs, windows } };
    }
    const valid = problems.length === 0;
    const worst = (k: 'writeOutageMs' | 'readOutageMs') => windows.reduce((a, b) => (b[k] > a[k] ? b : a));
    const summary = valid
      ? `${plural(windows.length, 'fault window')}: longest without writes ${worst('writeOutageMs').writeOutageMs} ms (${worst('writeOutageMs').fault}), without reads ${worst('readOutageMs').readOutageMs} ms (${worst('readOutageMs').fault})`
      : joinProblems(problems);
    return { checker: this.name, valid, summary, thresholds, details: { graceMs, windows } };
  }
}

/** Longest interval inside `span` with no successful completion of an op of `kind`. */
export function longestGap(ops: readonly Operation[], kind: OpKind, span: { from: number; to: number }): number {
  const times = ops
    .filter((op) => op.kind === kind && op.outcome === 'ok' && op.endedAt >= span.from && op.endedAt <= span.to)
    .map((op) => op.endedAt)
    .sort((a, b) => a - b);
  let last = span.from;
  let longest = 0;
  for (const t of [...times, span.to]) {
    longest = Math.max(longest, t - last);
    last = t;
  }
  return longest;
}

/** For tests and reports: the window an outage is measured over. */
export function outageSpan(fault: FaultWindow, graceMs = OUTAGE_DEFAULTS.graceMs) {
  return faultSpan(fault, graceMs);
}
