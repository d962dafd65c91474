import { stoppedUnknown } from './stop-checker';
import type { CheckContext, Checker, ReplicaState, Threshold, Verdict } from '../core/checker';
import type { Operation, Outcome } from '../core/history';
import { joinProblems, listSome, plural } from './format';

export interface WriteIntegrityCheckerOptions {
  /** Most keys listed per kind of problem in the details (default 20); totals are always given in full. */
  maxListed?: number;
}

export const WRITE_INTEGRITY_DEFAULTS: Required<WriteIntegrityCheckerOptions> = { maxListed: 20 };

/** A key the run wrote, with what the client learnt and what each replica holds. */
interface KeyFacts {
  key: string;
  outcome: Outcome;
  /** Count per replica PID, in the order of FinalState.replicas. */
  counts: Map<number, number>;
}

/**
 * No acknowledged write lost, none applied twice, no refused write applied, and replicas agree on the writes whose
 * fate the client never learnt. A key written by several ops (a client retry with the same key) takes the most
 * certain outcome: ok if any op was acknowledged, else unknown if any was, else failed. A key missing from a
 * replica's keyCounts counts as 0 there.
 */
export class WriteIntegrityChecker implements Checker {
  readonly name = 'write-integrity';
  readonly options: Required<WriteIntegrityCheckerOptions>;

  constructor(options: WriteIntegrityCheckerOptions = {}) {
    this.options = { ...WRITE_INTEGRITY_DEFAULTS, ...options };
  }

  check({ history, final }: CheckContext): Verdict {
    if (history.stopped) return stoppedUnknown(this.name, history.stopped.reason);
    if (!final || final.replicas.length === 0) {
      const why = !final ? 'no final state gathered' : 'no replica in the final state';
      return { checker: this.name, valid: false, summary: `${why}: cannot look for lost or duplicated writes`, thresholds: [] };
    }
    const unreadable = final.replicas.filter((r) => r.unreadable !== undefined);
    if (unreadable.length > 0) {
      const which = unreadable.map((r) => `${r.pid} (${r.unreadable})`).join(', ');
      return { checker: this.name, valid: false, summary: `could not read ${plural(unreadable.length, 'replica')}: ${which}; cannot judge lost or duplicated writes`, thresholds: [] };
    }
    const keys = collectKeys(history.ops, final.replicas);
    const all = [...keys.values()];
    const lost = all.filter((k) => k.outcome === 'ok' && [...k.counts.values()].some((n) => n < 1));
    const duplicated = all.filter((k) => [...k.counts.values()].some((n) => n > 1));
    const phantom = all.filter((k) => k.outcome === 'failed' && [...k.counts.values()].some((n) => n > 0));
    const divergent = all.filter((k) => k.outcome === 'unknown' && new Set(k.counts.values()).size > 1);
    const pids = final.replicas.map((r) => r.pid);

    const problems: string[] = [];
    if (lost.length > 0) {
      problems.push(`lost ${plural(lost.length, 'acknowledged write')} (${listSome(lost.map((k) => k.key))}) ${where(lost, (n) => n < 1, pids)}`);
    }
    if (duplicated.length > 0) {
      problems.push(`${plural(duplicated.length, 'write')} applied more than once (${listSome(duplicated.map((k) => k.key))}) ${where(duplicated, (n) => n > 1, pids)}`);
    }
    if (phantom.length > 0) {
      problems.push(`${plural(phantom.length, 'failed write')} applied anyway (${listSome(phantom.map((k) => k.key))}) ${where(phantom, (n) => n > 0, pids)}`);
    }
    if (divergent.length > 0) {
      problems.push(`${plural(divergent.length, 'unknown-outcome write')} applied on some replicas only (${listSome(divergent.map((k) => k.key))})`);
    }

    const byOutcome = (o: Outcome) => all.filter((k) => k.outcome === o).length;
    const unknownApplied = all.filter((k) => k.outcome === 'unknown' && [...k.counts.values()].every((n) => n === 1)).length;
    const row = (name: string, n: number): Threshold => ({ name, actual: n, limit: '= 0', unit: 'writes', pass: n === 0 });
    const valid = problems.length === 0;
    const cap = this.options.maxListed;
    const list = (ks: KeyFacts[]) => ks.slice(0, cap).map((k) => ({ key: k.key, outcome: k.outcome, counts: Object.fromEntries(k.counts) }));
    return {
      checker: this.name,
      valid,
      summary: valid
        ? `all ${byOutcome('ok')} acknowledged writes present exactly once on ${plural(pids.length, 'replica')}; ` +
          `no duplicates; ${byOutcome('failed')} failed writes absent; ${unknownApplied} of ${byOutcome('unknown')} unknown writes applied`
        : joinProblems(problems),
      thresholds: [
        row('acknowledged writes lost', lost.length),
        row('writes applied more than once', duplicated.length),
        row('failed writes applied', phantom.length),
        row('unknown writes divergent across replicas', divergent.length),
      ],
      details: {
        replicas: pids,
        writes: { ok: byOutcome('ok'), failed: byOutcome('failed'), unknown: byOutcome('unknown'), unknownApplied },
        totals: { lost: lost.length, duplicated: duplicated.length, phantom: phantom.length, divergent: divergent.length },
        lost: list(lost),
        duplicated: list(duplicated),
        phantom: list(phantom),
        divergent: list(divergent),
      },
    };
  }
}

const CERTAINTY: Record<Outcome, number> = { failed: 0, unknown: 1, ok: 2 };

function collectKeys(ops: Operation[], replicas: ReplicaState[]): Map<string, KeyFacts> {
  const keys = new Map<string, KeyFacts>();
  for (const op of ops) {
    if (op.kind !== 'write' || op.key === undefined) continue;
    const seen = keys.get(op.key);
    if (seen) {
      if (CERTAINTY[op.outcome] > CERTAINTY[seen.outcome]) seen.outcome = op.outcome;
      continue;
    }
    keys.set(op.key, { key: op.key, outcome: op.outcome, counts: new Map(replicas.map((r) => [r.pid, r.keyCounts[op.key!] ?? 0])) });
  }
  return keys;
}

/** "on replica 4567" / "on replicas 4567, 4568" / "on all 3 replicas": where the bad counts were seen. */
function where(keys: KeyFacts[], bad: (n: number) => boolean, pids: number[]): string {
  const hit = pids.filter((pid) => keys.some((k) => bad(k.counts.get(pid) ?? 0)));
  if (hit.length === pids.length && pids.length > 1) return `on all ${pids.length} replicas`;
  return `on ${hit.length === 1 ? 'replica' : 'replicas'} ${listSome(hit, 5)}`;
}
