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
}

/** Faults one after another, each chosen at random from `faults`, with a quiet gap between them; stops by itself. */
export async function randomSchedule(ctx: NemesisContext, faults: readonly Fault<FaultKind>[], o: ScheduleOptions): Promise<void> {
  const until = Date.now() + o.untilMs;
  for (let n = 0; n < o.maxFaults && Date.now() + o.gapMs < until && !ctx.signal.aborted; n++) {
    await abortableSleep(o.gapMs, ctx.signal);
    if (ctx.signal.aborted) break;
    await runFault(ctx, faults[Math.floor(ctx.random() * faults.length)]);
  }
}
