import { sleep } from '../../system/common/services/wait-for';
import type { WorkerSample } from '../core/history';
import { readyMaster, readySlaves } from '../testing/topology';
import { runFault, type Nemesis, type NemesisContext } from './nemesis';

/** Kills the master with the crash API (SIGKILL through the runtime); the API answers the killed PID. */
export const killMaster: Nemesis = {
  kind: 'kill-master',
  inject: (ctx) => runFault(ctx, 'kill-master', () => crash(ctx, 'master')),
};

/** Kills a slave with the crash API (the one with the highest PID). */
export const killSlave: Nemesis = {
  kind: 'kill-slave',
  inject: (ctx) => runFault(ctx, 'kill-slave', () => crash(ctx, 'slave')),
};

/** SIGKILL to a worker chosen at random (master or slave), sent by the harness itself. */
export const killRandom: Nemesis = {
  kind: 'kill-random',
  inject: (ctx) =>
    runFault(ctx, 'kill-random', async (before) => {
      const victim = pick(ctx, before);
      await ctx.cluster.signalWorker(victim.pid, 'SIGKILL');
      return { target: String(victim.pid), hitPids: [victim.pid], note: victim.role };
    }),
};

/*
 * SIGSTOP to a random worker for `pauseMs`, then SIGCONT. A pause longer than the ZooKeeper session makes the worker
 * lost: a paused master is replaced (and the orchestrator kills it when KILL_LOST_WORKERS is on).
 */
export function pauseWorker(pauseMs: number): Nemesis {
  return {
    kind: 'pause-worker',
    inject: (ctx) =>
      runFault(ctx, 'pause-worker', async (before) => {
        const victim = pick(ctx, before);
        await ctx.cluster.signalWorker(victim.pid, 'SIGSTOP');
        await sleep(pauseMs);
        // It may have been killed as lost meanwhile: then there is nothing to resume.
        await ctx.cluster.signalWorker(victim.pid, 'SIGCONT').catch(() => undefined);
        return { target: String(victim.pid), hitPids: [victim.pid], note: `${victim.role}, paused ${pauseMs} ms` };
      }),
  };
}

async function crash(ctx: NemesisContext, role: 'master' | 'slave') {
  const r = await ctx.cluster.http.post<number[]>(`/api/v1/crash/${role}`);
  if (r.status !== 200 || !Array.isArray(r.body) || r.body.length !== 1) throw new Error(`POST /api/v1/crash/${role} answered ${r.status} ${JSON.stringify(r.body)}`);
  return { target: String(r.body[0]), hitPids: r.body, note: role };
}

function pick(ctx: NemesisContext, before: WorkerSample[]): WorkerSample {
  const candidates = [readyMaster(before), ...readySlaves(before)].filter((w): w is WorkerSample => !!w);
  if (candidates.length === 0) throw new Error('no ready worker to hit');
  return candidates[Math.floor(ctx.random() * candidates.length)];
}
