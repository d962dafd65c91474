import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ChannelModel } from '../../common/amqp/amqp';
import type { Logger } from '../../common/logging/logger';
import { ZK_PATHS } from '../../common/zk/paths';
import { isNodeExists, type ZkClient } from '../../common/zk/zk-client';
import type { Replicator } from '../replication/replicator';
import { WorkerDatabase } from '../storage/database';
import { indexSnapshot, listSnapshots, type SnapshotInfo } from './snapshot-index';
import { writeSnapshot } from './snapshot-stream';

export interface SnapshotTakerOptions {
  db: WorkerDatabase;
  replicator: Replicator;
  zk: ZkClient;
  connection: ChannelModel;
  /** The worker's directory, where the copy is made before it is sent. */
  dir: string;
  pid: number;
  /** SNAPSHOT_EVERY_RECORDS: records of log since the newest snapshot that call for a new one; 0 never. */
  everyRecords: number;
  chunkBytes: number;
  keep: number;
  idleMs: number;
  log: Logger;
}

/*
 * A slave's snapshots. Once the log has grown by `everyRecords` records past the newest snapshot, the slave (one at a
 * time: whoever creates /snapshot-lock) copies its database with VACUUM INTO, a consistent read that does not stop
 * replication, and sends the copy to snapshotQ. The replication state travels inside the copy, in the same
 * transaction as the data it describes, so the snapshot's LSN and offset are exact. Only a snapshot read back whole
 * is indexed. The master never takes one (its role stops this), so snapshots do not slow writes.
 */
export class SnapshotTaker {
  private newestOffset: number | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly onApplied = () => {
    if (!this.running && !this.stopped) this.running = this.maybeTake().finally(() => (this.running = undefined));
  };

  constructor(private readonly o: SnapshotTakerOptions) {}

  start(): void {
    if (this.o.everyRecords <= 0) return;
    this.o.replicator.on('applied', this.onApplied);
    this.onApplied();
  }

  /**
   * Takes no new snapshot. One being taken goes on in the background: waiting for it would delay a takeover, and a
   * copy of a consistent prefix of the log stays valid whoever holds the database now.
   */
  stop(): void {
    this.stopped = true;
    this.o.replicator.off('applied', this.onApplied);
  }

  /** Records of log past the newest snapshot, by stream offsets (markers count too: they take space as well). */
  private due(newestOffset: number): boolean {
    return this.o.replicator.current.appliedOffset - newestOffset >= this.o.everyRecords;
  }

  private async maybeTake(): Promise<void> {
    try {
      if (this.newestOffset !== undefined && !this.due(this.newestOffset)) return;
      this.newestOffset = (await listSnapshots(this.o.zk))[0]?.offset ?? -1;
      if (!this.due(this.newestOffset) || this.o.replicator.current.logId === null) return;
      if (!(await this.lock())) return;
      try {
        const info = await this.take();
        this.newestOffset = info.offset;
      } finally {
        await this.o.zk.remove(ZK_PATHS.snapshotLock).catch(() => undefined);
      }
    } catch (err) {
      if (!this.stopped) this.o.log.warn({ err: (err as Error).message }, 'could not take a snapshot; trying again later');
      // Not at once on the next batch: wait for another `everyRecords / 4` records.
      this.newestOffset = this.o.replicator.current.appliedOffset - Math.floor((this.o.everyRecords * 3) / 4);
    }
  }

  private async lock(): Promise<boolean> {
    try {
      await this.o.zk.create(ZK_PATHS.snapshotLock, { pid: this.o.pid }, 'ephemeral');
      return true;
    } catch (err) {
      if (isNodeExists(err)) return false;
      throw err;
    }
  }

  /** Copies the database, sends it, reads it back and indexes it. */
  async take(): Promise<SnapshotInfo> {
    const { log } = this.o;
    const id = randomUUID().slice(0, 8);
    const file = path.join(this.o.dir, `snapshot-${id}.sqlite`);
    const started = Date.now();
    try {
      await this.o.db.copyTo(file);
      const state = await WorkerDatabase.stateOfCopy(file);
      if (state.logId === null) throw new Error('the copy has no log id');
      const written = await writeSnapshot(this.o.connection, file, id, this.o.chunkBytes, this.o.idleMs);
      const info: SnapshotInfo = {
        id,
        lsn: state.appliedLsn,
        offset: state.appliedOffset,
        epoch: state.epoch,
        epochMaster: state.epochMaster,
        logId: state.logId,
        logBytes: state.logBytes,
        ...written,
        takenBy: this.o.pid,
        takenAt: Date.now(),
      };
      await indexSnapshot(this.o.zk, info, this.o.keep);
      log.info({ id, lsn: info.lsn, offset: info.offset, bytes: info.bytes, chunks: info.chunks, ms: Date.now() - started }, 'snapshot taken and indexed');
      return info;
    } finally {
      fs.rmSync(file, { force: true });
    }
  }
}
