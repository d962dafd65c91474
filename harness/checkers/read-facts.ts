import type { Operation, Outcome } from '../core/history';
import { decodeRanges } from '../core/ranges';
import { clock } from './format';

/*
 * What the read checkers share: the writes of the run by write number, and the reads that say which writes they saw.
 * Only the workload's reads of the written rows count (they carry `saw`); a read without an answer saw nothing
 * anyone can judge.
 */

export interface ReadFact {
  op: Operation;
  saw: Set<number>;
  /** The first write number the read could see (its `sawFrom`, else 0): writes below it are not judged against it. */
  from: number;
}

const CERTAINTY: Record<Outcome, number> = { failed: 0, unknown: 1, ok: 2 };

/** Writes by write number; a number written twice (a retry) takes its most certain op, as write-integrity does. */
export function writesBySeq(ops: readonly Operation[]): Map<number, Operation> {
  const writes = new Map<number, Operation>();
  for (const op of ops) {
    if (op.kind !== 'write' || op.writeSeq === undefined) continue;
    const seen = writes.get(op.writeSeq);
    if (!seen || CERTAINTY[op.outcome] > CERTAINTY[seen.outcome]) writes.set(op.writeSeq, op);
  }
  return writes;
}

/** Acknowledged writes that carry an LSN, in LSN order. */
export function ackedWrites(writes: Map<number, Operation>): Operation[] {
  return [...writes.values()].filter((w) => w.outcome === 'ok' && typeof w.lsn === 'number').sort((a, b) => a.lsn! - b.lsn!);
}

/** Acknowledged reads that recorded what they saw. */
export function answeredReads(ops: readonly Operation[]): ReadFact[] {
  return ops
    .filter((op) => op.kind === 'read' && op.outcome === 'ok' && op.saw !== undefined)
    .map((op) => ({ op, saw: decodeRanges(op.saw!), from: op.sawFrom ?? 0 }));
}

/**
 * The run's writes by write number, so that judging one read costs the writes in its sight (from its `from` on, or
 * the ones it saw), not every write of the run: a soak of an hour has tens of thousands of both.
 */
export class WriteIndex {
  private readonly bySeq: (Operation | undefined)[] = [];

  constructor(writes: Map<number, Operation>) {
    for (const [seq, op] of writes) this.bySeq[seq] = op;
  }

  /** Acknowledged writes with an LSN, numbered `from` or more, that `keep` accepts, in LSN order. */
  ackedFrom(from: number, keep: (w: Operation) => boolean): Operation[] {
    const out: Operation[] = [];
    for (let seq = from; seq < this.bySeq.length; seq++) {
      const w = this.bySeq[seq];
      if (w && w.outcome === 'ok' && typeof w.lsn === 'number' && keep(w)) out.push(w);
    }
    return out.sort((a, b) => a.lsn! - b.lsn!);
  }

  /** The writes numbered in `seqs` that `keep` accepts, in write-number order. */
  among(seqs: Iterable<number>, keep: (w: Operation) => boolean): Operation[] {
    const out: Operation[] = [];
    for (const seq of [...seqs].sort((a, b) => a - b)) {
      const w = this.bySeq[seq];
      if (w && keep(w)) out.push(w);
    }
    return out;
  }
}

/** "read #12 (client 3, 12:00:01.234, worker 4567, LSN 40, minLsn 38)": enough to find it in report.json. */
export function readLabel(op: Operation): string {
  const parts = [`client ${op.client}`, clock(op.startedAt)];
  if (op.worker !== undefined) parts.push(`worker ${op.worker}`);
  if (op.lsn !== undefined) parts.push(`LSN ${op.lsn}`);
  if (op.minLsn !== undefined) parts.push(`minLsn ${op.minLsn}`);
  return `read #${op.index} (${parts.join(', ')})`;
}

/** "rx-0-4@12": a write by key and LSN. */
export function writeLabel(op: Operation): string {
  return op.lsn === undefined ? String(op.key) : `${op.key}@${op.lsn}`;
}
