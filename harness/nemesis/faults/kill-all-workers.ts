import { defineFault } from '../fault';

/** SIGKILL of the master and every slave at the same moment: the orchestrator must rebuild every replica, from the
 * newest snapshot and the log after it, with no copy of the data left running anywhere. */
export const killAllWorkers = defineFault({
  kind: 'kill-all-workers',
  order: 40,
  title: 'kill the master and every slave at once',
  // Like a service fault for the election checker: the new master is one of the replacements, which the topology
  // before the fault does not hold, so there is no lowest surviving PID to expect.
  hits: 'service',
  async inject(ctx) {
    const pids = await ctx.cluster.runningWorkerPids();
    if (pids.length === 0) throw new Error('no running worker to kill');
    await Promise.all(pids.map((pid) => ctx.cluster.signalWorker(pid, 'SIGKILL')));
    return { target: 'all workers', hitPids: pids, note: `${pids.length} workers` };
  },
});
