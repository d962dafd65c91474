import { defineFault } from '../fault';
import { BOTH } from '../../network/link-proxy';
import { cut, healCut, linksOf, systemConfig, type Effect } from '../link-cuts';

const RENEWALS = /^dbaas_orchestrator_zookeeper_sessions_renewed (\d+)/m;

async function renewals(ctx: Parameters<Effect['seen']>[0]): Promise<number | undefined> {
  const r = await ctx.cluster.http.get<string>('/metrics');
  const m = typeof r.body === 'string' ? RENEWALS.exec(r.body) : null;
  return m ? Number(m[1]) : undefined;
}

/*
 * The orchestrator cut from ZooKeeper both ways for longer than its session (ORCHESTRATOR_ZK_SESSION_TIMEOUT_MS):
 * it loses the session, answers 503 to what needs ZooKeeper, and must keep its workers: reads and writes go on
 * through the queues. Its effect: the orchestrator says it is without ZooKeeper (/healthz), and once healed opens a new
 * session (its renewals metric grows), which proves the old one expired.
 */
export const cutOrchestratorZookeeper = defineFault({
  kind: 'cut-orchestrator-zookeeper',
  order: 24,
  title: 'cut the orchestrator from ZooKeeper (both ways, longer than its session)',
  hits: 'service',
  needsLinks: true,
  async inject(ctx) {
    const sessionMs = systemConfig(ctx).orchestratorZkSessionTimeoutMs;
    const before = await renewals(ctx);
    const links = linksOf(ctx).orchestrator;
    const hit = cut(
      links.zookeeper.map((link) => ({ link, directions: BOTH })),
      { target: 'orchestrator', hitPids: [], what: `orchestrator, session ${sessionMs} ms` },
      {
        minMs: sessionMs + 2000,
        maxMs: sessionMs + 2000,
        effect: {
          what: 'the orchestrator reports ZooKeeper down',
          async seen(c, startedAt) {
            const r = await c.cluster.http.get<{ zookeeper?: string }>('/healthz');
            return r.body?.zookeeper === 'down' ? `the orchestrator reported ZooKeeper down after ${Date.now() - startedAt} ms` : undefined;
          },
        },
      },
    );
    renewalsBefore.set(hit, before);
    return hit;
  },
  async heal(ctx, hit) {
    await healCut(ctx, hit);
    // The proof that the session expired (not just a disconnection): a new one replaced it.
    const healedAt = Date.now();
    const before = renewalsBefore.get(hit);
    let line = 'effect NOT seen: no session renewal within 15000 ms of the heal';
    let renewed = false;
    while (Date.now() - healedAt < 15000) {
      const now = await renewals(ctx).catch(() => undefined);
      if (before !== undefined && now !== undefined && now > before) {
        line = `its session expired: a new one opened ${Date.now() - healedAt} ms after the heal`;
        renewed = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    hit.note = `${hit.note}; ${line}`;
    hit.inEffect = hit.inEffect !== false && renewed;
  },
});

const renewalsBefore = new WeakMap<object, number | undefined>();
