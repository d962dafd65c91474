import amqp from 'amqplib';
import { QUEUES } from '../common/protocol/messages';
import { isAlive } from '../common/process/pid';
import { sleep } from '../common/time/sleep';
import { waitUntil } from '../common/time/wait-until';
import { ReplicaInspector } from '../../harness/testing/replica-inspector';
import { startTestSystem, type TestSystem } from '../../harness/testing/test-system';
import { waitForTopology, workers } from '../../harness/testing/topology';
import { WriteStream } from '../../harness/testing/write-stream';

/*
 * High availability with real worker processes killed by real signals, on the real broker and ZooKeeper.
 */

const CREATOR = 'driver';

async function createCreator(sys: TestSystem) {
  const r = await sys.http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: CREATOR, password: 'p' } });
  expect(r.status).toBe(201);
}

/** Every replica's ride tags, and its checksum, once all replicas reached the same LSN. */
async function replicaState(sys: TestSystem, inspector: ReplicaInspector) {
  const live = await waitForTopology(sys.http, sys.config.initialSlaves);
  const lsns = async () => Promise.all(live.map(async (w) => (await inspector.checksum(w.id)).lsn));
  await waitUntil('replicas to converge on one LSN', async () => new Set(await lsns()).size === 1, 10000, 100);
  return Promise.all(
    live.map(async (w) => ({
      worker: w,
      tags: (await inspector.rows(w.id, { table: 'rides', columns: ['timestamp'] })).map((r) => String(r.timestamp)),
      checksum: await inspector.checksum(w.id),
    })),
  );
}

describe('failover', () => {
  let sys: TestSystem;
  let inspector: ReplicaInspector;

  beforeAll(async () => {
    sys = await startTestSystem({ INITIAL_SLAVES: '2' });
    inspector = await ReplicaInspector.connect(sys.rabbitmqUrl);
    await waitForTopology(sys.http, 2);
    await createCreator(sys);
  });

  afterAll(async () => {
    await inspector?.close();
    await sys?.stop();
  });

  test('after a master kill the lowest-PID slave is master, a replacement slave appears, worker/list follows', async () => {
    const before = await waitForTopology(sys.http, 2);
    const master = before.find((w) => w.role === 'master')!;
    const slaves = before.filter((w) => w.role === 'slave').sort((a, b) => a.pid - b.pid);
    const crash = await sys.http.post('/api/v1/crash/master');
    expect(crash.status).toBe(200);
    expect(crash.body).toEqual([master.pid]);
    await waitUntil('the killed master to be gone', async () => !isAlive(master.pid), 5000, 20);
    const after = await waitForTopology(sys.http, 2);
    const newMaster = after.find((w) => w.role === 'master')!;
    expect(newMaster.pid).toBe(slaves[0].pid);
    const replacement = after.find((w) => !before.some((b) => b.pid === w.pid))!;
    expect(replacement.role).toBe('slave');
    expect((await sys.http.get<number[]>('/api/v1/worker/list')).body).toEqual(
      [slaves[0].pid, slaves[1].pid, replacement.pid].sort((a, b) => a - b),
    );
    const w = await sys.http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: 'after-failover', password: 'p' } });
    expect(w.status).toBe(201);
    expect(w.body.worker).toBe(newMaster.pid);
  });

  test('after a slave kill the highest-PID slave is gone and its replacement has all the data', async () => {
    const before = await waitForTopology(sys.http, 2);
    const highest = before.filter((w) => w.role === 'slave').sort((a, b) => b.pid - a.pid)[0];
    for (let i = 0; i < 20; i++) {
      expect((await sys.http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: `s${i}`, password: 'p' } })).status).toBe(201);
    }
    const crash = await sys.http.post('/api/v1/crash/slave');
    expect(crash.body).toEqual([highest.pid]);
    const after = await waitForTopology(sys.http, 2);
    expect(after.some((w) => w.pid === highest.pid)).toBe(false);
    const replicas = await replicaState(sys, inspector);
    expect(new Set(replicas.map((r) => JSON.stringify(r.checksum.tables))).size).toBe(1);
    const replacement = after.find((w) => !before.some((b) => b.pid === w.pid))!;
    const users = await inspector.rows(replacement.id, { table: 'users', columns: ['username'], where: { username: { in: ['s0', 's19', 'after-failover'] } } });
    expect(users).toHaveLength(3);
  });

  test('crash answers 404 with a JSON error when there is no such worker', async () => {
    // Not reachable with a supervised system in steady state; the error path is exercised through an unknown role.
    expect((await sys.http.post('/api/v1/crash/nobody')).status).toBe(404);
  });
});

test('five master kills under a steady stream of writes lose no acknowledged write and apply none twice', async () => {
  const sys = await startTestSystem({ INITIAL_SLAVES: '2', RPC_TIMEOUT_MS: '8000' });
  const inspector = await ReplicaInspector.connect(sys.rabbitmqUrl);
  try {
    await waitForTopology(sys.http, 2);
    await createCreator(sys);
    const stream = new WriteStream(sys.http, CREATOR, { clients: 4, maxWrites: 20000, prefix: 'k' });
    stream.start();
    const masters: number[] = [];
    for (let kill = 0; kill < 5; kill++) {
      await sleep(700);
      const crash = await sys.http.post<number[]>('/api/v1/crash/master');
      expect(crash.status).toBe(200);
      masters.push(crash.body[0]);
      await waitForTopology(sys.http, 2);
    }
    await sleep(500);
    const outcomes = await stream.stop();
    const acked = stream.acknowledged;
    expect(acked.length).toBeGreaterThan(50);
    expect(new Set(masters).size).toBe(5);
    // Every outcome is known: failover is well within the RPC timeout, so nothing should be left in doubt.
    expect(stream.unknown).toEqual([]);
    expect(outcomes.filter((o) => o.status !== 201)).toEqual([]);
    const replicas = await replicaState(sys, inspector);
    for (const r of replicas) {
      const counts = new Map<string, number>();
      for (const t of r.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      expect([...counts.keys()].sort()).toEqual([...acked].sort());
    }
    expect(new Set(replicas.map((r) => JSON.stringify(r.checksum.tables))).size).toBe(1);
  } finally {
    await inspector.close();
    await sys.stop();
  }
});

test('a master paused past its session timeout and resumed takes no write after the new election; stale records are ignored', async () => {
  const sys = await startTestSystem({ INITIAL_SLAVES: '2', KILL_LOST_WORKERS: 'false', RPC_TIMEOUT_MS: '8000' });
  const inspector = await ReplicaInspector.connect(sys.rabbitmqUrl);
  try {
    const before = await waitForTopology(sys.http, 2);
    await createCreator(sys);
    const old = before.find((w) => w.role === 'master')!;
    const stream = new WriteStream(sys.http, CREATOR, { clients: 3, maxWrites: 20000, prefix: 'p' });
    stream.start();
    await sleep(300);
    process.kill(old.pid, 'SIGSTOP');
    const pausedAt = Date.now();
    let electedAt = 0;
    await waitUntil(
      'a new master while the old one is paused',
      async () => {
        const ws = await workers(sys.http);
        const m = ws.find((w) => w.role === 'master' && w.state === 'ready' && w.pid !== old.pid);
        if (m) electedAt = Date.now();
        return m !== undefined;
      },
      15000,
      50,
    );
    await sleep(500);
    process.kill(old.pid, 'SIGCONT');
    // Resumed, it finds its session expired and its lease lapsed: it must stop without answering anything.
    await waitUntil('the deposed master to exit', async () => !isAlive(old.pid), 10000, 50);
    await sleep(500);
    const outcomes = await stream.stop();
    expect(electedAt - pausedAt).toBeGreaterThan(0);
    // A write the old master had confirmed in syncQ before the pause may be answered late, after the resume; that
    // one is in the log before the new epoch's marker and must be on every replica (checked below). What must never
    // happen is the old master taking a write that was sent after the new master was elected.
    const lateAcks = outcomes.filter((o) => o.worker === old.pid && o.startedAt > electedAt);
    expect(lateAcks).toEqual([]);

    // A record of an older epoch, as a deposed master would append it, is ignored by every replica.
    const state = await replicaState(sys, inspector);
    const conn = await amqp.connect(sys.rabbitmqUrl);
    const ch = await conn.createConfirmChannel();
    const stale = {
      lsn: state[0].checksum.lsn + 1,
      epoch: 1,
      writeId: 'stale-write',
      master: old.pid,
      op: { op: 'insert', table: 'users', values: { username: 'ghost', password: 'p' } },
    };
    ch.sendToQueue(QUEUES.sync, Buffer.from(JSON.stringify(stale)), { persistent: true });
    await ch.waitForConfirms();
    await conn.close();
    await sleep(500);
    const write = await sys.http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: 'fresh', password: 'p' } });
    expect(write.status).toBe(201);
    const replicas = await replicaState(sys, inspector);
    for (const r of replicas) {
      expect(await inspector.rows(r.worker.id, { table: 'users', where: { username: 'ghost' } })).toEqual([]);
      expect([...r.tags].sort()).toEqual([...stream.acknowledged].sort());
    }
    expect(new Set(replicas.map((r) => JSON.stringify(r.checksum.tables))).size).toBe(1);
  } finally {
    await inspector.close();
    await sys.stop();
  }
});


test('queues deleted under the system: workers whose consumer the broker cancelled are replaced, the orchestrator reconnects, service resumes', async () => {
  const sys = await startTestSystem({ INITIAL_SLAVES: '2' });
  try {
    const before = await waitForTopology(sys.http, 2);
    await createCreator(sys);
    const conn = await amqp.connect(sys.rabbitmqUrl);
    const ch = await conn.createChannel();
    // readQ is consumed by the slaves, writeQ by the master: both lose their consumer, none can go on serving.
    await ch.deleteQueue(QUEUES.read);
    await ch.deleteQueue(QUEUES.write);
    // responseQ is the orchestrator's: its client starts over on a new connection.
    await ch.deleteQueue(QUEUES.response);
    await conn.close();
    await waitUntil('every worker replaced', async () => (await workers(sys.http)).every((w) => !before.some((b) => b.pid === w.pid)), 30000);
    await waitForTopology(sys.http, 2);
    for (const b of before) expect(isAlive(b.pid)).toBe(false);
    // The new workers declared the queues again; the orchestrator's client reaches them.
    const write = await sys.http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: 'after-delete', password: 'p' } });
    expect(write.status).toBe(201);
    const read = await sys.http.post('/api/v1/db/read', { table: 'users', where: { username: 'after-delete' }, minLsn: write.body.lsn });
    expect(read.status).toBe(200);
    expect(read.body.rows).toHaveLength(1);
  } finally {
    await sys.stop();
  }
});
