import { runFault, type Nemesis } from './nemesis';

/** Time for workers to notice a restarted server before the harness waits for a whole topology again. */
const SETTLE_MS = 3000;

/*
 * Restarts of the real servers. Workers are crash-only: a worker that loses the broker or its ZooKeeper session exits
 * and the orchestrator starts a fresh one, so "healed" means the whole topology is back.
 */
export const restartRabbitMq: Nemesis = {
  kind: 'restart-rabbitmq',
  inject: (ctx) =>
    runFault(ctx, 'restart-rabbitmq', async () => {
      await ctx.cluster.restartRabbitMq();
      return { target: 'rabbitmq', hitPids: [], settleMs: SETTLE_MS };
    }),
};

export const restartZookeeper: Nemesis = {
  kind: 'restart-zookeeper',
  inject: (ctx) =>
    runFault(ctx, 'restart-zookeeper', async () => {
      await ctx.cluster.restartZookeeper();
      return { target: 'zookeeper', hitPids: [], settleMs: SETTLE_MS };
    }),
};
