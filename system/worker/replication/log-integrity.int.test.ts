import fs from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { QUEUES, syncRecordSchema, type SyncRecord } from '../../common/protocol/messages';
import { isAlive } from '../../common/process/pid';
import { sleep } from '../../common/time/sleep';
import { waitUntil } from '../../common/time/wait-until';
import { startTestSystem, type TestSystem } from '../../../harness/testing/test-system';
import { waitForTopology, workers, type WorkerStatus } from '../../../harness/testing/topology';
import { EMPTY_REPLICATION_STATE } from '../storage/database';
import { judge } from './log-rules';

/*
 * Acknowledged means kept (#18), on real RabbitMQ, ZooKeeper and worker processes: what an operator's mistake (syncQ
 * deleted) or any AMQP client (a forged record in syncQ) does to the promise. Both refuse to go on rather than lose a
 * write quietly: these tests check that no write is acknowledged that the log does not keep, and that every worker
 * that stops says why in its log.
 */

const CREATOR = 'driver';
const SETTINGS = { INITIAL_SLAVES: '2', RPC_TIMEOUT_MS: '3000' };

interface Outcome {
  tag: string;
  status: number;
  lsn?: number;
  message?: string;
  startedAt: number;
}

async function write(sys: TestSystem, tag: string): Promise<Outcome> {
  const startedAt = Date.now();
  const values = { created_by: CREATOR, timestamp: tag, starts_at: startedAt, source: 1, destination: 2 };
  try {
    const r = await sys.http.post('/api/v1/db/write', { op: 'insert', table: 'rides', values });
    return { tag, status: r.status, lsn: r.body?.lsn, message: r.body?.error?.message, startedAt };
  } catch (err) {
    return { tag, status: 0, message: (err as Error).message, startedAt };
  }
}

/** `clients` sequential writers until `stop()`; every outcome is kept. */
function writeLoad(sys: TestSystem, prefix: string, clients: number) {
  const outcomes: Outcome[] = [];
  let stopped = false;
  let n = 0;
  const runners = Array.from({ length: clients }, async () => {
    while (!stopped) outcomes.push(await write(sys, `${prefix}-${n++}`));
  });
  return {
    outcomes,
    stop: async () => {
      stopped = true;
      await Promise.all(runners);
      return outcomes;
    },
  };
}

/** The reason each worker gave when it stopped at once (its log's `worker stopping at once` line), by worker id. */
function stopReasons(sys: TestSystem): Map<string, string> {
  const dir = path.join(sys.config.dataDir, 'logs');
  const reasons = new Map<string, string>();
  for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (!line.includes('worker stopping at once')) continue;
      reasons.set(path.basename(file, '.log'), String(JSON.parse(line).reason));
    }
  }
  return reasons;
}

/** Everything in syncQ, read from its first record until it stays quiet for a moment. */
async function readLog(url: string): Promise<SyncRecord[]> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createChannel();
    await ch.prefetch(1000);
    const records: SyncRecord[] = [];
    let last = Date.now();
    await ch.consume(
      QUEUES.sync,
      (m) => {
        if (!m) return;
        ch.ack(m);
        last = Date.now();
        const parsed = syncRecordSchema.safeParse(JSON.parse(m.content.toString()));
        if (parsed.success) records.push(parsed.data);
      },
      { noAck: false, arguments: { 'x-stream-offset': 'first' } },
    );
    await waitUntil('syncQ to be read to its end', async () => Date.now() - last > 700, 20000, 100);
    return records;
  } finally {
    await conn.close();
  }
}

/** The part of the log a replica accepts (log-rules.ts), from the beginning to the first record that stops it. */
function acceptedPrefix(records: SyncRecord[]): { rides: Map<number, string>; stoppedBy?: string } {
  let s = { ...EMPTY_REPLICATION_STATE };
  const rides = new Map<number, string>();
  const writeIds = new Set<string>();
  for (const r of records) {
    const v = judge(s, r, writeIds.has(r.writeId));
    if (v.action === 'stop') return { rides, stoppedBy: v.why };
    if (v.action === 'mark') s = { ...s, epoch: r.epoch, logId: v.logId, epochMaster: v.epochMaster };
    if (v.action !== 'apply') continue;
    s = { ...s, appliedLsn: r.lsn };
    writeIds.add(r.writeId);
    if (r.op.op === 'insert' && r.op.table === 'rides') rides.set(r.lsn, String(r.op.values.timestamp));
  }
  return { rides };
}

async function withSystem(run: (sys: TestSystem) => Promise<void>): Promise<void> {
  const sys = await startTestSystem(SETTINGS);
  try {
    await waitForTopology(sys.http, 2);
    const r = await sys.http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: CREATOR, password: 'p' } });
    expect(r.status).toBe(201);
    await run(sys);
  } finally {
    await sys.stop();
  }
}

const ok = (o: Outcome) => o.status >= 200 && o.status < 300;

test('syncQ deleted under a write load: no write is acknowledged after it, they fail with a 5xx and a message, and the system refuses to start an empty log', async () => {
  await withSystem(async (sys) => {
    const before = await workers(sys.http);
    const load = writeLoad(sys, 'd', 3);
    await sleep(1000);
    const conn = await amqp.connect(sys.rabbitmqUrl);
    await (await conn.createChannel()).deleteQueue(QUEUES.sync);
    await conn.close();
    const deletedAt = Date.now();
    await sleep(4000);
    const outcomes = await load.stop();

    const acknowledgedBefore = outcomes.filter((o) => ok(o) && o.startedAt < deletedAt);
    const after = outcomes.filter((o) => o.startedAt > deletedAt);
    expect(acknowledgedBefore.length).toBeGreaterThan(10);
    expect(after.length).toBeGreaterThan(0);
    // The old code answered 201 with LSNs here, for records dropped by the broker.
    expect(after.filter(ok)).toEqual([]);
    for (const o of after) {
      expect(o.status).toBeGreaterThanOrEqual(500);
      expect(o.message).toEqual(expect.any(String));
    }

    // Every worker that held the log stops (the master too: it follows syncQ and its consumer is cancelled).
    await waitUntil('the workers that held the log to stop', async () => before.every((w) => !isAlive(w.pid)), 10000, 100);
    // Their replacements find syncQ re-declared empty while ZooKeeper remembers the log: they refuse to start from it,
    // and say why. No master becomes ready, so no read is ever answered from an empty database.
    await waitUntil(
      'a replacement to refuse the recreated syncQ',
      async () => [...stopReasons(sys).values()].some((r) => /syncQ does not begin with its genesis marker/.test(r)),
      30000,
      200,
    );
    const reasons = [...stopReasons(sys).values()];
    expect(reasons.some((r) => /cancelled our consumer of syncQ|syncQ\) is gone/.test(r))).toBe(true);
    const now: WorkerStatus[] = await workers(sys.http);
    expect(now.some((w) => w.role === 'master' && w.state === 'ready')).toBe(false);
    const read = await sys.http.post('/api/v1/db/read', { table: 'rides', columns: ['timestamp'] });
    expect(read.status).not.toBe(200);
  });
});

/** A forged record, built from the live master's position: what any client with the broker's credentials can append. */
const FORGERIES: Array<[string, (m: { lsn: number; epoch: number; pid: number }) => SyncRecord, RegExp]> = [
  ['a gap (LSN + 1000, the master\'s epoch and PID)', (m) => forged(m.lsn + 1000, m.epoch, m.pid), /a gap: expected LSN/],
  ['a foreign writer (the next LSN, another PID)', (m) => forged(m.lsn + 1, m.epoch, m.pid + 100000), /a foreign writer/],
  ['a replayed LSN (the last LSN again, other content)', (m) => forged(m.lsn, m.epoch, m.pid), /a replayed LSN/],
];

function forged(lsn: number, epoch: number, master: number): SyncRecord {
  const values = { ride_id: 900000 + lsn, created_by: CREATOR, timestamp: 'forged', starts_at: 1, source: 1, destination: 2 };
  return { lsn, epoch, writeId: `forged-${lsn}`, master, op: { op: 'insert', table: 'rides', values } };
}

describe.each(FORGERIES)('a forged record in syncQ: %s', (_name, forge, why) => {
  test('replicas stop and say why, the master refuses to go on, and every acknowledged write is in the part of the log replicas accept', async () => {
    await withSystem(async (sys) => {
      const outcomes: Outcome[] = [];
      for (let i = 0; i < 10; i++) outcomes.push(await write(sys, `f-${i}`));
      expect(outcomes.every(ok)).toBe(true);
      const live = await workers(sys.http);
      const master = live.find((w) => w.role === 'master')!;
      const lsn = Math.max(...outcomes.map((o) => o.lsn!));

      const conn = await amqp.connect(sys.rabbitmqUrl);
      const ch = await conn.createConfirmChannel();
      ch.sendToQueue(QUEUES.sync, Buffer.from(JSON.stringify(forge({ lsn, epoch: master.epoch!, pid: master.pid }))), { persistent: true });
      await ch.waitForConfirms();
      await conn.close();
      const forgedAt = Date.now();
      // The old code acknowledged the next write and every slave skipped it.
      for (let i = 0; i < 3; i++) outcomes.push(await write(sys, `g-${i}`));

      await waitUntil('every worker that read the forged record to stop', async () => live.every((w) => !isAlive(w.pid)), 15000, 100);
      const reasons = stopReasons(sys);
      expect(reasons.get(master.id)).toMatch(/a record this master did not write/);
      for (const slave of live.filter((w) => w.role === 'slave')) expect(reasons.get(slave.id)).toMatch(why);

      expect(outcomes.filter((o) => ok(o) && o.startedAt > forgedAt)).toEqual([]);
      // Workers rebuild from the log, so the log is what is kept: every acknowledged write is in the part a replica
      // accepts, at the LSN it was acknowledged with, and the forged record is what stops it.
      const prefix = acceptedPrefix(await readLog(sys.rabbitmqUrl));
      expect(prefix.stoppedBy).toMatch(why);
      for (const o of outcomes.filter(ok)) expect([o.tag, prefix.rides.get(o.lsn!)]).toEqual([o.tag, o.tag]);
      expect([...prefix.rides.values()]).not.toContain('forged');
    });
  });
});
