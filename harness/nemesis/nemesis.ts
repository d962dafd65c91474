import { sleep } from '../../system/common/time/sleep';
import type { FaultKind, FaultWindow, History } from '../core/history';
import type { Cluster } from '../environment/environment';
import { readTopology, type TopologySampler } from '../observe/topology-sampler';
import { isComplete, readyMaster } from '../testing/topology';
import type { Fault } from './fault';

export interface NemesisContext {
  cluster: Cluster;
  sampler: TopologySampler;
  history: History;
  /** Slaves the system keeps; a fault is healed once 1 master and this many slaves are ready again. */
  slaves: number;
  /** Bound on healing; a fault not healed by then is recorded as such and the run goes on. */
  healTimeoutMs: number;
  random: () => number;
  progress: (line: string) => void;
  /** Set when the user interrupts the run: no new fault starts. */
  signal: AbortSignal;
}

/*
 * Injects one fault and records its window (and any election) in the history: read the topology, hit, let the fault
 * undo itself where it does, and watch until the full topology is back. Every change of the ready master seen from
 * just before the hit until healed is recorded as an election of this fault, whatever was hit: a slave fault that
 * moved the master must show up, or the election checker could not catch it.
 */
export async function runFault(ctx: NemesisContext, spec: Fault<FaultKind>): Promise<FaultWindow> {
  const { kind } = spec;
  const before = await readTopology(ctx.cluster.http).catch(() => ctx.sampler.latest()?.workers ?? []);
  const fault: FaultWindow = { kind, startedAt: Date.now(), endedAt: 0, before };
  let master = readyMaster(before)?.pid;
  const unsubscribe = ctx.sampler.subscribe((s) => {
    const now = readyMaster(s.workers)?.pid;
    if (now === undefined || now === master) return;
    master = now;
    ctx.history.elections.push({ at: s.at, fault, newMasterPid: now });
    ctx.progress(`  new master ${now} after ${s.at - fault.startedAt} ms`);
  });
  try {
    const hit = await spec.inject(ctx, before);
    await spec.heal?.(ctx, hit);
    const { target, hitPids, note, inEffect, settleMs = 0, skipped } = hit;
    Object.assign(fault, { target, note: skipped ? `skipped: ${skipped}` : note, ...(inEffect === undefined ? {} : { inEffect }) });
    ctx.history.faults.push(fault);
    if (skipped) {
      ctx.progress(`fault ${kind} SKIPPED: ${skipped}`);
      return fault;
    }
    ctx.progress(`fault ${kind}${target ? ` on ${target}` : ''}${note ? ` (${note})` : ''}`);
    if (spec.stopsTheSystem) {
      await awaitTheStop(ctx, fault, spec.stopsTheSystem);
      return fault;
    }
    await sleep(settleMs);
    await ctx.sampler
      .waitFor('the full topology', (w) => isComplete(w, ctx.slaves) && !w.some((x) => hitPids.includes(x.pid)), ctx.healTimeoutMs)
      .then(() => ctx.progress(`  healed after ${Date.now() - fault.startedAt} ms`))
      .catch((err) => {
        fault.note = [fault.note, `not healed: ${(err as Error).message}`].filter(Boolean).join('; ');
        ctx.progress(`  NOT healed within ${ctx.healTimeoutMs} ms`);
      });
  } finally {
    unsubscribe();
    fault.endedAt = Date.now();
  }
  return fault;
}

/*
 * After a fault that stops the system by design there is nothing to heal: the nemesis checks that the system did stop
 * (no ready master) and records when, so that the stop checker can prove nothing was answered after it.
 */
async function awaitTheStop(ctx: NemesisContext, fault: FaultWindow, reason: string): Promise<void> {
  await ctx.sampler
    .waitFor('no ready master', (w) => !readyMaster(w), ctx.healTimeoutMs)
    .then((s) => {
      ctx.history.stopped = { kind: fault.kind, faultAt: fault.startedAt, at: s.at, reason };
      ctx.progress(`  the system stopped by design after ${s.at - fault.startedAt} ms: ${reason}`);
    })
    .catch(() => {
      fault.note = [fault.note, `NOT stopped within ${ctx.healTimeoutMs} ms`].filter(Boolean).join('; ');
      ctx.history.stopped = { kind: fault.kind, faultAt: fault.startedAt, at: Date.now(), reason: `${reason} (but a master stayed ready)` };
      ctx.progress(`  NOT stopped within ${ctx.healTimeoutMs} ms although it should have`);
    });
}
