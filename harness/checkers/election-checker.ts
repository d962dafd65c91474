import type { CheckContext, Checker, Threshold, Verdict } from '../core/checker';
import type { ElectionEvent, FaultKind, FaultWindow, WorkerSample } from '../core/history';
import { countsAsWorker } from '../../system/common/zk/workers-directory';
import { FAULTS, targetOf } from '../nemesis/registry';
import { faultLabel, joinProblems, plural, targetPid } from './format';

export interface ElectionCheckerOptions {
  /** Longest time from the fault's start to the new master being seen (default 10000 ms: ZooKeeper session expiry,
   * election and the harness's polling interval, with room to spare on a slow machine). */
  maxElectionMs?: number;
  /** Which workers of the topology before the fault could win an election (default: the system's own definition,
   * `countsAsWorker`: every worker but a stopping one, those still starting (`unregistered`) included, since the
   * election waits for a lower-PID worker that is still starting). */
  isEligible?: (worker: WorkerSample) => boolean;
}

export const ELECTION_DEFAULTS: Required<ElectionCheckerOptions> = {
  maxElectionMs: 10000,
  isEligible: (w) => countsAsWorker(w.state),
};

/** The faults this checker judges: those aimed at a worker. Service restarts may or may not move the master
 * (ZooKeeper sessions can expire), which is no promise of the system, so they are left out (see FaultTarget). */
export const JUDGED_FAULTS: ReadonlySet<FaultKind> = new Set(FAULTS.filter((f) => f.hits !== 'service').map((f) => f.kind));

/** Faults are matched to elections by value, not identity, so that a history read back from report.json checks too. */
function sameFault(a: FaultWindow, b: FaultWindow): boolean {
  return a.kind === b.kind && a.startedAt === b.startedAt && a.target === b.target;
}

/**
 * Every fault that took the master away must be followed, within `maxElectionMs`, by an election of the live
 * worker with the lowest PID (among those seen just before the fault, the victim excluded); a fault that hit only a
 * slave must leave the master where it was.
 */
export class ElectionChecker implements Checker {
  readonly name = 'election';
  readonly options: Required<ElectionCheckerOptions>;

  constructor(options: ElectionCheckerOptions = {}) {
    this.options = { ...ELECTION_DEFAULTS, ...options };
  }

  check({ history }: CheckContext): Verdict {
    const thresholds: Threshold[] = [];
    const problems: string[] = [];
    let masterFaults = 0;
    let slaveFaults = 0;
    let slowest = 0;

    for (const fault of history.faults.filter((f) => JUDGED_FAULTS.has(f.kind))) {
      const events = history.elections.filter((e) => sameFault(e.fault, fault)).sort((a, b) => a.at - b.at);
      const before = fault.before;
      const master = before?.find((w) => w.role === 'master');
      const hits = targetOf(fault.kind);
      // A master fault names its victim or, failing that, it was whoever was master; other kinds say whom they hit.
      const victim = targetPid(fault) ?? (hits === 'master' ? master?.pid : undefined);
      const label = faultLabel(fault);

      // A slave fault is taken at its word when there is nothing to contradict it; a fault on any worker could
      // have hit anyone, so without the topology and the victim there is nothing to judge it against.
      if (hits === 'any-worker' && (!before || victim === undefined)) {
        thresholds.push({ name: `${label}: hit the master?`, actual: 'unknown', limit: 'topology and target recorded', pass: false });
        problems.push(`${label}: cannot tell whether it hit the master (${!before ? 'no topology recorded before it' : 'no worker PID as target'})`);
        continue;
      }
      const hitMaster = hits === 'master' || (master !== undefined && master.pid === victim);
      if (hitMaster) {
        masterFaults++;
        const took = this.judgeElection(fault, label, victim, events, thresholds, problems);
        if (took !== undefined) slowest = Math.max(slowest, took);
      } else {
        slaveFaults++;
        this.judgeKept(label, master, events, thresholds, problems);
      }
    }

    const valid = problems.length === 0;
    const judged = masterFaults + slaveFaults;
    const summary = !valid
      ? joinProblems(problems)
      : judged === 0
        ? 'no fault hit a worker: no election to judge'
        : [
            masterFaults > 0 &&
              `${plural(masterFaults, 'election')} chose the lowest live PID within ${this.options.maxElectionMs} ms (slowest ${slowest} ms)`,
            slaveFaults > 0 && `master kept through ${plural(slaveFaults, 'slave fault')}`,
          ]
            .filter(Boolean)
            .join('; ');
    return { checker: this.name, valid, summary, thresholds, details: { masterFaults, slaveFaults, problems } };
  }

  /** Returns how long the election took, when there was one. */
  private judgeElection(
    fault: FaultWindow,
    label: string,
    victim: number | undefined,
    events: ElectionEvent[],
    thresholds: Threshold[],
    problems: string[],
  ): number | undefined {
    const { maxElectionMs, isEligible } = this.options;
    if (!fault.before) {
      thresholds.push({ name: `${label}: new master`, actual: 'unknown', limit: 'topology recorded before the fault', pass: false });
      problems.push(`${label}: no topology recorded before it, cannot tell which PID should win`);
      return undefined;
    }
    const candidates = fault.before.filter((w) => w.pid !== victim && isEligible(w)).map((w) => w.pid);
    const want = candidates.length > 0 ? Math.min(...candidates) : undefined;
    const first = events[0];
    if (!first) {
      thresholds.push({ name: `${label}: election time`, actual: 'none', limit: `<= ${maxElectionMs}`, unit: 'ms', pass: false });
      problems.push(`${label}: no new master seen (expected ${want ?? 'any'})`);
      return undefined;
    }
    const took = first.at - fault.startedAt;
    const timely = took >= 0 && took <= maxElectionMs;
    thresholds.push({ name: `${label}: election time`, actual: took, limit: `<= ${maxElectionMs}`, unit: 'ms', pass: timely });
    if (!timely) problems.push(`${label}: new master ${first.newMasterPid} seen after ${took} ms (limit ${maxElectionMs} ms)`);

    // With no other worker before the fault, any replacement is the only possible master.
    const rightPid = want === undefined || first.newMasterPid === want;
    thresholds.push({
      name: `${label}: new master PID`,
      actual: first.newMasterPid,
      limit: want === undefined ? 'any (no other worker before the fault)' : `= ${want} (lowest other PID)`,
      pass: rightPid,
    });
    if (!rightPid) {
      problems.push(`${label}: new master was ${first.newMasterPid}, expected ${want} (lowest PID among [${candidates.sort((a, b) => a - b).join(', ')}])`);
    }
    const flip = events.find((e) => e.newMasterPid !== first.newMasterPid);
    if (flip) {
      thresholds.push({ name: `${label}: masters elected`, actual: new Set(events.map((e) => e.newMasterPid)).size, limit: '= 1', pass: false });
      problems.push(`${label}: master changed again, from ${first.newMasterPid} to ${flip.newMasterPid}`);
    }
    return took;
  }

  private judgeKept(label: string, master: WorkerSample | undefined, events: ElectionEvent[], thresholds: Threshold[], problems: string[]): void {
    const moved = events.find((e) => e.newMasterPid !== master?.pid);
    thresholds.push({
      name: `${label}: master unchanged`,
      actual: moved ? moved.newMasterPid : (master?.pid ?? 'kept'),
      limit: `= ${master?.pid ?? 'no election'}`,
      pass: moved === undefined,
    });
    if (moved) problems.push(`${label}: hit a slave, yet master changed from ${master?.pid ?? 'none'} to ${moved.newMasterPid}`);
  }
}
