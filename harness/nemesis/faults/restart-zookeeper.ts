import { defineFault } from '../fault';
import { SERVICE_SETTLE_MS } from '../hits';

/** Restart of ZooKeeper. A worker whose session expires exits and is replaced; the orchestrator's own, longer session
 * (ORCHESTRATOR_ZK_SESSION_TIMEOUT_MS) outlives the restart. */
export const restartZookeeper = defineFault({
  kind: 'restart-zookeeper',
  order: 6,
  title: 'restart ZooKeeper',
  hits: 'service',
  async inject(ctx) {
    await ctx.cluster.restartZookeeper();
    return { target: 'zookeeper', hitPids: [], settleMs: SERVICE_SETTLE_MS };
  },
});
