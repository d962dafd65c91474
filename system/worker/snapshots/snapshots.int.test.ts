import fs from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { loadConfig } from '../../common/config/config';
import { createLogger } from '../../common/logging/logger';
import { QUEUES } from '../../common/protocol/messages';
import { localServices } from '../../common/services/ensure-services';
import { waitUntil } from '../../common/time/wait-until';
import { ZK_PATHS } from '../../common/zk/paths';
import { ZkClient } from '../../common/zk/zk-client';
import { Orchestrator } from '../../orchestrator/orchestrator';
import { HttpClient } from '../../../harness/testing/http-client';
import { ReplicaInspector } from '../../../harness/testing/replica-inspector';
import { waitForTopology, workers } from '../../../harness/testing/topology';
import type { WorkerView } from '../../common/protocol/worker-view';
import { readLogId } from '../replication/log-identity';
import { listSnapshots, type SnapshotInfo } from './snapshot-index';

/*
 * Snapshots and the bounded log (#14) on a real broker, ZooKeeper and worker processes: a log small enough that
 * retention drops its beginning, replicas that can then only be built from a snapshot, a corrupt and a vanished
 * snapshot that must be refused, and a whole system stopped and started again over its old log.
 */

const ROOT = path.resolve(__dirname, '../../..');
const WRITES = 1500;

/** A deployment of this test's own (vhost, ZooKeeper root, data directory), which a second orchestrator finds again. */
async function deployment(name: string, overrides: Record<string, string> = {}) {
  const suite = `${name}-${process.pid}`;
  const { rabbitmq, zookeeper } = localServices(loadConfig(), createLogger('test', 'warn'));
  await rabbitmq.addVhost(suite);
  const dataDir = path.join(ROOT, '.data', 'test', suite);
  const config = loadConfig({
    ...process.env,
    ORCHESTRATOR_PORT: '0',
    ZK_ROOT: `/test/${suite}`,
    DATA_DIR: dataDir,
    ZK_SESSION_TIMEOUT_MS: '1000',
    INITIAL_SLAVES: '1',
    MAX_SLAVES: '3',
    SCALE_INTERVAL_MS: '600000',
    // About 600 estimated bytes a record: the master may run ~400 records past the newest snapshot, slaves snapshot
    // every 300, and retention (whole 50 kB segments) drops the log's beginning after some 700 records.
    SYNC_MAX_BYTES: '400000',
    SYNC_SEGMENT_BYTES: '50000',
    SNAPSHOT_EVERY_RECORDS: '300',
    SNAPSHOT_CHUNK_BYTES: '16384',
    SNAPSHOT_FETCH_TIMEOUT_MS: '3000',
    LOG_LEVEL: 'warn',
    ...overrides,
  });
  const urls = { orchestrator: rabbitmq.url(suite, 'orchestrator'), worker: rabbitmq.url(suite, 'worker'), admin: rabbitmq.url(suite, 'admin') };
  const zookeeperConnect = process.env.TEST_ZOOKEEPER_CONNECT ?? `127.0.0.1:${config.localZookeeperPort}`;
  const zookeeperAuth = zookeeper.auth();
  const zk = new ZkClient({ connect: zookeeperConnect, root: config.zkRoot, sessionTimeoutMs: 4000, auth: zookeeperAuth });
  await zk.connect();
  const start = async (): Promise<{ orchestrator: Orchestrator; http: HttpClient }> => {
    const orchestrator = new Orchestrator({ config, rabbitmqUrl: urls.orchestrator, rabbitmqWorkerUrl: urls.worker, zookeeperConnect, zookeeperAuth, log: createLogger('test', 'warn') });
    await orchestrator.start();
    return { orchestrator, http: new HttpClient(orchestrator.url, config.token) };
  };
  return {
    config,
    urls,
    zk,
    start,
    cleanup: async () => {
      zk.close();
      await rabbitmq.deleteVhost(suite);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function writeUsers(http: HttpClient, prefix: string, count: number, parallel = 8): Promise<number> {
  let next = 0;
  let acknowledged = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const n = next++;
        const r = await http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: `${prefix}-${n}`, password: 'p'.repeat(40) } });
        if (r.status !== 201) throw new Error(`write ${n}: ${r.status} ${JSON.stringify(r.body)}`);
        acknowledged++;
      }
    }),
  );
  return acknowledged;
}

/** The first offset syncQ still holds (retention drops whole segments from its beginning). */
async function firstSyncOffset(adminUrl: string): Promise<number> {
  const connection = await amqp.connect(adminUrl);
  try {
    const channel = await connection.createChannel();
    await channel.prefetch(1);
    return await new Promise<number>((resolve) => {
      void channel.consume(QUEUES.sync, (msg) => msg && resolve(Number(msg.properties.headers?.['x-stream-offset'])), { noAck: false, arguments: { 'x-stream-offset': 'first' } });
    });
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** Every worker's table checksums, which must all equal the master's. */
async function expectConverged(adminUrl: string, list: WorkerView[], rows: number): Promise<void> {
  const inspector = await ReplicaInspector.connect(adminUrl);
  try {
    const master = list.find((w) => w.role === 'master')!;
    const lsn = master.appliedLsn ?? 0;
    // Each replica answers once it has applied what the master had.
    const sums = await Promise.all(
      list.map(async (w) => {
        let sum = await inspector.checksum(w.id);
        await waitUntil(`${w.id} to reach LSN ${lsn}`, async () => (sum = await inspector.checksum(w.id)).lsn >= lsn, 20000, 100);
        return sum.tables;
      }),
    );
    const users = (sums[0] as Array<{ table: string; rows: number }>).find((t) => t.table === 'users');
    expect(users?.rows).toBe(rows);
    for (const s of sums) expect(s).toEqual(sums[0]);
  } finally {
    await inspector.close();
  }
}

let d: Awaited<ReturnType<typeof deployment>>;
let running: { orchestrator: Orchestrator; http: HttpClient } | undefined;
let acknowledged = 0;

beforeAll(async () => {
  d = await deployment('snapshots');
  running = await d.start();
});

afterAll(async () => {
  await running?.orchestrator.stop();
  await d?.cleanup();
});

test('after retention dropped the start of the log, a new replica starts from a snapshot and equals the master', async () => {
  const { http } = running!;
  acknowledged += await writeUsers(http, 'a', WRITES);
  // The slave snapshots every 300 records; wait for one past the point where retention began to drop records.
  let snapshots: SnapshotInfo[] = [];
  await waitUntil('a snapshot past LSN 1000', async () => ((snapshots = await listSnapshots(d.zk, (await readLogId(d.zk))!))[0]?.lsn ?? 0) >= 1000, 30000, 200);
  // Old ones are forgotten (a listing may fall between a new entry and the pruning of the oldest).
  expect(snapshots.length).toBeLessThanOrEqual(d.config.snapshotKeep + 1);
  // The fault took effect: the log no longer begins at its genesis marker.
  expect(await firstSyncOffset(d.urls.admin)).toBeGreaterThan(0);

  await running!.orchestrator.supervisor.setWantedSlaves(2);
  const list = await waitForTopology(http, 2, 60000);
  const fresh = list.filter((w) => w.role === 'slave' && w.seededLsn !== null);
  expect(fresh.length).toBeGreaterThanOrEqual(1);
  await expectConverged(d.urls.admin, list, acknowledged);
});

test('a corrupt snapshot and one dropped by retention are refused; the replica starts from the newest good one', async () => {
  const good = (await listSnapshots(d.zk, (await readLogId(d.zk))!))[0];
  // Newer entries that lie: the right chunks with another checksum, and chunks no longer in the stream.
  const corrupt: SnapshotInfo = { ...good, lsn: good.lsn + 2, sha256: '0'.repeat(64) };
  const vanished: SnapshotInfo = { ...good, id: 'gone', lsn: good.lsn + 1, streamOffset: 0 };
  for (const s of [corrupt, vanished]) await d.zk.create(`${ZK_PATHS.snapshots}/s-${String(s.lsn).padStart(15, '0')}-${s.id}`, s, 'persistent');
  // No new snapshot meanwhile: the test's own entries are then the newest.
  const before = (await workers(running!.http)).map((w) => w.id);
  await running!.orchestrator.supervisor.setWantedSlaves(3);
  const list = await waitForTopology(running!.http, 3, 60000);
  const added = list.find((w) => !before.includes(w.id))!;
  expect(added.seededLsn).toBe(good.lsn);
  await expectConverged(d.urls.admin, list, acknowledged);
});

test('a system stopped and started again comes back from a snapshot with every acknowledged write', async () => {
  acknowledged += await writeUsers(running!.http, 'b', 200);
  await running!.orchestrator.stop();
  running = undefined;
  running = await d.start();
  const list = await waitForTopology(running.http, 1, 60000);
  const master = list.find((w) => w.role === 'master')!;
  expect(master.seededLsn).not.toBeNull();
  await expectConverged(d.urls.admin, list, acknowledged);
  // And it takes writes again.
  acknowledged += await writeUsers(running.http, 'c', 10);
  await expectConverged(d.urls.admin, await waitForTopology(running.http, 1, 60000), acknowledged);
});

test('with no snapshot taken, the master refuses writes (503) before retention could drop a record no snapshot covers', async () => {
  const bare = await deployment('no-snapshots', { SNAPSHOT_EVERY_RECORDS: '0' });
  const system = await bare.start();
  try {
    const statuses = new Map<number, number>();
    let firstRefusal = '';
    let accepted = 0;
    for (let n = 0; n < 900; n++) {
      const r = await system.http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: `n-${n}`, password: 'p'.repeat(40) } });
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 201) accepted++;
      else if (!firstRefusal) firstRefusal = String(r.body?.error?.message);
    }
    // About 250 kB of budget at some 600 estimated bytes a record: a few hundred writes, then only refusals.
    expect(accepted).toBeGreaterThan(200);
    expect(accepted).toBeLessThan(600);
    expect(statuses.get(503)).toBe(900 - accepted);
    expect(firstRefusal).toContain('the replication log is full');
    // Retention dropped nothing: the log still begins at its genesis, and every accepted write is on every replica.
    expect(await firstSyncOffset(bare.urls.admin)).toBe(0);
    await expectConverged(bare.urls.admin, await waitForTopology(system.http, 1, 60000), accepted);
  } finally {
    await system.orchestrator.stop();
    await bare.cleanup();
  }
});

test('syncQ deleted once snapshots exist: replicas seeded from a snapshot refuse the new, empty syncQ; nothing more is acknowledged', async () => {
  const { http } = running!;
  acknowledged += await writeUsers(http, 'd', 400);
  const logId = (await readLogId(d.zk))!;
  await waitUntil('a snapshot', async () => (await listSnapshots(d.zk, logId)).length > 0, 30000, 200);
  const connection = await amqp.connect(d.urls.admin);
  try {
    const channel = await connection.createChannel();
    await channel.deleteQueue(QUEUES.sync);
  } finally {
    await connection.close().catch(() => undefined);
  }
  // Replacement workers start from the newest snapshot and follow syncQ from after it; the queue they find was declared
  // again, empty, and its offsets start over. Whether the broker hands such a consumer the new stream's first record
  // (offset 0: the replicator stops, offsets went back) or waits for the offset it asked for (the takeover then sees no
  // marker and gives up), no new master may take writes.
  const deadline = Date.now() + 20000;
  const afterDelete: number[] = [];
  while (Date.now() < deadline) {
    const r = await http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: `after-delete-${Date.now()}`, password: 'p'.repeat(40) } });
    if (r.status === 201) afterDelete.push(r.body.lsn);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(afterDelete).toEqual([]);
  expect((await workers(http)).some((w) => w.role === 'master' && w.state === 'ready')).toBe(false);
});
