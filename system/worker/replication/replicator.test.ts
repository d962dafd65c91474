import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { SyncRecord } from '../../common/protocol/messages';
import { WorkerDatabase } from '../storage/database';
import { storedBytes } from './log-bytes';
import { Replicator } from './replicator';

/*
 * The apply rules on a real SQLite file: stream order, exactly once, fencing of deposed masters' records, and the
 * log's integrity (log-rules.ts): forged, gapped, replayed and reordered logs stop the replica with the reason.
 */

let dir: string;
let db: WorkerDatabase;
let replicator: Replicator;
let offset = 0;
/** What the fed records count for in the bounded log (log-bytes.ts). */
let fedBytes = 0;
let failures: Error[];

const LOG = 'log-1';
const M1 = 1;
const user = (name: string) => ({ op: 'insert' as const, table: 'users' as const, values: { username: name, password: 'p' } });
const rec = (lsn: number, epoch: number, writeId: string, op: SyncRecord['op'], master = M1): SyncRecord => ({ lsn, epoch, writeId, master, op });
/** The first master's marker: the log's genesis. */
const genesis = (epoch = 1, master = M1, logId = LOG) => rec(0, epoch, `epoch-${epoch}`, { op: 'epoch', logId, genesis: true }, master);
/** A later master's marker, after it had applied `lsn`. */
const marker = (lsn: number, epoch: number, master: number, logId = LOG) => rec(lsn, epoch, `epoch-${epoch}-${master}`, { op: 'epoch', logId }, master);

async function feed(...records: SyncRecord[]) {
  for (const record of records) {
    const bytes = JSON.stringify(record).length;
    fedBytes += storedBytes(bytes);
    replicator.enqueue({ offset: offset++, bytes, record });
  }
  await replicator.waitForLsn(Number.MAX_SAFE_INTEGER, 300);
}

async function usernames() {
  return (await db.tables.users.findAll({ raw: true, order: [['username', 'ASC']] })).map((r) => (r as unknown as { username: string }).username);
}

async function open() {
  db = await WorkerDatabase.open(path.join(dir, 'db.sqlite'));
  replicator = new Replicator(db, pino({ level: 'silent' }));
  replicator.on('failed', (err: Error) => failures.push(err));
  await replicator.init();
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replicator-'));
  failures = [];
  await open();
  offset = 0;
  fedBytes = 0;
});

afterEach(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('applies in order and stores LSN, offset, epoch, log id and writer with the data', async () => {
  await feed(genesis(), rec(1, 1, 'a', user('a')), rec(2, 1, 'b', user('b')));
  expect(await usernames()).toEqual(['a', 'b']);
  expect(await db.replicationState()).toEqual({ appliedLsn: 2, appliedOffset: 2, epoch: 1, logId: LOG, epochMaster: M1, logBytes: fedBytes });
  expect(failures).toEqual([]);
});

test('after an epoch marker, records of the older epoch are ignored', async () => {
  await feed(genesis(), rec(1, 1, 'a', user('a')), marker(1, 2, 7), rec(2, 1, 'late', user('ghost')), rec(2, 2, 'b', user('b'), 7));
  expect(await usernames()).toEqual(['a', 'b']);
  // Ignored records count for the log's size too: they take the broker's disk like any other.
  expect(await db.replicationState()).toEqual({ appliedLsn: 2, appliedOffset: 4, epoch: 2, logId: LOG, epochMaster: 7, logBytes: fedBytes });
  expect(failures).toEqual([]);
});

test('an invalid record is skipped but its offset counts', async () => {
  await feed(genesis());
  replicator.enqueue({ offset: offset++, bytes: 7, invalid: 'garbage' });
  await feed(rec(1, 1, 'a', user('a')));
  expect(await usernames()).toEqual(['a']);
  expect(replicator.nextOffset).toBe(3);
});

test('state survives a reopen: replay resumes after the last applied offset', async () => {
  await feed(genesis(), rec(1, 1, 'a', user('a')));
  await db.close();
  await open();
  expect(replicator.nextOffset).toBe(2);
  expect(replicator.current).toMatchObject({ appliedLsn: 1, logId: LOG, epochMaster: M1 });
});

/** Feeds a log that breaks a rule at its last record: the replica applies what came before and stops, saying why. */
async function expectStop(records: SyncRecord[], why: RegExp, applied: string[]) {
  await feed(...records);
  await new Promise((r) => setTimeout(r, 20));
  expect(failures.map((e) => e.message)).toEqual([expect.stringMatching(why)]);
  expect(failures[0].message).toMatch(`syncQ offset ${records.length - 1}:`);
  expect(await usernames()).toEqual(applied);
  // Stopped for good: what comes next is not applied either, and nothing past the bad record counts as consumed.
  await feed(rec(99, 1, 'later', user('later')));
  expect(await usernames()).toEqual(applied);
  expect((await db.replicationState()).appliedOffset).toBe(records.length - 2);
}

test('recreated syncQ after a snapshot: an offset that goes back stops the replica, however right its LSN', async () => {
  await feed(genesis(), rec(1, 1, 'a', user('a')));
  // The new stream's first record, at offset 0: a new master's marker of this very log at this replica's LSN.
  replicator.enqueue({ offset: 0, bytes: 100, record: marker(1, 2, 7) });
  await replicator.waitForLsn(Number.MAX_SAFE_INTEGER, 300);
  expect(failures.map((e) => e.message)).toEqual([expect.stringMatching(/syncQ offset 0 after this replica's offset 1 .*deleted and recreated/)]);
  expect((await db.replicationState()).appliedOffset).toBe(1);
});

test('offsets may skip forward (the broker stores entries of its own between messages)', async () => {
  await feed(genesis());
  offset = 5;
  await feed(rec(1, 1, 'a', user('a')));
  expect(failures).toEqual([]);
  expect(await usernames()).toEqual(['a']);
  expect((await db.replicationState()).appliedOffset).toBe(5);
});

test('forged: a jump of the LSN (the review: current epoch, LSN + 1000) stops the replica', async () => {
  await expectStop([genesis(), rec(1, 1, 'a', user('a')), rec(1001, 1, 'forged', user('x'))], /a gap: expected LSN 2/, ['a']);
});

test('forged: a record of the current epoch from another writer stops the replica', async () => {
  await expectStop([genesis(), rec(1, 1, 'a', user('a')), rec(2, 1, 'forged', user('x'), 666)], /a foreign writer: this epoch's marker named 1/, ['a']);
});

test('forged: a record of an epoch whose marker never came stops the replica', async () => {
  await expectStop([genesis(), rec(1, 1, 'a', user('a')), rec(2, 2, 'forged', user('x'))], /an epoch whose marker was never seen/, ['a']);
});

test('forged: a second marker of the current epoch naming another writer stops the replica', async () => {
  await expectStop([genesis(), rec(1, 1, 'a', user('a')), marker(1, 1, 666)], /a second marker of the current epoch/, ['a']);
});

test('replayed: the same LSN with other content stops the replica instead of being skipped', async () => {
  await expectStop([genesis(), rec(1, 1, 'a', user('a')), rec(2, 1, 'b', user('b')), rec(2, 1, 'c', user('c'))], /a replayed LSN: 2/, ['a', 'b']);
});

test('replayed: the same record twice stops the replica too (no master appends a record twice)', async () => {
  await expectStop([genesis(), rec(1, 1, 'a', user('a')), rec(1, 1, 'a', user('a'))], /a replayed LSN: 1/, ['a']);
});

test('replayed: a known writeId at the next LSN stops the replica', async () => {
  await expectStop([genesis(), rec(1, 1, 'a', user('a')), rec(2, 1, 'a', user('a'))], /its writeId was applied/, ['a']);
});

test('reordered: LSN 3 before LSN 2 stops the replica at 3', async () => {
  await expectStop([genesis(), rec(1, 1, 'a', user('a')), rec(3, 1, 'c', user('c')), rec(2, 1, 'b', user('b'))].slice(0, 3), /a gap: expected LSN 2/, ['a']);
});

test('a new master whose marker is ahead of this replica (it missed records) stops the replica', async () => {
  await expectStop([genesis(), rec(1, 1, 'a', user('a')), marker(5, 2, 7)], /a gap: the new master had applied LSN 5, this replica only 1/, ['a']);
});

test('recreated syncQ: a log that does not begin with its genesis stops a replica rebuilding from nothing', async () => {
  // What a master with a remembered log id appends into an empty, re-declared syncQ.
  await expectStop([marker(0, 3, 7)], /syncQ does not begin with its genesis marker/, []);
});

test('recreated syncQ: a write before any genesis stops the replica', async () => {
  await expectStop([rec(1, 1, 'a', user('a'))], /a write before the log's genesis marker/, []);
});

test('replaced syncQ: a marker of another log stops the replica', async () => {
  await expectStop([genesis(), rec(1, 1, 'a', user('a')), marker(1, 2, 7, 'log-2')], /an epoch marker of another log \(log-2\)/, ['a']);
});

test('a genesis in a log already begun is ignored (a master took syncQ for empty), and the log goes on', async () => {
  await feed(genesis(), rec(1, 1, 'a', user('a')), genesis(2, 7, 'log-2'), marker(1, 3, 7), rec(2, 3, 'b', user('b'), 7));
  expect(failures).toEqual([]);
  expect(await usernames()).toEqual(['a', 'b']);
  expect(replicator.current).toMatchObject({ appliedLsn: 2, epoch: 3, logId: LOG, epochMaster: 7 });
});

test('sealAtMarker: applies up to the master\'s own marker, then hands the rest over unapplied', async () => {
  const sealed = replicator.sealAtMarker('epoch-2-7', 1000);
  await feed(genesis(), rec(1, 1, 'a', user('a')), marker(1, 2, 7), rec(2, 2, 'b', user('b'), 7));
  expect(await sealed).toBe('sealed');
  expect(await usernames()).toEqual(['a']);
  expect(replicator.current).toMatchObject({ appliedLsn: 1, epoch: 2, epochMaster: 7 });
  const handed: number[] = [];
  replicator.handOver((item) => handed.push(item.offset));
  replicator.enqueue({ offset: 4, bytes: 1, invalid: 'x' });
  expect(handed).toEqual([3, 4]);
});

test('sealAtMarker: a marker of an older epoch than the log\'s is ignored and replication goes on', async () => {
  await feed(genesis(5));
  const outcome = replicator.sealAtMarker('epoch-2-7', 1000);
  await feed(marker(0, 2, 7));
  expect(await outcome).toBe('ignored');
  await feed(rec(1, 5, 'a', user('a')));
  expect(await usernames()).toEqual(['a']);
});

const ride = (id: number, by: string) => ({
  op: 'insert' as const,
  table: 'rides' as const,
  values: { ride_id: id, created_by: by, timestamp: `t${id}`, starts_at: id, source: 1, destination: 2 },
});

test('consecutive inserts applied together keep their keys, order and outcomes', async () => {
  await feed(genesis(), rec(1, 1, 'u', user('a')), ...[2, 3, 4, 5].map((lsn) => rec(lsn, 1, `r${lsn}`, ride(100 + lsn, 'a'))), rec(6, 1, 'u2', user('b')));
  const rides = (await db.tables.rides.findAll({ raw: true, order: [['ride_id', 'ASC']] })) as unknown as Array<{ ride_id: number; timestamp: string }>;
  expect(rides.map((r) => [r.ride_id, r.timestamp])).toEqual([[102, 't102'], [103, 't103'], [104, 't104'], [105, 't105']]);
  expect(await db.appliedWrite('r4')).toEqual({ lsn: 4, changes: 1, insertedId: 104 });
  expect(await usernames()).toEqual(['a', 'b']);
  expect(await db.replicationState()).toMatchObject({ appliedLsn: 6, appliedOffset: 6, epoch: 1 });
});

test('one failing insert in a run fails alone: the others are applied, its outcome records no change', async () => {
  // The third insert repeats a username: it breaks the multi-row INSERT, so the run falls back to one at a time.
  await feed(genesis(), rec(1, 1, 'a', user('a')), rec(2, 1, 'b', user('b')), rec(3, 1, 'dup', user('a')), rec(4, 1, 'c', user('c')));
  expect(await usernames()).toEqual(['a', 'b', 'c']);
  expect(await db.appliedWrite('dup')).toEqual({ lsn: 3, changes: 0 });
  expect(await db.appliedWrite('c')).toEqual({ lsn: 4, changes: 1 });
  expect(replicator.current.appliedLsn).toBe(4);
});
