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
  it('drops a connection whose handshake goes unanswered and tries again', async () => {
    const server = await silentServer();
    const zk = new ZkClient({ connect: `127.0.0.1:${server.port}`, root: '/t', sessionTimeoutMs: 3000, connectTimeoutMs: 1500, handshakeTimeoutMs: 200 });
    try {
      await expect(zk.connect()).rejects.toThrow(/did not answer within 1500 ms/);
      // One attempt without the bound; with it, one every ~200-280 ms over 1.5 s.
      expect(server.accepted()).toBeGreaterThanOrEqual(4);
    } finally {
      zk.close();
      await server.close();
    }
  });

  it('defaults to a third of the session timeout', async () => {
    const server = await silentServer();
    const zk = new ZkClient({ connect: `127.0.0.1:${server.port}`, root: '/t', sessionTimeoutMs: 3000, connectTimeoutMs: 2500 });
    try {
      await expect(zk.connect()).rejects.toThrow(/did not answer/);
      // A handshake is given 1000 ms: two or three attempts in 2.5 s, not one, not ten.
      expect(server.accepted()).toBeGreaterThanOrEqual(2);
      expect(server.accepted()).toBeLessThanOrEqual(3);
    } finally {
      zk.close();
      await server.close();
    }
  });
});
