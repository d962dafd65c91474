import { z } from 'zod';

/** What a worker connects to, as the orchestrator would hand it over without a link proxy. */
export interface WorkerLinks {
  /** The workers' AMQP URL (with their user and vhost). */
  rabbitmqUrl: string;
  /** `host:port[,host:port]`. */
  zookeeperConnect: string;
}

const address = z.string().regex(/^(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}$/, 'must be a loopback host:port');
/** The control endpoint's answer: where this worker connects instead (the proxies' addresses, on loopback). */
const replySchema = z.object({ rabbitmq: address, zookeeper: z.array(address).min(1) });

/** host:port of an AMQP URL, its default port filled in. */
function amqpAddress(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'amqps:' ? '5671' : '5672')}`;
}

/*
 * The one thing the harness's network faults change in the system: where a worker connects. With WORKER_LINK_PROXY
 * set, the orchestrator asks that endpoint, before it starts a worker, for the worker's own broker and ZooKeeper
 * addresses (the endpoint opens a proxy per link and answers its address), and hands the worker those instead of the
 * servers' own. Credentials never leave the orchestrator: the endpoint gets host:port pairs only. Without the
 * setting nothing of this runs.
 */
export async function linkProxyEnv(controlUrl: string, workerId: string, links: WorkerLinks, timeoutMs = 5000): Promise<Record<string, string>> {
  const amqpUrl = new URL(links.rabbitmqUrl);
  const zookeeper = links.zookeeperConnect.split(',').map((s) => s.trim());
  const res = await fetch(new URL('/links/worker', controlUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ worker: workerId, rabbitmq: amqpAddress(amqpUrl), zookeeper }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(`link proxy ${controlUrl} answered ${res.status} for worker ${workerId}: ${JSON.stringify(body)}`);
  const parsed = replySchema.safeParse(body);
  if (!parsed.success) throw new Error(`link proxy ${controlUrl}: invalid answer for worker ${workerId}: ${parsed.error.message}`);
  const [host, port] = [parsed.data.rabbitmq.slice(0, parsed.data.rabbitmq.lastIndexOf(':')), parsed.data.rabbitmq.slice(parsed.data.rabbitmq.lastIndexOf(':') + 1)];
  amqpUrl.hostname = host;
  amqpUrl.port = port;
  return { RABBITMQ_URL: amqpUrl.toString(), ZOOKEEPER_CONNECT: parsed.data.zookeeper.join(',') };
}
