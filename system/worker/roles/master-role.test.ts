import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../common/config/config';
import type { SyncRecord } from '../../common/protocol/messages';
import type { WorkerInfo } from '../../common/zk/paths';
import { FakeClock } from '../../common/time/fake-clock';
import { Election, type Elected } from '../coordination/election';
import { Membership } from '../coordination/membership';
import { Replicator } from '../replication/replicator';
import { WorkerDatabase } from '../storage/database';
import { FakeBroker } from '../testing/fake-broker';
import { FakeZooKeeper, type FakeZkSession } from '../testing/fake-zookeeper';
import { EXIT, WorkerContext } from '../worker-context';
import { MasterRole } from './master-role';

/*
 * The takeover on a real SQLite database and the real election, membership, lease, replicator and write server,
 * against an in-memory ZooKeeper, an in-memory syncQ/writeQ and a clock the test moves (the lease's).
 */

const log = pino({ level: 'silent' });
const SESSION_MS = 1000;
const PID = 100;

let dir: string;
let server: FakeZooKeeper;
let session: FakeZkSession;
let broker: FakeBroker;
let clock: FakeClock;
let fatal: Array<{ reason: string; code: number }>;
let cleanup: Array<() => Promise<unknown> | void>;

const user = (name: string): SyncRecord['op'] => ({ op: 'insert', table: 'users', values: { username: name, password: 'p' } });
const rec = (lsn: number, epoch: number, writeId: string, op: SyncRecord['op'], master = 99): SyncRecord => ({ lsn, epoch, writeId, master, op });
const insertUser = (name: string) => ({ op: 'insert', table: 'users', values: { username: name, password: 'p' } });
/** The genesis marker of the old master (PID 99) in epoch `epoch`: the log's first record. */
const genesis = (epoch: number, logId = 'log-1'): SyncRecord => rec(0, epoch, `epoch-${epoch}-w9`, { op: 'epoch', logId, genesis: true });

async function until(what: string, done: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A replica: a database and a replicator following the fake syncQ from the start. */
async function replica(name: string) {
  const db = await WorkerDatabase.open(path.join(dir, `${name}.sqlite`));
  const replicator = new Replicator(db, log);
  await replicator.init();
  const follower = broker.follow(replicator.nextOffset, (r) => replicator.enqueue(r));
  cleanup.push(() => db.close(), () => follower.stop());
  const usernames = async () =>
    ((await db.tables.users.findAll({ raw: true, order: [['username', 'ASC']] })) as unknown as Array<{ username: string }>).map((r) => r.username);
  return { db, replicator, follower, usernames };
}

/** Worker w1 (the lowest PID, so the election picks it), its context, election and master role. */
async function worker(markerTimeoutMs = 2000) {
  const zk = session.client;
  const { db, replicator, follower, usernames } = await replica('w1');
  const membership = new Membership(zk, { id: 'w1', pid: PID, role: 'slave', state: 'ready', appliedLsn: 0, epoch: 0, startedAt: 0, session: session.sessionId }, 50, log);
  replicator.on('applied', (s) => membership.noteLsn(s.appliedLsn, s.epoch));
  await membership.register();
  cleanup.push(() => membership.stop());
  const context = new WorkerContext({
    id: 'w1',
    pid: PID,
    config: loadConfig({}),
    log,
    db,
    replicator,
    connection: broker.connection,
    zk,
    follower,
    membership,
    onFatal: (reason, code) => void fatal.push({ reason, code }),
  });
  const election = new Election(zk, { id: 'w1', pid: PID }, log, { waitForStartingMs: 1000, clock });
  cleanup.push(() => election.stop());
  const readsStopped: Array<{ role: string | undefined; streamLength: number }> = [];
  const master = new MasterRole({
    context,
    election,
    stopServingReads: async () => void readsStopped.push({ role: me()?.role, streamLength: broker.stream.length }),
    markerTimeoutMs,
    clock,
  });
  cleanup.push(() => master.stop());
  const elected = new Promise<Elected>((resolve) => election.once('elected', resolve));
  election.start();
  return { replicator, usernames, master, elected, readsStopped };
}

const me = () => server.data<WorkerInfo>('/workers/w1');
const replyTo = (writeId: string) => broker.replies.find((r) => r.correlationId === writeId)?.body;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'master-role-'));
  server = new FakeZooKeeper();
  session = server.connect(SESSION_MS);
  broker = new FakeBroker();
  clock = new FakeClock();
  fatal = [];
  cleanup = [];
});

afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('takeover: take /master, raise the epoch, mark the log, catch up to the marker, seal, then serve writes', async () => {
  // The old master (epoch 3) committed two writes; this worker has not received them yet.
  server.create('/epoch', { epoch: 3 }, undefined);
  broker.delivering = false;
  server.create('/log', { logId: 'log-1' }, undefined);
  broker.preload(genesis(3), rec(1, 3, 'a', user('alice')), rec(2, 3, 'b', user('bob')));
  const before = server.changes.length;
  const w1 = await worker();
  const other = await replica('w2'); // another replica, following the same log

  const elected = await w1.elected;
  expect(elected.epoch).toBe(4);
  expect(server.data('/master')).toEqual({ id: 'w1', pid: PID, epoch: 4 });
  expect(server.nodes.get('/master')?.owner).toBe(session.sessionId);
  expect(server.changes.slice(before).filter((c) => /master|epoch/.test(c))).toEqual(['create /master', 'setData /epoch', 'setData /master']);

  const takeover = w1.master.takeOver(elected);
  await until('the epoch marker', () => broker.stream.length === 4);
  expect(w1.readsStopped).toEqual([{ role: 'master', streamLength: 3 }]);
  // The log is ZooKeeper's log-1: the marker names it and is no genesis.
  expect(broker.stream[3]).toMatchObject({ epoch: 4, writeId: 'epoch-4-w1', master: PID, op: { op: 'epoch', logId: 'log-1' } });
  expect(broker.stream[3].op).not.toHaveProperty('genesis');
  // Not caught up to its marker yet: no writes taken, not ready.
  await new Promise((r) => setTimeout(r, 50));
  expect(broker.consuming('writeQ')).toBe(false);
  expect(me()).toMatchObject({ role: 'master', state: 'electing', epoch: 4 });

  broker.resume();
  await takeover;
  expect(await w1.usernames()).toEqual(['alice', 'bob']);
  expect(w1.replicator.current).toMatchObject({ appliedLsn: 2, epoch: 4 });
  expect(broker.consuming('writeQ')).toBe(true);
  await until('state ready', () => me()?.state === 'ready');
  expect(me()).toMatchObject({ role: 'master', epoch: 4, appliedLsn: 2 });

  // Sealed: the deposed master's late record (after the marker) is not applied here, nor by any replica.
  broker.preload(rec(3, 3, 'late', user('ghost'), 99));
  broker.publishWrite('w-1', insertUser('carol'));
  await until('the reply', () => replyTo('w-1') !== undefined);
  expect(replyTo('w-1')).toMatchObject({ ok: true, worker: PID, lsn: 3, changes: 1 });
  expect(broker.acked).toEqual(['w-1']);
  expect(broker.stream.at(-1)).toMatchObject({ lsn: 3, epoch: 4, writeId: 'w-1', master: PID });
  expect(await w1.usernames()).toEqual(['alice', 'bob', 'carol']);
  await until('the other replica', () => other.replicator.current.appliedLsn === 3);
  expect(await other.usernames()).toEqual(['alice', 'bob', 'carol']);
  expect(fatal).toEqual([]);
});

test('a worker that joins while a master holds /master does not contend, whatever its PID', async () => {
  const old = server.connect(SESSION_MS);
  server.create('/master', { id: 'w0', pid: 500, epoch: 1 }, old.sessionId);
  const w1 = await worker();
  let elected = false;
  void w1.elected.then(() => (elected = true));
  await new Promise((r) => setTimeout(r, 50));
  expect(elected).toBe(false);
  expect(server.data('/master')).toEqual({ id: 'w0', pid: 500, epoch: 1 });

  // The master's session ends: /master goes, the watch fires, the lowest live PID takes it.
  server.expire(old);
  expect((await w1.elected).epoch).toBe(1);
  expect(server.data('/master')).toEqual({ id: 'w1', pid: PID, epoch: 1 });
});

test('stale epoch: when the log is ahead of ZooKeeper, the epoch is raised above it and the log marked again', async () => {
  // ZooKeeper's data was reset (no /epoch, no /log) but syncQ holds epoch 7 of log-1.
  broker.preload(genesis(7), rec(1, 7, 'a', user('alice')));
  const w1 = await worker();
  const elected = await w1.elected;
  expect(elected.epoch).toBe(1);
  await w1.master.takeOver(elected);
  expect(broker.stream.filter((r) => r.op.op === 'epoch' && r.master === PID).map((r) => r.writeId)).toEqual(['epoch-1-w1', 'epoch-8-w1']);
  expect(server.data('/epoch')).toEqual({ epoch: 8 });
  expect(server.data('/master')).toEqual({ id: 'w1', pid: PID, epoch: 8 });
  // The log's id is read from the log and recorded again.
  expect(server.data('/log')).toEqual({ logId: 'log-1' });
  await until('state ready', () => me()?.state === 'ready');
  expect(me()).toMatchObject({ role: 'master', epoch: 8 });

  broker.publishWrite('w-1', insertUser('carol'));
  await until('the reply', () => replyTo('w-1') !== undefined);
  expect(broker.stream.at(-1)).toMatchObject({ lsn: 2, epoch: 8, writeId: 'w-1' });
});

test('lost /master: when /master is gone as the takeover raises the epoch, the takeover fails and takes no writes', async () => {
  broker.preload(genesis(7), rec(1, 7, 'a', user('alice')));
  const w1 = await worker();
  const elected = await w1.elected;
  // The node is removed under us (as the orchestrator does for a worker it saw exit).
  server.remove('/master');
  await expect(w1.master.takeOver(elected)).rejects.toThrow(/NO_NODE/);
  expect(fatal).toEqual([{ reason: expect.stringMatching(/no longer the owner of \/master/), code: EXIT.fenced }]);
  expect(broker.consuming('writeQ')).toBe(false);
  expect(me()?.state).toBe('electing');
});

test('a marker that never comes back from syncQ fails the takeover', async () => {
  broker.delivering = false;
  const w1 = await worker(200);
  await expect(w1.master.takeOver(await w1.elected)).rejects.toThrow('did not see its own epoch marker in syncQ');
  expect(broker.consuming('writeQ')).toBe(false);
});

test('session loss before a write: once the lease lapses the write is neither logged nor answered, and the master stops', async () => {
  const w1 = await worker();
  await w1.master.takeOver(await w1.elected);
  const logged = broker.stream.length;
  // ZooKeeper stops answering; 80% of the session timeout later the session may have expired.
  session.cutOff = true;
  clock.advance(SESSION_MS * 0.8);
  broker.publishWrite('w-1', insertUser('carol'));
  await until('the fatal stop', () => fatal.length > 0);
  expect(fatal).toEqual([{ reason: expect.stringMatching(/lease lapsed before the write/), code: EXIT.fenced }]);
  expect(broker.stream.length).toBe(logged);
  expect(broker.replies).toEqual([]);
  expect(broker.acked).toEqual([]);
  expect(await w1.usernames()).toEqual([]);
});

test('session loss during a write: a record appended after the lease lapsed is not answered, and the master stops', async () => {
  const w1 = await worker();
  await w1.master.takeOver(await w1.elected);
  broker.beforeConfirm = () => {
    session.cutOff = true;
    clock.advance(SESSION_MS);
  };
  broker.publishWrite('w-1', insertUser('carol'));
  await until('the fatal stop', () => fatal.length > 0);
  expect(fatal).toEqual([{ reason: expect.stringMatching(/lease lapsed while the writes were in flight/), code: EXIT.fenced }]);
  expect(broker.stream.at(-1)).toMatchObject({ writeId: 'w-1' });
  expect(broker.replies).toEqual([]);
  expect(broker.acked).toEqual([]);
  // Not committed locally either: the next master's writeId check decides, from the log.
  expect(await w1.usernames()).toEqual([]);
});

/** A master that took over an empty log (a new system) and is ready. */
async function readyMaster() {
  const w1 = await worker();
  await w1.master.takeOver(await w1.elected);
  return w1;
}

test('a new system: the first master writes the genesis marker, then records the log id in ZooKeeper', async () => {
  const w1 = await readyMaster();
  expect(broker.stream).toHaveLength(1);
  expect(broker.stream[0]).toMatchObject({ lsn: 0, epoch: 1, master: PID, op: { op: 'epoch', genesis: true } });
  const logId = (broker.stream[0].op as { logId: string }).logId;
  expect(server.data('/log')).toEqual({ logId });
  expect(w1.replicator.current).toMatchObject({ logId, epochMaster: PID, epoch: 1 });
});

test('deleted and recreated syncQ: a master that ZooKeeper says has a log refuses an empty syncQ', async () => {
  server.create('/log', { logId: 'log-1' }, undefined);
  const w1 = await worker();
  await expect(w1.master.takeOver(await w1.elected)).rejects.toThrow(/replication stopped/);
  // Its marker is the only record: no genesis, so nobody (itself included) rebuilds an empty database from it.
  expect(broker.stream).toEqual([expect.objectContaining({ lsn: 0, op: { op: 'epoch', logId: 'log-1' } })]);
  expect(broker.consuming('writeQ')).toBe(false);
});

test('a write is answered only once its record has been read back from syncQ', async () => {
  const w1 = await readyMaster();
  broker.delivering = false;
  broker.publishWrite('w-1', insertUser('carol'));
  await until('the append', () => broker.stream.length === 2);
  await new Promise((r) => setTimeout(r, 50));
  // Confirmed by the broker, but not yet read back: not answered, not committed.
  expect(replyTo('w-1')).toBeUndefined();
  broker.resume();
  await until('the reply', () => replyTo('w-1') !== undefined);
  expect(replyTo('w-1')).toMatchObject({ ok: true, lsn: 1 });
  expect(await w1.usernames()).toEqual(['carol']);
});

test('a forged record in the master\'s epoch: the master stops and does not answer the write behind it', async () => {
  const w1 = await readyMaster();
  broker.delivering = false;
  // Someone else appends a record that looks like the master's, LSN + 1000 (the review's forgery).
  broker.preload(rec(1001, 1, 'forged', user('mallory'), PID));
  broker.publishWrite('w-1', insertUser('carol'));
  await until('the append', () => broker.stream.length === 3);
  broker.resume();
  await until('the fatal stop', () => fatal.length > 0);
  expect(fatal[0]).toEqual({ reason: expect.stringMatching(/syncQ offset 1: a record this master did not write \(lsn=1001/), code: EXIT.failed });
  await new Promise((r) => setTimeout(r, 20));
  expect(broker.replies).toEqual([]);
  expect(broker.acked).toEqual([]);
  expect(await w1.usernames()).toEqual([]);
});

test('a deposed master\'s late record of an older epoch is ignored by the master, as by every replica', async () => {
  broker.preload(genesis(1));
  server.create('/log', { logId: 'log-1' }, undefined);
  server.create('/epoch', { epoch: 1 }, undefined);
  await readyMaster();
  broker.preload(rec(1, 1, 'late', user('ghost'), 99));
  broker.publishWrite('w-1', insertUser('carol'));
  await until('the reply', () => replyTo('w-1') !== undefined);
  expect(replyTo('w-1')).toMatchObject({ ok: true, lsn: 1 });
  expect(fatal).toEqual([]);
});

test('syncQ deleted: an unroutable append fails the write with 503, acknowledges nothing kept, and the master stops', async () => {
  const w1 = await readyMaster();
  broker.routable = false;
  broker.publishWrite('w-1', insertUser('carol'));
  await until('the fatal stop', () => fatal.length > 0);
  expect(replyTo('w-1')).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/replication log \(syncQ\) is gone/) } });
  expect(fatal[0].reason).toMatch(/syncQ\) is gone/);
  expect(await w1.usernames()).toEqual([]);
  expect(broker.stream).toHaveLength(1);
});

test('/master taken away after the takeover: the next renewal fails, the master stops (fenced) and answers no write', async () => {
  const w1 = await worker();
  await w1.master.takeOver(await w1.elected);
  server.remove('/master');
  await clock.advanceAsync(SESSION_MS / 5);
  expect(fatal[0]).toEqual({ reason: expect.stringMatching(/no longer the owner of \/master: \/master is gone/), code: EXIT.fenced });
  const logged = broker.stream.length;
  broker.publishWrite('w-1', insertUser('carol'));
  await new Promise((r) => setTimeout(r, 50));
  expect(broker.stream.length).toBe(logged);
  expect(broker.replies).toEqual([]);
  expect(await w1.usernames()).toEqual([]);
});
