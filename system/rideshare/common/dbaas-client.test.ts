import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DbaasClient } from './dbaas-client';
import { LsnTracker } from './lsn';

/** A stand-in orchestrator on loopback that answers each db/write with the next of `statuses`, recording the bodies. */
async function fakeOrchestrator(statuses: number[]) {
  const bodies: Array<Record<string, unknown>> = [];
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      const status = statuses[bodies.length - 1] ?? 500;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status < 300 ? { lsn: 7, changes: 1, insertedId: 3 } : { error: { code: 'timeout', message: 'no worker answered' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const ride = { op: 'insert', table: 'rides', values: { created_by: 'a', timestamp: 't', starts_at: 1, source: 1, destination: 2 } } as const;

test('a write whose outcome is unknown is sent again with the same writeId', async () => {
  const fake = await fakeOrchestrator([504, 503, 201]);
  try {
    const client = new DbaasClient({ baseUrl: fake.url, token: undefined, timeoutMs: 2000, writeAttempts: 3, lsn: new LsnTracker() });
    expect(await client.write(ride)).toEqual({ lsn: 7, changes: 1, insertedId: 3 });
    expect(fake.bodies).toHaveLength(3);
    expect(fake.bodies[0].writeId).toMatch(/^rideshare-[0-9a-f-]{36}$/);
    expect(new Set(fake.bodies.map((b) => b.writeId)).size).toBe(1);
  } finally {
    await fake.close();
  }
});

test('attempts are bounded, and a definite answer is never retried', async () => {
  const fake = await fakeOrchestrator([504, 504, 504, 201]);
  try {
    const client = new DbaasClient({ baseUrl: fake.url, token: undefined, timeoutMs: 2000, writeAttempts: 2, lsn: new LsnTracker() });
    await expect(client.write(ride)).rejects.toThrow(/did not answer in time/);
    expect(fake.bodies).toHaveLength(2);
  } finally {
    await fake.close();
  }
  const refusing = await fakeOrchestrator([409, 201]);
  try {
    const client = new DbaasClient({ baseUrl: refusing.url, token: undefined, timeoutMs: 2000, writeAttempts: 3, lsn: new LsnTracker() });
    await expect(client.write(ride)).rejects.toThrow();
    expect(refusing.bodies).toHaveLength(1);
  } finally {
    await refusing.close();
  }
});
