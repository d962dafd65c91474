import net from 'node:net';
import { sleep } from '../../system/common/time/sleep';
import { waitUntil } from '../../system/common/time/wait-until';
import { LinkProxy } from './link-proxy';

/*
 * The link proxy on real sockets (loopback): a small TCP server stands for the broker or ZooKeeper, a client socket
 * for a worker. What a cut must do is what a partition does: nothing gets through, nothing is lost, sockets stay open.
 */

interface Peer {
  socket: net.Socket;
  received: () => string;
  events: string[];
}

function track(socket: net.Socket): Peer {
  let data = '';
  const events: string[] = [];
  socket.on('data', (c: Buffer) => (data += c.toString('utf8')));
  socket.on('end', () => events.push('end'));
  socket.on('error', (err: NodeJS.ErrnoException) => events.push(`error:${err.code}`));
  socket.on('close', () => events.push('close'));
  return { socket, received: () => data, events };
}

describe('LinkProxy (real sockets on loopback)', () => {
  let server: net.Server;
  let serverPeers: Peer[];
  let proxy: LinkProxy;
  const clients: net.Socket[] = [];

  beforeEach(async () => {
    serverPeers = [];
    server = net.createServer((s) => serverPeers.push(track(s)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = await LinkProxy.open('test', { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await proxy.close();
    for (const p of serverPeers) p.socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function connect(): Promise<Peer> {
    const socket = net.connect({ host: '127.0.0.1', port: proxy.port });
    clients.push(socket);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return track(socket);
  }

  async function connected(): Promise<{ client: Peer; peer: Peer }> {
    const client = await connect();
    await waitUntil('the server side to be connected', async () => serverPeers.length === 1, 2000, 5);
    return { client, peer: serverPeers[0] };
  }

  it('a server that refuses the connection: the client gets a reset, not a connection that hangs', async () => {
    const down = await new Promise<number>((resolve) => {
      const probe = net.createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const toNowhere = await LinkProxy.open('refused', { host: '127.0.0.1', port: down });
    try {
      const socket = net.connect({ host: '127.0.0.1', port: toNowhere.port });
      clients.push(socket);
      const client = track(socket);
      await waitUntil('the client to be closed', async () => client.events.includes('close'), 2000, 5);
      expect(client.events).toContain('error:ECONNRESET');
      expect(toNowhere.stats().connections).toBe(0);
    } finally {
      await toNowhere.close();
    }
  });

  it('passes bytes both ways and counts them', async () => {
    const { client, peer } = await connected();
    client.socket.write('hello');
    await waitUntil('bytes up', async () => peer.received() === 'hello', 2000, 5);
    peer.socket.write('world!');
    await waitUntil('bytes down', async () => client.received() === 'world!', 2000, 5);
    expect(proxy.stats()).toMatchObject({ connections: 1, accepted: 1, forwarded: { up: 5, down: 6 }, received: { up: 5, down: 6 }, held: { up: 0, down: 0 } });
  });

  it('a cut upward stops the bytes, keeps the sockets open, and delivers them in order once healed', async () => {
    const { client, peer } = await connected();
    proxy.blackhole(['up']);
    client.socket.write('one,');
    client.socket.write('two');
    peer.socket.write('still flowing');
    await waitUntil('the other direction still flows', async () => client.received() === 'still flowing', 2000, 5);
    await sleep(200);
    expect(peer.received()).toBe('');
    expect(proxy.stats()).toMatchObject({ forwarded: { up: 0 }, received: { up: 7 }, held: { up: 7, down: 0 }, connections: 1 });
    expect(client.events).toEqual([]);
    expect(peer.events).toEqual([]);
    proxy.pass();
    await waitUntil('held bytes delivered', async () => peer.received() === 'one,two', 2000, 5);
    expect(proxy.stats().held).toEqual({ up: 0, down: 0 });
  });

  it('a cut both ways stops both directions, then resumes them', async () => {
    const { client, peer } = await connected();
    proxy.blackhole();
    client.socket.write('ping');
    peer.socket.write('pong');
    await sleep(200);
    expect([peer.received(), client.received()]).toEqual(['', '']);
    expect(proxy.stats().held).toEqual({ up: 4, down: 4 });
    proxy.pass();
    await waitUntil('both delivered', async () => peer.received() === 'ping' && client.received() === 'pong', 2000, 5);
  });

  it('hides a close behind a cut: the peer sees it only after the heal', async () => {
    const { client, peer } = await connected();
    proxy.blackhole(['down']);
    peer.socket.end('bye');
    await sleep(200);
    expect(client.received()).toBe('');
    expect(client.events).toEqual([]);
    proxy.pass();
    await waitUntil('the close arrives after the bytes', async () => client.events.includes('end'), 2000, 5);
    expect(client.received()).toBe('bye');
  });

  it('a connection opened during a cut reaches the server only once the link heals', async () => {
    proxy.blackhole();
    const client = await connect();
    client.socket.write('early');
    await sleep(200);
    expect(serverPeers).toHaveLength(0);
    expect(proxy.stats()).toMatchObject({ connections: 1, held: { up: 5 } });
    proxy.pass();
    await waitUntil('connected and delivered', async () => serverPeers.length === 1 && serverPeers[0].received() === 'early', 2000, 5);
  });

  it('delays each direction by the given time', async () => {
    const { client, peer } = await connected();
    peer.socket.on('data', (c: Buffer) => peer.socket.write(c)); // echo
    proxy.slow(150);
    const start = Date.now();
    client.socket.write('x');
    await waitUntil('the echo', async () => client.received() === 'x', 3000, 5);
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
    proxy.pass();
    const again = Date.now();
    client.socket.write('y');
    await waitUntil('the echo, undelayed', async () => client.received() === 'xy', 3000, 5);
    expect(Date.now() - again).toBeLessThan(150);
  });

  it('resets every open connection with a real RST on both sides; new connections work', async () => {
    const { client, peer } = await connected();
    expect(proxy.reset()).toBe(1);
    await waitUntil('both sides reset', async () => client.events.includes('close') && peer.events.includes('close'), 2000, 5);
    expect(client.events).toContain('error:ECONNRESET');
    expect(peer.events).toContain('error:ECONNRESET');
    expect(proxy.stats()).toMatchObject({ connections: 0, resets: 1 });
    const second = await connect();
    second.socket.write('again');
    await waitUntil('a new connection passes', async () => serverPeers[1]?.received() === 'again', 2000, 5);
  });
});
