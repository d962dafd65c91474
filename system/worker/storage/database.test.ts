import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EMPTY_REPLICATION_STATE, WorkerDatabase } from './database';
import { runSnapshotRead } from './queries';

/*
 * The settings every transaction must run with. Sequelize opens a connection per transaction, so a PRAGMA set once
 * would be lost; database.ts hooks connection opening, which a Sequelize upgrade could silently undo.
 */
test('every transaction connection has synchronous = NORMAL and foreign keys on', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbaas-db-'));
  const db = await WorkerDatabase.open(path.join(dir, 'worker.sqlite'));
  try {
    for (let i = 0; i < 3; i++) {
      const pragmas = await db.transaction(async (transaction) => {
        const pragma = async (name: string) => {
          const row = (await db.sequelize.query(`PRAGMA ${name}`, { transaction, raw: true, plain: true })) as Record<string, unknown> | null;
          return row?.[name];
        };
        return { sync: await pragma('synchronous'), fk: await pragma('foreign_keys') };
      });
      // 1 = NORMAL (FULL would be 2, the default that made every commit wait for an fsync).
      expect(pragmas).toEqual({ sync: 1, fk: 1 });
    }
  } finally {
    await db.sequelize.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a snapshot read gives the rows and the applied LSN stored with them, without the extra column', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbaas-db-'));
  const db = await WorkerDatabase.open(path.join(dir, 'worker.sqlite'));
  try {
    expect(await runSnapshotRead(db, { table: 'users', columns: ['username'] })).toEqual({ rows: [], lsn: undefined });
    await db.transaction(async (t) => {
      await db.tables.users.create({ username: 'alice', password: 'x' }, { transaction: t });
      await db.saveReplicationState({ ...EMPTY_REPLICATION_STATE, appliedLsn: 7, appliedOffset: 3, epoch: 1 }, t);
    });
    expect(await runSnapshotRead(db, { table: 'users', columns: ['username'] })).toEqual({ rows: [{ username: 'alice' }], lsn: 7 });
    expect(await runSnapshotRead(db, { table: 'users' })).toEqual({ rows: [{ username: 'alice', password: 'x' }], lsn: 7 });
  } finally {
    await db.sequelize.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a copy (VACUUM INTO) holds the data and the replication state written with it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-copy-'));
  const db = await WorkerDatabase.open(path.join(dir, 'db.sqlite'));
  try {
    await db.transaction(async (t) => {
      await db.tables.users.create({ username: 'ann', password: 'p' }, { transaction: t });
      await db.saveReplicationState({ ...EMPTY_REPLICATION_STATE, appliedLsn: 9, appliedOffset: 12, epoch: 2, logId: 'log-x', epochMaster: 77, logBytes: 4321 }, t);
    });
    const copy = path.join(dir, 'copy.sqlite');
    await db.copyTo(copy);
    expect(await WorkerDatabase.stateOfCopy(copy)).toEqual({ appliedLsn: 9, appliedOffset: 12, epoch: 2, logId: 'log-x', epochMaster: 77, logBytes: 4321 });
    const reopened = await WorkerDatabase.open(copy);
    expect(((await reopened.tables.users.findAll({ raw: true })) as unknown as Array<{ username: string }>).map((r) => r.username)).toEqual(['ann']);
    await reopened.close();
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
