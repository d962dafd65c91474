import type { CheckContext, Checker, Threshold, Verdict } from '../core/checker';
import type { Operation } from '../core/history';
import { joinProblems, plural } from './format';
import { ackedWrites, writeLabel, writesBySeq } from './read-facts';

export interface FencingCheckerOptions {
  /** Most violations listed per kind in the details (default 20); totals are always given in full. */
  maxListed?: number;
}

/** The writes one master acknowledged in one term of office. */
interface Term {
  name: string;
  writes: Operation[];
  firstLsn: number;
  lastLsn: number;
  /** When the client received the term's first acknowledgement. */
  firstAckAt: number;
}

/**
 * Masters are fenced: one log, one writer at a time. Judged on acknowledged writes:
 * - no LSN acknowledged for two different writes (two masters wrote at the same place: one of them is lost);
 * - LSNs follow real time: a write issued after another's acknowledgement gets a higher LSN (so the LSNs of one
 *   epoch, and of one master, strictly increase);
 * - terms do not overlap: an older term's LSNs all lie below a newer term's first, and no older-term write was issued
 *   after the client had received a newer term's first acknowledgement (a deposed master still accepting writes).
 * A term is an epoch when the replies carry one; otherwise (today's replies) it is a run of writes acknowledged by the
 * same worker PID in LSN order, which cannot show two masters alternating LSN by LSN, only the rules above. Unknown
 * when no write was acknowledged with an LSN.
 */
export class FencingChecker implements Checker {
  readonly name = 'fencing';
  readonly options: Required<FencingCheckerOptions>;

  constructor(options: FencingCheckerOptions = {}) {
    this.options = { maxListed: 20, ...options };
  }

  check({ history }: CheckContext): Verdict {
    const acked = ackedWrites(writesBySeq(history.ops));
    if (acked.length === 0) {
      return { checker: this.name, valid: 'unknown', summary: 'no write was acknowledged with an LSN: nothing to judge', thresholds: [] };
    }
    const withEpochs = acked.every((op) => op.epoch !== undefined);
    const shared = sharedLsns(acked);
    const reordered = realTimeInversions(acked);
    const terms = withEpochs ? epochTerms(acked) : pidRuns(acked);
    const overlapping = termOverlaps(terms);

    const problems: string[] = [];
    if (shared.length > 0) problems.push(`${plural(shared.length, 'LSN')} acknowledged for two different writes, e.g. ${shared[0]}`);
    if (reordered.length > 0) problems.push(`${plural(reordered.length, 'write')} got an LSN not above one acknowledged before it was issued, e.g. ${reordered[0]}`);
    if (overlapping.length > 0) problems.push(`${plural(overlapping.length, 'write')} acknowledged by an older term after a newer one began, e.g. ${overlapping[0]}`);
    const row = (name: string, n: number): Threshold => ({ name, actual: n, limit: '= 0', unit: 'writes', pass: n === 0 });
    const valid = problems.length === 0;
    const basis = withEpochs ? `${plural(terms.length, 'epoch')}` : `${plural(terms.length, 'master term')} told apart by PID (replies carry no epoch)`;
    const cap = this.options.maxListed;
    return {
      checker: this.name,
      valid,
      summary: valid ? `${plural(acked.length, 'acknowledged write')}: unique LSNs in real-time order, ${basis}, none overlapping` : joinProblems(problems),
      thresholds: [
        row('LSNs acknowledged for two writes', shared.length),
        row('LSNs against real-time order', reordered.length),
        row('writes of a term after a newer term began', overlapping.length),
      ],
      details: {
        acknowledgedWrites: acked.length,
        termsBy: withEpochs ? 'epoch' : 'pid',
        terms: terms.map((t) => ({ term: t.name, writes: t.writes.length, lsns: `${t.firstLsn}-${t.lastLsn}` })),
        shared: shared.slice(0, cap),
        reordered: reordered.slice(0, cap),
        overlapping: overlapping.slice(0, cap),
      },
    };
  }
}

const by = (op: Operation) => `${writeLabel(op)} by ${op.worker ?? '?'}${op.epoch !== undefined ? ` (epoch ${op.epoch})` : ''}`;

function sharedLsns(acked: Operation[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < acked.length; i++) {
    if (acked[i].lsn === acked[i - 1].lsn) out.push(`LSN ${acked[i].lsn}: ${by(acked[i - 1])} and ${by(acked[i])}`);
  }
  return out;
}

/** Writes whose LSN is not above the highest LSN acknowledged to any client before they were issued. */
function realTimeInversions(acked: Operation[]): string[] {
  const byEnd = [...acked].sort((a, b) => a.endedAt - b.endedAt);
  const byStart = [...acked].sort((a, b) => a.startedAt - b.startedAt);
  const out: string[] = [];
  let highest: Operation | undefined;
  let i = 0;
  for (const op of byStart) {
    while (i < byEnd.length && byEnd[i].endedAt < op.startedAt) {
      if (!highest || byEnd[i].lsn! > highest.lsn!) highest = byEnd[i];
      i++;
    }
    if (highest && op.lsn! <= highest.lsn!) out.push(`${by(op)} issued after ${by(highest)} was acknowledged`);
  }
  return out;
}

function term(name: string, writes: Operation[]): Term {
  return { name, writes, firstLsn: writes[0].lsn!, lastLsn: writes[writes.length - 1].lsn!, firstAckAt: Math.min(...writes.map((w) => w.endedAt)) };
}

function epochTerms(acked: Operation[]): Term[] {
  const epochs = [...new Set(acked.map((op) => op.epoch!))].sort((a, b) => a - b);
  return epochs.map((e) => term(`epoch ${e}`, acked.filter((op) => op.epoch === e)));
}

/** Maximal runs of the same acknowledging PID in LSN order: a worker elected again later starts a new run. */
function pidRuns(acked: Operation[]): Term[] {
  const runs: Operation[][] = [];
  for (const op of acked) {
    const last = runs.at(-1);
    if (last && last[0].worker === op.worker) last.push(op);
    else runs.push([op]);
  }
  return runs.map((writes) => term(`master ${writes[0].worker ?? '?'} from LSN ${writes[0].lsn}`, writes));
}

function termOverlaps(terms: Term[]): string[] {
  const out: string[] = [];
  terms.forEach((older, i) => {
    for (const newer of terms.slice(i + 1)) {
      for (const op of older.writes) {
        if (op.lsn! >= newer.firstLsn) out.push(`${by(op)} of ${older.name}, at or above ${newer.name}'s first LSN ${newer.firstLsn}`);
        else if (op.startedAt > newer.firstAckAt) out.push(`${by(op)} of ${older.name}, issued after ${newer.name}'s first acknowledgement`);
      }
    }
  });
  return out;
}
