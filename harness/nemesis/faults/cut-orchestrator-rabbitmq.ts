import { defineFault } from '../fault';
import { BOTH } from '../../network/link-proxy';
import { DEFAULT_HEARTBEAT_S } from '../../../system/common/amqp/amqp';
import { cut, healCut, linksOf } from '../link-cuts';

/*
 * The orchestrator cut from the broker both ways, for two heartbeats and a second: no request reaches a worker and no
 * reply comes back (504s), then its connection is given up and opened again once healed. The workers are untouched.
 */
export const cutOrchestratorRabbitmq = defineFault({
  kind: 'cut-orchestrator-rabbitmq',
  order: 25,
  title: 'cut the orchestrator from RabbitMQ (both ways)',
  hits: 'service',
  needsLinks: true,
  async inject(ctx) {
    const holdMs = 2 * DEFAULT_HEARTBEAT_S * 1000 + 1000;
    return cut(
      [{ link: linksOf(ctx).orchestrator.rabbitmq, directions: BOTH }],
      { target: 'orchestrator', hitPids: [], what: 'orchestrator' },
      {
        minMs: holdMs,
        maxMs: holdMs + 5000,
        effect: {
          what: 'the orchestrator reports the broker down',
          async seen(c, startedAt) {
            const r = await c.cluster.http.get<{ broker?: string }>('/healthz');
            return r.body?.broker === 'down' ? `the orchestrator reported the broker down after ${Date.now() - startedAt} ms` : undefined;
          },
        },
      },
    );
  },
  heal: healCut,
});
