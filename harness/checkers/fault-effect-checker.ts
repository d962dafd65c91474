import type { CheckContext, Checker, Threshold, Verdict } from '../core/checker';
import { faultLabel, joinProblems, plural } from './format';

/**
 * Every fault that checks its own effect (the network faults: bytes stopped on the link, the cut worker gone from
 * /workers, the orchestrator's session renewed...) must have seen it: a cut that stopped nothing, or a partition the
 * system never noticed, proves nothing about the system, so the run must not pass on it. Faults that do not check
 * (a kill, a restart) are not judged here.
 */
export class FaultEffectChecker implements Checker {
  readonly name = 'fault-effect';

  check({ history }: CheckContext): Verdict {
    const judged = history.faults.filter((f) => f.inEffect !== undefined);
    if (judged.length === 0) return { checker: this.name, valid: 'unknown', summary: 'no fault checked its effect', thresholds: [] };
    const thresholds: Threshold[] = judged.map((f) => ({ name: `${faultLabel(f)}: took effect`, actual: f.inEffect ? 'yes' : 'no', limit: 'yes', pass: f.inEffect === true }));
    const missed = judged.filter((f) => !f.inEffect);
    const valid = missed.length === 0;
    return {
      checker: this.name,
      valid,
      summary: valid ? `${plural(judged.length, 'fault')} seen to take effect` : joinProblems(missed.map((f) => `${faultLabel(f)} did not take effect: ${f.note ?? ''}`)),
      thresholds,
    };
  }
}
