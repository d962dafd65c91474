import { loadConfig } from '../../system/common/config/config';
import { createLogger } from '../../system/common/logging/logger';
import { localServices } from '../../system/common/services/ensure-services';
import { waitUntil } from '../../system/common/time/wait-until';
import { ZkClient, zkErrorName } from '../../system/common/zk/zk-client';
import { LinkProxy } from './link-proxy';

/*
 * The ZooKeeper client over a link cut both ways (real ZooKeeper, a real proxy): node-zookeeper-client alone never
 * notices a partition (no read timeout), so a request hangs for as long as it lasts. ZkClient's probe must turn that
 * into a disconnection within about two thirds of the session timeout, failing the hung request with CONNECTION_LOSS;
 * healed past the session timeout, the session is reported expired.
 */
test('a partition is noticed within the read timeout; healed after the session timeout, the session is expired', async () => {
  const zkServer = localServices(loadConfig(), createLogger('test', 'warn')).zookeeper;
  const [host, port] = (process.env.TEST_ZOOKEEPER_CONNECT ?? zkServer.connectString).split(',')[0].split(':');
  const proxy = await LinkProxy.open('test <-> zookeeper', { host, port: Number(port) });
  const zk = new ZkClient({ connect: proxy.address, root: `/test/zk-read-timeout-${process.pid}`, sessionTimeoutMs: 1200, auth: zkServer.auth() });
  const events: string[] = [];
  try {
    await zk.connect();
    zk.on('disconnected', () => events.push('disconnected'));
    zk.on('expired', () => events.push('expired'));
    await zk.create('/alive', { ok: true }, 'ephemeral');
    const sessionMs = zk.sessionTimeoutMs;

    proxy.blackhole();
    const cutAt = Date.now();
    const hung = zk.getData('/alive').then(
      () => 'answered',
      (err) => zkErrorName(err) ?? String(err),
    );
    await waitUntil('the client to notice the partition', async () => events.includes('disconnected'), sessionMs * 3, 20);
    const noticedMs = Date.now() - cutAt;
    expect(noticedMs).toBeLessThan(sessionMs * 1.5);
    expect(await hung).toBe('CONNECTION_LOSS');

    // Past the session timeout the server has expired the session; the client learns it once the link heals.
    await new Promise((r) => setTimeout(r, Math.max(0, cutAt + sessionMs * 2 - Date.now())));
    proxy.pass();
    await waitUntil('the session to be reported expired', async () => events.includes('expired'), 10000, 20);
  } finally {
    zk.close();
    await proxy.close();
  }
});
