import { percentile } from '../bench/stats';
import type { CheckContext, Checker, Verdict } from '../core/checker';
import type { Operation } from '../core/history';
import { plural, round1 } from './format';
import { answeredReads, readLabel, writeLabel, writesBySeq } from './read-facts';

export interface StalenessCheckerOptions {
  /** Longest a read may still miss a write after the write's acknowledgement, in ms (default 1000: replication lag is
   * tens of ms on an idle machine; the rest is room for a loaded 2-core machine and a replica's restart). */
  maxStaleMs?: number;
}

export const STALENESS_DEFAULTS: Required<StalenessCheckerOptions> = { maxStaleMs: 1000 };

/**
 * How stale reads are. For every acknowledged write, the reads started after its acknowledgement that still missed
 * it; a write's staleness is how long after the acknowledgement the last such read started (0 when none did). That
 * is a lower bound on how stale the replica was (the read may have been served later than it started), so a value
 * over the limit is a definite violation. The distribution over writes is reported; the maximum is judged. Unknown
 * when no read started after any acknowledgement.
 */
export class StalenessChecker implements Checker {
  readonly name = 'staleness';
  readonly options: Required<StalenessCheckerOptions>;

  constructor(options: StalenessCheckerOptions = {}) {
    this.options = { ...STALENESS_DEFAULTS, ...options };
  }

  check({ history }: CheckContext): Verdict {
    const { maxStaleMs } = this.options;
    const acked = [...writesBySeq(history.ops).values()].filter((op) => op.outcome === 'ok').sort((a, b) => a.endedAt - b.endedAt);
    const reads = answeredReads(history.ops);
    // Read by read over the writes in its sight (a long run's reads ask for the newest writes only), which costs each
    // read its window rather than the whole run. The worst case is the one the write-by-write order finds first.
    const rank = new Map(acked.map((w, i) => [w, i]));
    const bySeq: (Operation | undefined)[] = [];
    for (const w of acked) bySeq[w.writeSeq!] = w;
    const worstOf = new Map<Operation, number>();
    let staleReads = 0;
    let worst: { write: Operation; read: Operation; ms: number } | undefined;
    for (const { op, saw, from } of reads) {
      for (let seq = from; seq < bySeq.length; seq++) {
        const w = bySeq[seq];
        if (!w || op.startedAt <= w.endedAt) continue;
        const ms = saw.has(seq) ? 0 : op.startedAt - w.endedAt;
        worstOf.set(w, Math.max(worstOf.get(w) ?? 0, ms));
        if (ms === 0) continue;
        staleReads++;
        const better = !worst || ms > worst.ms || (ms === worst.ms && (rank.get(w)! < rank.get(worst.write)! || (w === worst.write && op.index < worst.read.index)));
        if (better) worst = { write: w, read: op, ms };
      }
    }
    const stale = worstOf;
    const judged = worstOf.size;
    if (judged === 0) {
      return { checker: this.name, valid: 'unknown', summary: 'no read started after an acknowledged write: staleness not measured', thresholds: [] };
    }
    const values = [...stale.values()].sort((a, b) => a - b);
    const dist = { p50: percentile(values, 50), p90: percentile(values, 90), p99: percentile(values, 99), max: values[values.length - 1] };
    const missed = values.filter((v) => v > 0).length;
    const valid = dist.max <= maxStaleMs;
    const shape = `p50/p90/p99/max ${[dist.p50, dist.p90, dist.p99, dist.max].map(round1).join('/')} ms`;
    const example = worst ? `; worst: ${readLabel(worst.read)} missed ${writeLabel(worst.write)} ${worst.ms} ms after its acknowledgement` : '';
    return {
      checker: this.name,
      valid,
      summary: valid
        ? `${missed} of ${plural(judged, 'acknowledged write')} missed by a later read, for at most ${dist.max} ms (${shape})`
        : `a read missed an acknowledged write ${dist.max} ms after its acknowledgement, over the ${maxStaleMs} ms limit (${shape})${example}`,
      thresholds: [
        { name: `longest a read missed an acknowledged write (${plural(judged, 'write')})`, actual: dist.max, limit: `<= ${maxStaleMs}`, unit: 'ms', pass: valid },
        { name: 'staleness p99 over writes', actual: round1(dist.p99), limit: 'none', unit: 'ms', pass: true },
        { name: 'writes some later read missed', actual: missed, limit: 'none', unit: 'writes', pass: true },
      ],
      details: {
        maxStaleMs,
        writesJudged: judged,
        writesMissed: missed,
        staleReads,
        distributionMs: dist,
        worst: worst && { read: readLabel(worst.read), write: writeLabel(worst.write), ms: worst.ms },
      },
    };
  }
}
