import net from 'node:net';
import { ZkClient } from './zk-client';

/*
 * A server that accepts connections and never answers: what ZooKeeper 3.8.0 does with a connection that arrives while
 * it is starting (its close fails, the socket stays open). The library alone waits in such a handshake for good.
 */
async function silentServer(): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('ZkClient handshake bound', () => {
  it('drops a connection whose handshake goes unanswered and tries again, doubling the bound each time', async () => {
    const server = await silentServer();
    const zk = new ZkClient({ connect: `127.0.0.1:${server.port}`, root: '/t', sessionTimeoutMs: 3000, connectTimeoutMs: 2500, handshakeTimeoutMs: 200 });
    try {
      await expect(zk.connect()).rejects.toThrow(/did not answer within 2500 ms/);
      // Without the bound: one attempt. With it: dropped after ~200, ~400, ~800 ms (the next after ~1600 ms more, past
      // the 2.5 s): four attempts; a bound that did not double would have made eight or more.
      expect(server.accepted()).toBeGreaterThanOrEqual(3);
      expect(server.accepted()).toBeLessThanOrEqual(4);
    } finally {
      zk.close();
      await server.close();
    }
  });

  it('defaults to a third of the session timeout', async () => {
    const server = await silentServer();
    const zk = new ZkClient({ connect: `127.0.0.1:${server.port}`, root: '/t', sessionTimeoutMs: 6000, connectTimeoutMs: 3500 });
    try {
      await expect(zk.connect()).rejects.toThrow(/did not answer/);
      // The first handshake is given 2000 ms (2000-2800 with the checks' spacing), the second 4000: two attempts in
      // 3.5 s. The 1000 ms floor would have made three, no bound one.
      expect(server.accepted()).toBe(2);
    } finally {
      zk.close();
      await server.close();
    }
  });
});
