import fs from 'node:fs';
import type { ChannelModel } from '../../common/amqp/amqp';
import type { Logger } from '../../common/logging/logger';
import type { ZkClient } from '../../common/zk/zk-client';
import { readLogId } from '../replication/log-identity';
import { listSnapshots, type SnapshotInfo } from './snapshot-index';
import { readSnapshot } from './snapshot-stream';

export interface SeedOptions {
  zk: ZkClient;
  connection: ChannelModel;
  /** Where the worker's database goes; must not exist yet. */
  dbFile: string;
  idleMs: number;
  log: Logger;
}

/** Progress lines while a snapshot downloads, at most this often. */
const PROGRESS_MS = 2000;

/*
 * A new replica starts from the newest snapshot it can verify, then follows syncQ from the offset after it: start-up
 * costs the size of the data plus the records since that snapshot, not the whole history. Snapshots are tried newest
 * first (only the log ZooKeeper's /log names); one that is missing, incomplete or corrupt is skipped with a warning. With none usable the
 * replica starts empty and needs the log from its genesis marker: if retention dropped that, the replicator stops
 * with the reason (log-rules.ts), so a replica is never silently incomplete.
 */
export async function seedFromSnapshot(o: SeedOptions): Promise<SnapshotInfo | undefined> {
  const { log } = o;
  // No log recorded yet (a new system, or ZooKeeper's data reset): no snapshot can be known to belong to syncQ.
  const logId = await readLogId(o.zk);
  if (logId === undefined) return undefined;
  const candidates = await listSnapshots(o.zk, logId);
  const part = `${o.dbFile}.part`;
  for (const info of candidates) {
    const started = Date.now();
    let said = started;
    log.info({ id: info.id, lsn: info.lsn, bytes: info.bytes }, 'seeding from a snapshot');
    try {
      await readSnapshot(o.connection, info, part, o.idleMs, (bytes) => {
        if (Date.now() - said < PROGRESS_MS) return;
        said = Date.now();
        log.info({ id: info.id, bytes, of: info.bytes }, 'downloading the snapshot');
      });
      fs.renameSync(part, o.dbFile);
      log.info({ id: info.id, lsn: info.lsn, offset: info.offset, ms: Date.now() - started }, 'seeded from a snapshot; replaying the log after it');
      return info;
    } catch (err) {
      fs.rmSync(part, { force: true });
      log.warn({ id: info.id, lsn: info.lsn, err: (err as Error).message }, 'snapshot unusable; trying an older one');
    }
  }
  if (candidates.length > 0) log.warn('no usable snapshot: replaying the whole log');
  return undefined;
}
