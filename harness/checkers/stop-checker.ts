import type { CheckContext, Checker, Threshold, Verdict } from '../core/checker';
import { readyMaster } from '../testing/topology';
import { clock, plural, round1 } from './format';

/** The verdict of a checker that needs the replicas' final state when the system stopped by design: nothing to read. */
export function stoppedUnknown(checker: string, reason: string): Verdict {
  return {
    checker,
    valid: 'unknown',
    summary: `not judged: the system stopped by design (${reason}); no replica is left to read, and the log they would be read from is gone`,
    thresholds: [],
  };
}

/**
 * Where a fault stops the system by design (its replication log deleted, the broker wiped), the promise is that it
 * refuses rather than serves an incomplete log: once it was seen without a master, no operation that started later
 * is acknowledged and no master becomes ready again. A run where nothing stopped passes and says so.
 */
export class StopChecker implements Checker {
  readonly name = 'stop';

  check({ history }: CheckContext): Verdict {
    const stop = history.stopped;
    if (!stop) return { checker: this.name, valid: true, summary: 'no fault stopped the system', thresholds: [] };
    const after = history.ops.filter((op) => op.startedAt >= stop.at);
    const answered = after.filter((op) => op.outcome === 'ok');
    const writes = after.filter((op) => op.kind === 'write');
    const reads = after.filter((op) => op.kind === 'read');
    const mastersAfter = history.topology.filter((s) => s.at > stop.at && readyMaster(s.workers));
    const end = Math.max(stop.at, ...history.topology.map((s) => s.at), ...after.map((op) => op.endedAt));
    const thresholds: Threshold[] = [
      { name: 'seen stopped after the fault', actual: stop.at - stop.faultAt, limit: 'measured', unit: 'ms', pass: true },
      { name: `writes acknowledged after the stop (of ${writes.length})`, actual: answered.filter((o) => o.kind === 'write').length, limit: '0', pass: answered.every((o) => o.kind !== 'write') },
      { name: `reads answered after the stop (of ${reads.length})`, actual: answered.filter((o) => o.kind === 'read').length, limit: '0', pass: answered.every((o) => o.kind !== 'read') },
      { name: 'topology samples with a ready master after the stop', actual: mastersAfter.length, limit: '0', pass: mastersAfter.length === 0 },
    ];
    const head = `STOPPED BY DESIGN after ${stop.kind} at ${clock(stop.faultAt)}: ${stop.reason}`;
    const passed = thresholds.every((t) => t.pass);
    // An idle system refuses nothing: without a request after the stop, the refusal is not shown.
    if (passed && after.length === 0) {
      return { checker: this.name, valid: 'unknown', summary: `${head}; no request was made after it was seen stopped, so its refusal is not shown`, thresholds };
    }
    const valid = passed;
    const summary = valid
      ? `${head}; seen stopped ${stop.at - stop.faultAt} ms later, it then refused everything for ${round1((end - stop.at) / 1000)} s ` +
        `(0 of ${plural(writes.length, 'write')} and 0 of ${plural(reads.length, 'read')} acknowledged, no master ready again)`
      : `${head}; but after the stop it answered ${plural(answered.length, 'operation')}` +
        (mastersAfter.length ? ` and a master was ready again at ${clock(mastersAfter[0].at)}` : '') +
        ': it served a log it no longer has';
    return { checker: this.name, valid, summary, thresholds };
  }
}
