import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { SyncRecord } from '../../common/protocol/messages';
import { WorkerDatabase } from '../storage/database';
import { Replicator } from './replicator';

/*
 * The apply rules on a real SQLite file: stream order, exactly once, fencing of deposed masters' records.
 */

let dir: string;
let db: WorkerDatabase;
let replicator: Replicator;
let offset = 0;

const user = (name: string) => ({ op: 'insert' as const, table: 'users' as const, values: { username: name, password: 'p' } });
const rec = (lsn: number, epoch: number, writeId: string, op: SyncRecord['op']): SyncRecord => ({ lsn, epoch, writeId, master: 1, op });

async function feed(...records: SyncRecord[]) {
  for (const record of records) replicator.enqueue({ offset: offset++, record });
  await replicator.waitForLsn(Number.MAX_SAFE_INTEGER, 300);
}

async function usernames() {
  return (await db.tables.users.findAll({ raw: true, order: [['username', 'ASC']] })).map((r) => (r as unknown as { username: string }).username);
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replicator-'));
  db = await WorkerDatabase.open(path.join(dir, 'db.sqlite'));
  replicator = new Replicator(db, pino({ level: 'silent' }));
  await replicator.init();
  offset = 0;
});

afterEach(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('applies in order and stores LSN, offset and epoch with the data', async () => {
  await feed(rec(1, 1, 'a', user('a')), rec(2, 1, 'b', user('b')));
  expect(await usernames()).toEqual(['a', 'b']);
  expect(await db.replicationState()).toEqual({ appliedLsn: 2, appliedOffset: 1, epoch: 1 });
});

test('a replayed record (same LSN or writeId) is applied once', async () => {
  await feed(rec(1, 1, 'a', user('a')), rec(1, 1, 'a', user('a')), rec(2, 1, 'a', user('a')));
  expect(await usernames()).toEqual(['a']);
  expect(replicator.current.appliedLsn).toBe(2);
});

test('after an epoch marker, records of the older epoch are ignored', async () => {
  await feed(rec(1, 1, 'a', user('a')), rec(1, 2, 'marker', { op: 'epoch' }), rec(2, 1, 'late', user('ghost')), rec(2, 2, 'b', user('b')));
  expect(await usernames()).toEqual(['a', 'b']);
  expect(await db.replicationState()).toEqual({ appliedLsn: 2, appliedOffset: 3, epoch: 2 });
});

test('an invalid record is skipped but its offset counts', async () => {
  replicator.enqueue({ offset: offset++, invalid: 'garbage' });
  await feed(rec(1, 1, 'a', user('a')));
  expect(await usernames()).toEqual(['a']);
  expect(replicator.nextOffset).toBe(2);
});

test('state survives a reopen: replay resumes after the last applied offset', async () => {
  await feed(rec(1, 1, 'a', user('a')));
  await db.close();
  db = await WorkerDatabase.open(path.join(dir, 'db.sqlite'));
  replicator = new Replicator(db, pino({ level: 'silent' }));
  await replicator.init();
  expect(replicator.nextOffset).toBe(1);
  expect(replicator.current.appliedLsn).toBe(1);
});

const ride = (id: number, by: string) => ({
  op: 'insert' as const,
  table: 'rides' as const,
  values: { ride_id: id, created_by: by, timestamp: `t${id}`, starts_at: id, source: 1, destination: 2 },
});

test('consecutive inserts applied together keep their keys, order and outcomes', async () => {
  await feed(rec(1, 1, 'u', user('a')), ...[2, 3, 4, 5].map((lsn) => rec(lsn, 1, `r${lsn}`, ride(100 + lsn, 'a'))), rec(6, 1, 'u2', user('b')));
  const rides = (await db.tables.rides.findAll({ raw: true, order: [['ride_id', 'ASC']] })) as unknown as Array<{ ride_id: number; timestamp: string }>;
  expect(rides.map((r) => [r.ride_id, r.timestamp])).toEqual([[102, 't102'], [103, 't103'], [104, 't104'], [105, 't105']]);
  expect(await db.appliedWrite('r4')).toEqual({ lsn: 4, changes: 1, insertedId: 104 });
  expect(await usernames()).toEqual(['a', 'b']);
  expect(await db.replicationState()).toEqual({ appliedLsn: 6, appliedOffset: 5, epoch: 1 });
});

test('one failing insert in a run fails alone: the others are applied, its outcome records no change', async () => {
  // The third insert repeats a username: it breaks the multi-row INSERT, so the run falls back to one at a time.
  await feed(rec(1, 1, 'a', user('a')), rec(2, 1, 'b', user('b')), rec(3, 1, 'dup', user('a')), rec(4, 1, 'c', user('c')));
  expect(await usernames()).toEqual(['a', 'b', 'c']);
  expect(await db.appliedWrite('dup')).toEqual({ lsn: 3, changes: 0 });
  expect(await db.appliedWrite('c')).toEqual({ lsn: 4, changes: 1 });
  expect(replicator.current.appliedLsn).toBe(4);
});
