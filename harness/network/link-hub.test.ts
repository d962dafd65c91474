import net from 'node:net';
import { linkProxyEnv } from '../../system/orchestrator/runtime/link-proxy-client';
import { waitUntil } from '../../system/common/time/wait-until';
import { LinkHub } from './link-hub';

/*
 * The control endpoint and the orchestrator's client of it, over real HTTP and TCP on loopback: a worker's addresses
 * are rewritten to its own proxies (credentials and vhost kept, never sent), and its bytes reach the real server.
 */
describe('LinkHub and linkProxyEnv', () => {
  let hub: LinkHub;
  let target: net.Server;
  let received = '';

  beforeEach(async () => {
    received = '';
    target = net.createServer((s) => s.on('data', (c: Buffer) => (received += c.toString())));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    hub = new LinkHub();
    await hub.start();
  });

  afterEach(async () => {
    await hub.close();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  });

  it("hands a worker its own proxies' addresses, which reach the servers", async () => {
    const port = (target.address() as net.AddressInfo).port;
    const env = await linkProxyEnv(hub.controlUrl, 'w1-abc', {
      rabbitmqUrl: `amqp://dbaas-worker:s%40cret@127.0.0.1:${port}/t-1?heartbeat=1`,
      zookeeperConnect: `127.0.0.1:${port},127.0.0.1:${port}`,
    });
    const links = hub.worker('w1-abc');
    expect(env.RABBITMQ_URL).toBe(`amqp://dbaas-worker:s%40cret@127.0.0.1:${links.rabbitmq.port}/t-1?heartbeat=1`);
    expect(env.ZOOKEEPER_CONNECT).toBe(links.zookeeper.map((z) => z.address).join(','));
    expect(links.zookeeper).toHaveLength(2);
    const socket = net.connect({ host: '127.0.0.1', port: links.rabbitmq.port });
    socket.write('AMQP');
    await waitUntil('bytes through the proxy', async () => received === 'AMQP', 2000, 5);
    socket.destroy();
    await hub.dropWorker('w1-abc');
    expect(() => hub.worker('w1-abc')).toThrow(/does not connect through the link proxy/);
  });

  it('refuses a malformed request with 400 and a reason', async () => {
    const res = await fetch(`${hub.controlUrl}/links/worker`, { method: 'POST', body: JSON.stringify({ worker: '../x', rabbitmq: 'nowhere', zookeeper: [] }) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/worker id/);
    await expect(linkProxyEnv('http://127.0.0.1:1', 'w2', { rabbitmqUrl: 'amqp://a:b@127.0.0.1/v', zookeeperConnect: '127.0.0.1:2181' }, 500)).rejects.toThrow();
  });
});
