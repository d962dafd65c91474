import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { LinkProxy, type Address } from './link-proxy';

/** The links of one part of the system: to the broker, and to each ZooKeeper server of its connect string. */
export interface PartLinks {
  rabbitmq: LinkProxy;
  zookeeper: LinkProxy[];
}

const address = z.string().regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'must be host:port');
/** What the orchestrator sends before it starts a worker (system/orchestrator/runtime/link-proxy-client.ts). */
const workerRequestSchema = z.object({
  worker: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a worker id'),
  rabbitmq: address,
  zookeeper: z.array(address).min(1).max(16),
});

const BODY_LIMIT = 64 * 1024;

function parseAddress(hostPort: string): Address {
  const i = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(hostPort.slice(i + 1)) };
}

/*
 * Every link proxy of one system under test, and the control endpoint (WORKER_LINK_PROXY) the orchestrator asks for
 * each new worker's addresses. The harness opens the orchestrator's own links before starting it and hands it their
 * addresses; each worker's links are opened when the orchestrator asks (POST /links/worker), named by the worker's
 * id, and closed when the worker is gone. Loopback only.
 */
export class LinkHub {
  private readonly workers = new Map<string, PartLinks>();
  private orchestratorLinks: PartLinks | undefined;
  private server: http.Server | undefined;
  private closed = false;

  /** Starts the control endpoint on 127.0.0.1 (any free port). */
  async start(): Promise<void> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** WORKER_LINK_PROXY for the orchestrator. */
  get controlUrl(): string {
    if (!this.server) throw new Error('link hub not started');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Opens the orchestrator's links; returns the URL and connect string it must use instead of the servers'. */
  async openOrchestrator(rabbitmqUrl: string, zookeeperConnect: string): Promise<{ rabbitmqUrl: string; zookeeperConnect: string }> {
    const url = new URL(rabbitmqUrl);
    const links = await this.openPart('orchestrator', `${url.hostname}:${url.port || (url.protocol === 'amqps:' ? '5671' : '5672')}`, zookeeperConnect.split(','));
    this.orchestratorLinks = links;
    url.hostname = '127.0.0.1';
    url.port = String(links.rabbitmq.port);
    return { rabbitmqUrl: url.toString(), zookeeperConnect: links.zookeeper.map((z) => z.address).join(',') };
  }

  get orchestrator(): PartLinks {
    if (!this.orchestratorLinks) throw new Error("the orchestrator's links do not go through the link proxy");
    return this.orchestratorLinks;
  }

  /** The links of the worker with this id (the runtime's id, not its PID). */
  worker(id: string): PartLinks {
    const links = this.workers.get(id);
    if (!links) throw new Error(`worker ${id} does not connect through the link proxy`);
    return links;
  }

  /** Closes the proxies of a worker that is gone. */
  async dropWorker(id: string): Promise<void> {
    const links = this.workers.get(id);
    if (!links) return;
    this.workers.delete(id);
    await closeAll(links);
  }

  async close(): Promise<void> {
    this.closed = true;
    const parts = [...this.workers.values(), ...(this.orchestratorLinks ? [this.orchestratorLinks] : [])];
    this.workers.clear();
    await Promise.all(parts.map(closeAll));
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private async openPart(name: string, rabbitmq: string, zookeeper: string[]): Promise<PartLinks> {
    const opened: LinkProxy[] = [];
    try {
      const broker = await LinkProxy.open(`${name} <-> rabbitmq`, parseAddress(rabbitmq));
      opened.push(broker);
      for (const [i, z] of zookeeper.entries()) opened.push(await LinkProxy.open(`${name} <-> zookeeper${zookeeper.length > 1 ? ` ${i + 1}` : ''}`, parseAddress(z.trim())));
      return { rabbitmq: broker, zookeeper: opened.slice(1) };
    } catch (err) {
      await Promise.all(opened.map((p) => p.close()));
      throw err;
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.method !== 'POST' || req.url !== '/links/worker') return answer(404, { error: 'only POST /links/worker' });
      let raw = '';
      for await (const chunk of req) {
        raw += String(chunk);
        if (raw.length > BODY_LIMIT) return answer(413, { error: 'body too large' });
      }
      const parsed = workerRequestSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) return answer(400, { error: parsed.error.message });
      if (this.closed) return answer(503, { error: 'the link hub is closing' });
      const { worker, rabbitmq, zookeeper } = parsed.data;
      await this.dropWorker(worker);
      const links = await this.openPart(`worker ${worker}`, rabbitmq, zookeeper);
      this.workers.set(worker, links);
      answer(200, { rabbitmq: links.rabbitmq.address, zookeeper: links.zookeeper.map((z) => z.address) });
    } catch (err) {
      answer(err instanceof SyntaxError ? 400 : 500, { error: (err as Error).message });
    }
  }
}

async function closeAll(links: PartLinks): Promise<void> {
  await Promise.all([links.rabbitmq, ...links.zookeeper].map((p) => p.close()));
}
