import type { CheckContext, Checker, Threshold, Verdict } from '../core/checker';
import { joinProblems, listSome, plural } from './format';
import { ackedWrites, answeredReads, readLabel, WriteIndex, writeLabel, writesBySeq } from './read-facts';

export interface ReadYourWritesCheckerOptions {
  /** Most violating reads listed in the details (default 20); totals are always given in full. */
  maxListed?: number;
}

/**
 * Read-your-writes, as the API promises it: a read carrying minLsn M is answered by a replica that has applied M, so
 * it shows every acknowledged write with LSN <= M (LSNs order the one log; an acknowledged write at or below M is in
 * every replica that reached M). A reply that says it is below M broke the promise too. Unknown when no read with
 * minLsn was answered: the promise was never put to the test.
 */
export class ReadYourWritesChecker implements Checker {
  readonly name = 'read-your-writes';
  readonly options: Required<ReadYourWritesCheckerOptions>;

  constructor(options: ReadYourWritesCheckerOptions = {}) {
    this.options = { maxListed: 20, ...options };
  }

  check({ history }: CheckContext): Verdict {
    const reads = answeredReads(history.ops).filter((r) => r.op.minLsn !== undefined);
    if (reads.length === 0) {
      return { checker: this.name, valid: 'unknown', summary: 'no read with minLsn was answered: read-your-writes was not exercised', thresholds: [] };
    }
    const writes = writesBySeq(history.ops);
    const acked = ackedWrites(writes);
    const index = new WriteIndex(writes);
    const missing: Array<{ read: string; missed: string[] }> = [];
    const below: string[] = [];
    for (const { op, saw, from } of reads) {
      const minLsn = op.minLsn!;
      if (op.lsn !== undefined && op.lsn < minLsn) below.push(readLabel(op));
      const missed = index.ackedFrom(from, (w) => w.lsn! <= minLsn && !saw.has(w.writeSeq!));
      if (missed.length > 0) missing.push({ read: readLabel(op), missed: missed.map(writeLabel) });
    }
    const problems: string[] = [];
    if (missing.length > 0) {
      const first = missing[0];
      problems.push(`${plural(missing.length, 'read')} with minLsn missed acknowledged writes at or below it, e.g. ${first.read} missed ${listSome(first.missed)}`);
    }
    if (below.length > 0) problems.push(`${plural(below.length, 'read')} answered below their minLsn, e.g. ${below[0]}`);
    const row = (name: string, n: number): Threshold => ({ name, actual: n, limit: '= 0', unit: 'reads', pass: n === 0 });
    const valid = problems.length === 0;
    const cap = this.options.maxListed;
    return {
      checker: this.name,
      valid,
      summary: valid
        ? `all ${plural(reads.length, 'read')} with minLsn showed every acknowledged write at or below their minLsn`
        : joinProblems(problems),
      thresholds: [row('minLsn reads missing an acknowledged write <= minLsn', missing.length), row('minLsn reads answered below minLsn', below.length)],
      details: { readsChecked: reads.length, acknowledgedWrites: acked.length, missing: missing.slice(0, cap), below: below.slice(0, cap) },
    };
  }
}
