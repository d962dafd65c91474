import { abortableSleep } from '../core/abortable-sleep';
import { AvailabilityChecker } from '../checkers/availability-checker';
import { ConvergenceChecker } from '../checkers/convergence-checker';
import { ElectionChecker } from '../checkers/election-checker';
import { FencingChecker } from '../checkers/fencing-checker';
import { LatencyChecker } from '../checkers/latency-checker';
import { PrefixChecker } from '../checkers/prefix-checker';
import { ReadYourWritesChecker } from '../checkers/read-your-writes-checker';
import { StopChecker } from '../checkers/stop-checker';
import { StalenessChecker } from '../checkers/staleness-checker';
import { WriteIntegrityChecker } from '../checkers/write-integrity-checker';
import type { Checker } from '../core/checker';
import type { FaultKind } from '../core/history';
import type { Fault } from '../nemesis/fault';
import { runFault } from '../nemesis/nemesis';
import { MixedLoad } from '../workload/generators';
import type { ScenarioContext } from './scenario';

/** The steady mixed load of the fault scenarios: half reads, half writes, at --rate for --duration, bounded. */
export function startMixedLoad(ctx: ScenarioContext, durationMs = ctx.options.durationS * 1000): MixedLoad {
  const { options } = ctx;
  return new MixedLoad(ctx.clients, {
    readRatio: 0.5,
    rate: options.rate,
    durationMs,
    maxOps: Math.ceil((options.rate * durationMs * 1.5) / 1000),
    seed: options.seed,
    keyPrefix: ctx.keyPrefix,
    signal: ctx.signal,
  });
}

/*
 * The shape shared by the crash scenarios: the mixed load for the whole duration, with `count` faults of one kind
 * spread evenly over it (each waits until the system healed). The load stops by itself at the end.
 */
export async function faultsUnderLoad(ctx: ScenarioContext, fault: Fault<FaultKind>, count: number): Promise<void> {
  const durationMs = ctx.options.durationS * 1000;
  const load = startMixedLoad(ctx);
  ctx.progress(`load: ${ctx.options.clients} clients, ${ctx.options.rate} ops/s, 50% writes, ${ctx.options.durationS} s; ${count} x ${fault.kind}`);
  try {
    const start = Date.now();
    for (let i = 1; i <= count; i++) {
      await abortableSleep(start + (i * durationMs) / (count + 1) - Date.now(), ctx.signal);
      if (ctx.signal.aborted) break;
      await runFault(ctx.nemesis, fault);
    }
  } finally {
    await load.done;
  }
}

/** What every fault scenario promises: right elections, no write lost or doubled, reads that show a prefix of the log
 * (their own writes included, none stale for long), fenced masters, replicas converge, service goes on. */
export function faultCheckers(
  o: { maxElectionMs?: number; maxConvergenceMs?: number; maxUnavailableDuringFault?: number; maxStaleMs?: number } = {},
): Checker[] {
  // Only limits that are set: an explicit undefined would override the checkers' defaults.
  const { maxElectionMs, maxConvergenceMs, maxUnavailableDuringFault, maxStaleMs } = o;
  return [
    new ElectionChecker(maxElectionMs === undefined ? {} : { maxElectionMs }),
    new WriteIntegrityChecker(),
    new ReadYourWritesChecker(),
    new PrefixChecker(),
    new StalenessChecker(maxStaleMs === undefined ? {} : { maxStaleMs }),
    new FencingChecker(),
    new ConvergenceChecker(maxConvergenceMs === undefined ? {} : { maxConvergenceMs }),
    new AvailabilityChecker(maxUnavailableDuringFault === undefined ? {} : { maxUnavailableDuringFault }),
    new LatencyChecker(),
    new StopChecker(),
  ];
}
