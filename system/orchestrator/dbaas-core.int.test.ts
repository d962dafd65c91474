import amqp from 'amqplib';
import { QUEUES } from '../common/protocol/messages';
import { sleep } from '../common/time/sleep';
import { waitUntil } from '../common/time/wait-until';
import { startTestSystem, type TestSystem } from '../../harness/testing/test-system';

/*
 * The DBaaS core end to end on the real broker, ZooKeeper and worker processes: writes, replication to every slave,
 * round-robin reads, read-your-writes, refusal of anything that is not a structured request, poison messages, clear.
 */

let sys: TestSystem;
const user = (username: string) => ({ op: 'insert', table: 'users', values: { username, password: 'a'.repeat(40) } });

async function slaves() {
  const workers = (await sys.http.get<Array<{ id: string; pid: number; role: string; state: string }>>('/api/v1/workers')).body;
  return workers.filter((w) => w.role === 'slave');
}

async function checksums() {
  return (await sys.http.get<Array<{ pid: number; role: string; appliedLsn: number; tables: unknown[] }>>('/api/v1/workers/checksums')).body;
}

beforeAll(async () => {
  sys = await startTestSystem({ INITIAL_SLAVES: '2', MIN_LSN_WAIT_MS: '1500' });
  await waitUntil('two ready slaves', async () => (await slaves()).filter((s) => s.state === 'ready').length === 2, 30000);
});

afterAll(async () => {
  await sys?.stop();
});

test('worker/list and workers show one master and two slaves with sorted PIDs', async () => {
  const list = await sys.http.get<number[]>('/api/v1/worker/list');
  expect(list.status).toBe(200);
  expect(list.body).toHaveLength(3);
  expect([...list.body].sort((a, b) => a - b)).toEqual(list.body);
  const workers = (await sys.http.get<Array<{ pid: number; role: string }>>('/api/v1/workers')).body;
  expect(workers.filter((w) => w.role === 'master')).toHaveLength(1);
  expect(workers.map((w) => w.pid)).toEqual(list.body);
});

test('a write answered with an LSN is readable from every slave after a bounded wait', async () => {
  const w = await sys.http.post('/api/v1/db/write', user('everywhere'));
  expect(w.status).toBe(201);
  expect(w.body.lsn).toBeGreaterThan(0);
  for (const s of await slaves()) {
    await waitUntil(
      `slave ${s.pid} to have the row`,
      async () => {
        const sums = await checksums();
        return sums.some((c) => c.pid === s.pid && c.appliedLsn >= w.body.lsn);
      },
      3000,
      50,
    );
  }
  const sums = await checksums();
  expect(new Set(sums.map((c) => JSON.stringify(c.tables))).size).toBe(1);
});

test('reads alternate across the two slaves', async () => {
  const served: number[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await sys.http.post('/api/v1/db/read', { table: 'users' });
    expect(r.status).toBe(200);
    served.push(r.body.worker);
  }
  const pids = (await slaves()).map((s) => s.pid).sort();
  expect([...new Set(served)].sort()).toEqual(pids);
  // Round robin: with one client in sequence, no slave answers twice in a row.
  for (let i = 1; i < served.length; i++) expect(served[i]).not.toBe(served[i - 1]);
});

test('a read with minLsn sees the write at once; an LSN from the future is refused at once (400)', async () => {
  for (let i = 0; i < 5; i++) {
    const w = await sys.http.post('/api/v1/db/write', user(`ryw-${i}`));
    expect(w.status).toBe(201);
    const r = await sys.http.post('/api/v1/db/read', { table: 'users', where: { username: `ryw-${i}` }, minLsn: w.body.lsn });
    expect(r.status).toBe(200);
    expect(r.body.rows).toEqual([{ username: `ryw-${i}`, password: 'a'.repeat(40) }]);
  }
  // No write was acknowledged with it: a slave would wait MIN_LSN_WAIT_MS for nothing (read-bounds.int.test.ts).
  const future = await sys.http.post('/api/v1/db/read', { table: 'users', minLsn: 1_000_000 });
  expect(future.status).toBe(400);
  expect(future.body.error.message).toMatch(/minLsn 1000000 is beyond the newest acknowledged write/);
});

test('a duplicate key is a 409 and changes nothing', async () => {
  await sys.http.post('/api/v1/db/write', user('dup'));
  const again = await sys.http.post('/api/v1/db/write', user('dup'));
  expect(again.status).toBe(409);
  expect(again.body.error.message).toMatch(/already exists/);
});

test('concurrent writes commit in groups with the outcomes of one at a time: conflicts refused alone, retries answered once', async () => {
  // 30 writes at once reach the master together: distinct users, one username twice, and one writeId sent three times.
  const writes = [
    ...Array.from({ length: 25 }, (_, i) => sys.http.post('/api/v1/db/write', user(`group-${i}`))),
    sys.http.post('/api/v1/db/write', user('group-3')),
    ...Array.from({ length: 3 }, () => sys.http.post('/api/v1/db/write', { ...user('group-retried'), writeId: 'group-retry-1' })),
    sys.http.post('/api/v1/db/write', { op: 'insert', table: 'ride_members', values: { ride_id: 999999, username: 'group-1' } }),
  ];
  const answers = await Promise.all(writes);
  const created = answers.filter((a) => a.status === 201);
  expect(created).toHaveLength(28);
  expect(answers.filter((a) => a.status === 409)).toHaveLength(2);
  // Every acknowledged new write has its own LSN; the retried writeId got one LSN, answered three times.
  const retried = answers.slice(26, 29).map((a) => a.body.lsn);
  expect(new Set(retried).size).toBe(1);
  const lsns = created.map((a) => a.body.lsn);
  expect(new Set(lsns).size).toBe(26);
  const read = await sys.http.post('/api/v1/db/read', { table: 'users', columns: ['username'], where: { username: { in: ['group-3', 'group-retried'] } }, minLsn: Math.max(...lsns) });
  expect(read.body.rows.map((r: { username: string }) => r.username).sort()).toEqual(['group-3', 'group-retried']);
  await waitUntil('replicas equal', async () => new Set((await checksums()).map((c) => JSON.stringify(c.tables))).size === 1, 10000);
});

test('injection attempts and malformed input get 4xx and change nothing', async () => {
  await sleep(300);
  const before = await checksums();
  const attempts: Array<[string, unknown]> = [
    ['/api/v1/db/read', { table: 'users', where: '1=1' }],
    ['/api/v1/db/read', { table: 'users', where: "x' OR '1'='1" }],
    ['/api/v1/db/read', { table: 'users; DROP TABLE users', where: {} }],
    ['/api/v1/db/read', { table: 'nope' }],
    ['/api/v1/db/read', { table: 'users', columns: ['password FROM users --'] }],
    ['/api/v1/db/read', { table: 'users', where: { 'username = username OR 1': 1 } }],
    ['/api/v1/db/read', { table: 'users', where: { username: { $raw: '1=1' } } }],
    ['/api/v1/db/read', { table: 'users', where: { username: { eq: { nested: { deeper: 1 } } } } }],
    ['/api/v1/db/read', { table: 'rides', where: { ride_id: '1 OR 1=1' } }],
    ['/api/v1/db/read', { table: 'users', orderBy: [{ column: 'username; DROP TABLE users' }] }],
    ['/api/v1/db/read', { sql: 'SELECT * FROM users' }],
    ['/api/v1/db/write', { op: 'delete', table: 'users', where: '1=1' }],
    ['/api/v1/db/write', { op: 'delete', table: 'users', where: {} }],
    ['/api/v1/db/write', { op: 'update', table: 'users', values: { password: 'x' }, where: "username='dup' OR '1'='1'" }],
    ['/api/v1/db/write', { op: 'insert', table: 'users', values: { username: 'u', password: 'p', is_admin: 1 } }],
    ['/api/v1/db/write', { op: 'insert', table: 'users', values: { username: { toString: 'x' }, password: 'p' } }],
    ['/api/v1/db/write', { op: 'drop', table: 'users' }],
    ['/api/v1/db/write', 'DELETE FROM users'],
    ['/api/v1/db/write', '{"op": "insert", "table": '],
    ['/api/v1/db/write', { op: 'insert', table: 'users', values: { username: 'big', password: 'x'.repeat(200_000) } }],
  ];
  for (const [path, body] of attempts) {
    const r = await sys.http.post(path, body);
    expect({ path, body, status: r.status >= 400 && r.status < 500 }).toEqual({ path, body, status: true });
    expect(typeof r.body.error.message).toBe('string');
  }
  // As bound values, SQL fragments are just strings that match nothing.
  const literal = await sys.http.post('/api/v1/db/read', { table: 'users', where: { username: "x' OR '1'='1" } });
  expect(literal.status).toBe(200);
  expect(literal.body.rows).toEqual([]);
  expect(await checksums()).toEqual(before);
});

test('malformed messages placed directly on readQ and writeQ get an error reply, do not loop and kill no worker', async () => {
  const pidsBefore = (await sys.http.get<number[]>('/api/v1/worker/list')).body;
  const conn = await amqp.connect(sys.rabbitmqUrl);
  try {
    const ch = await conn.createChannel();
    const { queue } = await ch.assertQueue('', { exclusive: true });
    const replies: Array<{ id: string; body: { ok: boolean; error?: { code: string } } }> = [];
    await ch.consume(queue, (m) => m && replies.push({ id: m.properties.correlationId, body: JSON.parse(m.content.toString()) }), { noAck: true });
    const poison = [Buffer.from('not json at all'), Buffer.from('{"table":"users","where":"1=1"}'), Buffer.from('{"writeId":"x"}'), Buffer.alloc(0)];
    for (const [i, content] of poison.entries()) {
      ch.sendToQueue(QUEUES.read, content, { correlationId: `r${i}`, replyTo: queue });
      ch.sendToQueue(QUEUES.write, content, { correlationId: `w${i}`, replyTo: queue });
    }
    ch.sendToQueue(QUEUES.write, Buffer.from('{"no":"reply-to"}'));
    await waitUntil('error replies to every poison message', async () => replies.length >= poison.length * 2, 5000, 50);
    expect(replies.every((r) => r.body.ok === false && r.body.error?.code === 'bad_request')).toBe(true);
    await sleep(500);
    expect(replies).toHaveLength(poison.length * 2);
    for (const q of [QUEUES.read, QUEUES.write]) expect((await ch.checkQueue(q)).messageCount).toBe(0);
  } finally {
    await conn.close();
  }
  expect((await sys.http.get<number[]>('/api/v1/worker/list')).body).toEqual(pidsBefore);
  const ok = await sys.http.post('/api/v1/db/read', { table: 'users', where: { username: 'dup' } });
  expect(ok.status).toBe(200);
});

test('wrong methods and unknown paths get JSON 405 and 404', async () => {
  expect((await sys.http.get('/api/v1/db/read')).status).toBe(405);
  expect((await sys.http.request('DELETE', '/api/v1/crash/master')).status).toBe(405);
  expect((await sys.http.get('/api/v1/nothing-here')).status).toBe(404);
});

test('db/clear empties every replica', async () => {
  const c = await sys.http.post('/api/v1/db/clear');
  expect(c.status).toBe(200);
  await waitUntil(
    'every replica to apply the clear',
    async () => (await checksums()).every((s) => s.appliedLsn >= c.body.lsn && s.tables.every((t) => (t as { rows: number }).rows === 0)),
    3000,
    50,
  );
  const r = await sys.http.post('/api/v1/db/read', { table: 'users', minLsn: c.body.lsn });
  expect(r.body.rows).toEqual([]);
});

test('health and metrics answer', async () => {
  expect((await sys.http.get('/healthz')).body).toEqual({ status: 'ok', broker: 'up', zookeeper: 'up' });
  const m = await sys.http.get<string>('/metrics');
  expect(m.status).toBe(200);
  expect(m.body).toMatch(/dbaas_requests_total\{kind="read",status="200"\}/);
});
