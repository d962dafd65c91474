import { defineFault } from '../fault';
import { SERVICE_SETTLE_MS } from '../hits';

/** Restart of the broker. Workers are crash-only: one that loses the broker exits and the orchestrator starts a fresh
 * one, so the system heals by itself once the whole topology is back. */
export const restartRabbitMq = defineFault({
  kind: 'restart-rabbitmq',
  order: 5,
  title: 'restart RabbitMQ',
  hits: 'service',
  async inject(ctx) {
    await ctx.cluster.restartRabbitMq();
    return { target: 'rabbitmq', hitPids: [], settleMs: SERVICE_SETTLE_MS };
  },
});
