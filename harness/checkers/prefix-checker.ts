import type { CheckContext, Checker, Threshold, Verdict } from '../core/checker';
import type { Operation } from '../core/history';
import { joinProblems, listSome, plural } from './format';
import { ackedWrites, answeredReads, readLabel, WriteIndex, writeLabel, writesBySeq } from './read-facts';

export interface PrefixCheckerOptions {
  /** Most violating reads listed per kind in the details (default 20); totals are always given in full. */
  maxListed?: number;
}

interface Bad {
  read: string;
  writes: string[];
}

/**
 * Each replica applies one log in LSN order, so a read answered at LSN L shows exactly a prefix of it: every
 * acknowledged write with LSN <= L in its sight (a long run's reads ask for the newest writes only), none with LSN > L (else the reply's LSN lies
 * about the state it read), and never a write whose request definitely failed (a 4xx: Jepsen's aborted read).
 * Writes of unknown outcome carry no LSN and may or may not show. Unknown when no read was answered with an LSN.
 */
export class PrefixChecker implements Checker {
  readonly name = 'prefix';
  readonly options: Required<PrefixCheckerOptions>;

  constructor(options: PrefixCheckerOptions = {}) {
    this.options = { maxListed: 20, ...options };
  }

  check({ history }: CheckContext): Verdict {
    const reads = answeredReads(history.ops).filter((r) => r.op.lsn !== undefined);
    if (reads.length === 0) {
      return { checker: this.name, valid: 'unknown', summary: 'no read of the written rows was answered with an LSN: nothing to judge', thresholds: [] };
    }
    const writes = writesBySeq(history.ops);
    const acked = ackedWrites(writes);
    const failed = [...writes.values()].filter((op) => op.outcome === 'failed');
    const gaps: Bad[] = [];
    const future: Bad[] = [];
    const aborted: Bad[] = [];
    const note = (list: Bad[], op: Operation, bad: Operation[]) => bad.length > 0 && list.push({ read: readLabel(op), writes: bad.map(writeLabel) });
    const index = new WriteIndex(writes);
    for (const { op, saw, from } of reads) {
      const lsn = op.lsn!;
      note(gaps, op, index.ackedFrom(from, (w) => w.lsn! <= lsn && !saw.has(w.writeSeq!)));
      note(future, op, index.among(saw, (w) => w.outcome === 'ok' && typeof w.lsn === 'number' && w.lsn > lsn).sort((a, b) => a.lsn! - b.lsn!));
      note(aborted, op, index.among(saw, (w) => w.outcome === 'failed'));
    }
    const problems: string[] = [];
    const say = (list: Bad[], what: string) =>
      list.length > 0 && problems.push(`${plural(list.length, 'read')} ${what}, e.g. ${list[0].read}: ${listSome(list[0].writes)}`);
    say(gaps, 'missed acknowledged writes at or below their LSN');
    say(future, 'showed writes above their LSN');
    say(aborted, 'showed writes that failed');
    const row = (name: string, n: number): Threshold => ({ name, actual: n, limit: '= 0', unit: 'reads', pass: n === 0 });
    const valid = problems.length === 0;
    const cap = this.options.maxListed;
    return {
      checker: this.name,
      valid,
      summary: valid
        ? `all ${plural(reads.length, 'read')} showed exactly the acknowledged writes up to their LSN and no failed write`
        : joinProblems(problems),
      thresholds: [
        row('reads missing an acknowledged write <= their LSN', gaps.length),
        row('reads showing a write > their LSN', future.length),
        row('reads showing a failed (4xx) write', aborted.length),
      ],
      details: {
        readsChecked: reads.length,
        acknowledgedWrites: acked.length,
        failedWrites: failed.length,
        totals: { gaps: gaps.length, future: future.length, aborted: aborted.length },
        gaps: gaps.slice(0, cap),
        future: future.slice(0, cap),
        aborted: aborted.slice(0, cap),
      },
    };
  }
}
