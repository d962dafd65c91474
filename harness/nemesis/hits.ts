import { sleep } from '../../system/common/time/sleep';
import { readyMaster, readySlaves, type WorkerStatus } from '../testing/topology';
import type { FaultContext, Hit } from './fault';

/*
 * The ways the fault files hit workers, shared so that each fault file only says which one it uses on whom.
 */

/** Longer than the workers' ZooKeeper session (ZK_SESSION_TIMEOUT_MS, 2 s by default): the paused worker is lost and
 * replaced (and the orchestrator kills it when KILL_LOST_WORKERS is on). */
export const PAUSE_MS = 2500;

/** Time for workers to notice a restarted server before the nemesis waits for a whole topology again. */
export const SERVICE_SETTLE_MS = 3000;

/** SIGKILL through the orchestrator's crash API (for a slave, the one with the highest PID); it answers the killed PID. */
export async function crashWithApi(ctx: FaultContext, role: 'master' | 'slave'): Promise<Hit> {
  const r = await ctx.cluster.http.post<number[]>(`/api/v1/crash/${role}`);
  if (r.status !== 200 || !Array.isArray(r.body) || r.body.length !== 1) throw new Error(`POST /api/v1/crash/${role} answered ${r.status} ${JSON.stringify(r.body)}`);
  return { target: String(r.body[0]), hitPids: r.body, note: role };
}

/** The ready master and slaves: a fault on any worker chooses among them. */
export function readyWorkers(before: WorkerStatus[]): WorkerStatus[] {
  return [readyMaster(before), ...readySlaves(before)].filter((w): w is WorkerStatus => !!w);
}

/** One of `candidates`, drawn with the run's seeded random so that a seed replays the same victims. */
export function pickAtRandom(ctx: FaultContext, candidates: WorkerStatus[], what = 'worker'): WorkerStatus {
  if (candidates.length === 0) throw new Error(`no ready ${what} to hit`);
  return candidates[Math.floor(ctx.random() * candidates.length)];
}

/** SIGSTOP: the worker keeps its process and connections but answers nothing, as in a long GC pause or a stalled VM. */
export async function stopForAPause(ctx: FaultContext, victim: WorkerStatus): Promise<Hit> {
  await ctx.cluster.signalWorker(victim.pid, 'SIGSTOP');
  return { target: String(victim.pid), hitPids: [victim.pid], note: `${victim.role}, paused ${PAUSE_MS} ms` };
}

/** SIGCONT once the pause is over. The worker may have been killed as lost meanwhile: then there is nothing to resume. */
export async function resumeAfterThePause(ctx: FaultContext, hit: Hit): Promise<void> {
  await sleep(PAUSE_MS);
  for (const pid of hit.hitPids) await ctx.cluster.signalWorker(pid, 'SIGCONT').catch(() => undefined);
}
