import { isDeepStrictEqual } from 'node:util';
import { stoppedUnknown } from './stop-checker';
import type { CheckContext, Checker, ReplicaState, Threshold, Verdict } from '../core/checker';
import { joinProblems, listSome, plural } from './format';

export interface ConvergenceCheckerOptions {
  /** Longest time after the last fault until the replicas were first seen identical (default 15000 ms: catching
   * up a replacement slave replays the log from the stream, which takes seconds on a loaded 2-core machine). */
  maxConvergenceMs?: number;
  /** Fewest replicas to compare (default 2): one replica agreeing with itself proves nothing. */
  minReplicas?: number;
}

export const CONVERGENCE_DEFAULTS: Required<ConvergenceCheckerOptions> = { maxConvergenceMs: 15000, minReplicas: 2 };

/** A group of replicas holding the same state. */
interface Group {
  lsn: number;
  checksums: unknown[];
  members: ReplicaState[];
}

/** Replicas converge: at the end every one holds identical table checksums at the same LSN, and got there in time. */
export class ConvergenceChecker implements Checker {
  readonly name = 'convergence';
  readonly options: Required<ConvergenceCheckerOptions>;

  constructor(options: ConvergenceCheckerOptions = {}) {
    this.options = { ...CONVERGENCE_DEFAULTS, ...options };
  }

  check({ history, final }: CheckContext): Verdict {
    const { maxConvergenceMs, minReplicas } = this.options;
    if (history.stopped) return stoppedUnknown(this.name, history.stopped.reason);
    if (!final) {
      return { checker: this.name, valid: false, summary: 'no final state gathered: cannot compare replicas', thresholds: [] };
    }
    const replicas = final.replicas;
    const problems: string[] = [];
    const groups = groupByState(replicas);
    // The largest group is the reference; ties go to the group of the replica listed first (usually the master).
    const reference = [...groups].sort((a, b) => b.members.length - a.members.length)[0];
    const outliers = groups.filter((g) => g !== reference);
    const lsns = new Set(replicas.map((r) => r.lsn));
    const distinctChecksums = groupByState(replicas.map((r) => ({ ...r, lsn: 0 }))).length;

    if (replicas.length < minReplicas) problems.push(`only ${plural(replicas.length, 'replica')} to compare (need ${minReplicas})`);
    for (const g of outliers) problems.push(describeOutlier(g, reference));
    const converged = final.convergedAfterMs;
    if (converged === null) problems.push('replicas were never seen identical');
    else if (converged > maxConvergenceMs) problems.push(`replicas took ${converged} ms to converge (limit ${maxConvergenceMs} ms)`);

    const thresholds: Threshold[] = [
      { name: 'replicas compared', actual: replicas.length, limit: `>= ${minReplicas}`, unit: 'replicas', pass: replicas.length >= minReplicas },
      { name: 'distinct table checksums', actual: distinctChecksums, limit: '<= 1', unit: 'states', pass: distinctChecksums <= 1 },
      { name: 'distinct LSNs', actual: lsns.size, limit: '<= 1', unit: 'LSNs', pass: lsns.size <= 1 },
      {
        name: 'converged after last fault',
        actual: converged ?? 'never',
        limit: `<= ${maxConvergenceMs}`,
        unit: 'ms',
        pass: converged !== null && converged <= maxConvergenceMs,
      },
    ];
    const valid = problems.length === 0;
    return {
      checker: this.name,
      valid,
      summary: valid
        ? `${plural(replicas.length, 'replica')} identical at LSN ${reference?.lsn ?? '-'}, converged ${converged} ms after the last fault`
        : joinProblems(problems),
      thresholds,
      details: {
        groups: groups.map((g) => ({ lsn: g.lsn, checksums: g.checksums, pids: g.members.map((m) => m.pid) })),
        convergedAfterMs: converged,
      },
    };
  }
}

function groupByState(replicas: ReplicaState[]): Group[] {
  const groups: Group[] = [];
  for (const r of replicas) {
    const g = groups.find((x) => x.lsn === r.lsn && isDeepStrictEqual(x.checksums, r.checksums));
    if (g) g.members.push(r);
    else groups.push({ lsn: r.lsn, checksums: r.checksums, members: [r] });
  }
  return groups;
}

/** "replica 4568 (lsn 40) differs from 4567, 4569 (lsn 42): lsn, tables rides" */
function describeOutlier(g: Group, ref: Group): string {
  const what: string[] = [];
  if (g.lsn !== ref.lsn) what.push('lsn');
  const tables = differingTables(g.checksums, ref.checksums);
  if (tables.length > 0) what.push(`tables ${listSome(tables, 5)}`);
  else if (!isDeepStrictEqual(g.checksums, ref.checksums)) what.push('checksums');
  const who = g.members.map((m) => m.pid);
  return (
    `${who.length === 1 ? 'replica' : 'replicas'} ${listSome(who, 5)} (lsn ${g.lsn}) ` +
    `differ${who.length === 1 ? 's' : ''} from ${listSome(ref.members.map((m) => m.pid), 5)} (lsn ${ref.lsn}): ${what.join(', ')}`
  );
}

/** Names the tables whose checksum entries differ, when entries carry a `table` field (the workers' checksum reply). */
function differingTables(a: unknown[], b: unknown[]): string[] {
  const byTable = (xs: unknown[]) =>
    new Map(xs.filter((x): x is { table: string } => typeof x === 'object' && x !== null && typeof (x as { table?: unknown }).table === 'string').map((x) => [x.table, x]));
  const ma = byTable(a);
  const mb = byTable(b);
  const names = [...new Set([...ma.keys(), ...mb.keys()])];
  return names.filter((n) => !isDeepStrictEqual(ma.get(n), mb.get(n)));
}
