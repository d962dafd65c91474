import { defineFault } from '../fault';

/** The whole system stopped and started again on its old data (as `npm start` twice): every worker of the new run
 * starts from a snapshot and replays only the log after it. */
export const restartSystem = defineFault({
  kind: 'restart-system',
  order: 41,
  title: 'restart the whole system',
  hits: 'service',
  async inject(ctx) {
    const pids = await ctx.cluster.runningWorkerPids();
    await ctx.cluster.restartSystem();
    return { target: 'system', hitPids: pids, note: 'orchestrator and workers stopped and started again' };
  },
});
