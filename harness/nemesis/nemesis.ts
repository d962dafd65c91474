import type { ElectionEvent, FaultKind, FaultWindow, History, WorkerSample } from '../core/history';
import type { Cluster } from '../environment/environment';
import { isComplete, readyMaster, type TopologySampler } from '../observe/topology-sampler';

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
}

/** A fault: injects itself, waits until the system healed, and records its window (and any election) in the history. */
export interface Nemesis {
  readonly kind: FaultKind;
  inject(ctx: NemesisContext): Promise<FaultWindow>;
}

/*
 * The common shape of a fault: note the topology, hit, then watch for a new master when the old one was hit and for
 * the full topology to come back. The window closes when the system is whole again (or at the heal bound).
 */
export async function runFault(
  ctx: NemesisContext,
  kind: FaultKind,
  hit: (before: WorkerSample[]) => Promise<{ target?: string; hitPids: number[]; note?: string; settleMs?: number }>,
): Promise<FaultWindow> {
  const before = ctx.sampler.latest()?.workers ?? [];
  const oldMaster = readyMaster(before);
  const startedAt = Date.now();
  const { target, hitPids, note, settleMs = 0 } = await hit(before);
  const fault: FaultWindow = { kind, startedAt, endedAt: startedAt, target, before, note };
  ctx.history.faults.push(fault);
  ctx.progress(`fault ${kind}${target ? ` on ${target}` : ''}${note ? ` (${note})` : ''}`);
  const waits: Promise<unknown>[] = [];
  if (oldMaster && hitPids.includes(oldMaster.pid)) {
    waits.push(
      ctx.sampler
        .waitFor('a new ready master', (w) => !!readyMaster(w) && readyMaster(w)!.pid !== oldMaster.pid, ctx.healTimeoutMs)
        .then((s) => {
          const election: ElectionEvent = { at: s.at, fault, newMasterPid: readyMaster(s.workers)!.pid };
          ctx.history.elections.push(election);
          ctx.progress(`  new master ${election.newMasterPid} after ${election.at - startedAt} ms`);
        })
        .catch((err) => ctx.progress(`  ${(err as Error).message}`)),
    );
  }
  // After a server restart the old workers may still look whole for a moment before they notice and exit.
  if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs));
  const healed = ctx.sampler
    .waitFor('the full topology', (w) => isComplete(w, ctx.slaves) && !w.some((x) => hitPids.includes(x.pid)), ctx.healTimeoutMs)
    .then(() => ctx.progress(`  healed after ${Date.now() - startedAt} ms`))
    .catch((err) => {
      fault.note = [fault.note, `not healed: ${(err as Error).message}`].filter(Boolean).join('; ');
      ctx.progress(`  NOT healed within ${ctx.healTimeoutMs} ms`);
    });
  await Promise.all([...waits, healed]);
  fault.endedAt = Date.now();
  return fault;
}
