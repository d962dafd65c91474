import net from 'node:net';
import pino from 'pino';
import { connectAmqp } from './amqp';

const log = pino({ level: 'silent' });

test('a peer that accepts the TCP connection and never answers the handshake: the attempt is given up, not awaited forever', async () => {
  const sockets: net.Socket[] = [];
  const silent = net.createServer((s) => sockets.push(s)); // reads nothing, writes nothing, never closes
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as net.AddressInfo;
  const started = Date.now();
  try {
    // Retrying for 1 s: the first attempt's handshake bound (5 s at least) decides when it gives up.
    await expect(connectAmqp(`amqp://u:p@127.0.0.1:${port}`, log, 1000, 1)).rejects.toThrow(/ETIMEDOUT/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    expect(sockets.length).toBe(1);
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
}, 20000);
