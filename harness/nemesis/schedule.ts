import { abortableSleep } from '../core/abortable-sleep';
import type { FaultKind } from '../core/history';
import type { Fault } from './fault';
import { runFault, type NemesisContext } from './nemesis';

export interface ScheduleOptions {
  /** Faults start no later than this (the schedule is bounded). */
  untilMs: number;
  /** Quiet time between the end of one fault and the start of the next. */
  gapMs: number;
  /** Bound on the number of faults. */
  maxFaults: number;
  /** Relative weight of each kind in the draw (default 1 each). */
  weights?: Partial<Record<FaultKind, number>>;
}

/** One of `faults`, drawn with `random` in proportion to its weight (1 when unweighted). */
export function drawFault<F extends Fault<FaultKind>>(faults: readonly F[], random: () => number, weights: Partial<Record<FaultKind, number>> = {}): F {
  const weightOf = (f: F) => weights[f.kind] ?? 1;
  let x = random() * faults.reduce((sum, f) => sum + weightOf(f), 0);
  for (const f of faults) {
    x -= weightOf(f);
    if (x < 0) return f;
  }
  return faults[faults.length - 1];
}

/** Faults one after another, each chosen at random from `faults`, with a quiet gap between them; stops by itself. */
export async function randomSchedule(ctx: NemesisContext, faults: readonly Fault<FaultKind>[], o: ScheduleOptions): Promise<void> {
  const until = Date.now() + o.untilMs;
  // A fault that stopped the system by design ends the schedule: there is no system left to hit.
  for (let n = 0; n < o.maxFaults && Date.now() + o.gapMs < until && !ctx.signal.aborted && !ctx.history.stopped; n++) {
    await abortableSleep(o.gapMs, ctx.signal);
    if (ctx.signal.aborted) break;
    // Unweighted, the draw is the one older runs made (index = floor(random * n)), so that their seeds replay.
    await runFault(ctx, o.weights ? drawFault(faults, ctx.random, o.weights) : faults[Math.floor(ctx.random() * faults.length)]);
  }
}
