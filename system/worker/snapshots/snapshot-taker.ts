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
  /** A broker connection of the snapshot's own, closed after it: megabytes of chunks must not queue behind (or stall)
   * the worker's replication and replies. */
  connect: () => Promise<ChannelModel>;
  /** The worker's directory, where the copy is made before it is sent. */
  dir: string;
  pid: number;
  /** SNAPSHOT_EVERY_RECORDS: records of log since the newest snapshot that call for a new one; 0 never. */
  everyRecords: number;
  /** Bytes of log (log-bytes.ts) since the newest snapshot that call for one whatever the count: half the bounded
   * log's budget, so that large records never fill the log before a snapshot is due. */
  everyBytes: number;
  /** Largest snapshot that retention surely keeps with the others (SNAPSHOT_MAX_BYTES / (SNAPSHOT_KEEP + 1)). */
  maxSnapshotBytes: number;
  chunkBytes: number;
  keep: number;
  idleMs: number;
  /** Pause before trying again after a failed or refused attempt; also how often the taker looks when no record comes. */
  retryMs: number;
  log: Logger;
}

/*
 * A slave's snapshots. Once the log has grown by `everyRecords` records (or `everyBytes` bytes) past the newest
 * snapshot, the slave (one at a time: whoever creates /snapshot-lock) copies its database with VACUUM INTO, a
 * consistent read that does not stop replication, and sends the copy to snapshotQ on a connection of its own. The
 * replication state travels inside the copy, in the same transaction as the data it describes, so the snapshot's LSN
 * and offset are exact. Only a snapshot read back whole is indexed. The master never takes one: a worker elected
 * while it copies drops the copy. A replica known to have diverged takes none either.
 * The taker also looks on a timer, not only when records are applied: when the bounded log is full the master takes no
 * writes, no record comes, and only a snapshot can make room again.
 */
export class SnapshotTaker {
  private newest: { offset: number; logBytes: number } | undefined;
  private notBefore = 0;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly poke = () => {
    if (!this.running && !this.stopped) this.running = this.maybeTake().finally(() => (this.running = undefined));
  };

  constructor(private readonly o: SnapshotTakerOptions) {}

  start(): void {
    if (this.o.everyRecords <= 0) return;
    this.o.replicator.on('applied', this.poke);
    this.timer = setInterval(this.poke, this.o.retryMs);
    this.timer.unref();
    this.poke();
  }

  /**
   * Takes no new snapshot. One being taken goes on in the background: waiting for it would delay a takeover (and a
   * copy made before the takeover stays valid; one made after it is dropped).
   */
  stop(): void {
    this.stopped = true;
    this.o.replicator.off('applied', this.poke);
    if (this.timer) clearInterval(this.timer);
  }

  private due(newest: { offset: number; logBytes: number }): boolean {
    const s = this.o.replicator.current;
    return s.appliedOffset - newest.offset >= this.o.everyRecords || s.logBytes - newest.logBytes >= this.o.everyBytes;
  }

  private async maybeTake(): Promise<void> {
    const { replicator, log } = this.o;
    const logId = replicator.current.logId;
    if (logId === null || Date.now() < this.notBefore || replicator.isSealed || replicator.isDiverged) return;
    try {
      if (this.newest !== undefined && !this.due(this.newest)) return;
      const newest = (await listSnapshots(this.o.zk, logId))[0];
      this.newest = newest ? { offset: newest.offset, logBytes: newest.logBytes } : { offset: -1, logBytes: 0 };
      if (!this.due(this.newest) || !(await this.lock())) return;
      try {
        const info = await this.take(logId);
        if (info) this.newest = { offset: info.offset, logBytes: info.logBytes };
      } finally {
        await this.o.zk.remove(ZK_PATHS.snapshotLock).catch(() => undefined);
      }
    } catch (err) {
      if (!this.stopped) log.warn({ err: (err as Error).message }, 'could not take a snapshot; trying again later');
      this.notBefore = Date.now() + this.o.retryMs;
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

  /** Copies the database, sends it, reads it back and indexes it; undefined when the copy had to be dropped. */
  private async take(logId: string): Promise<SnapshotInfo | undefined> {
    const { log } = this.o;
    const id = randomUUID().slice(0, 8);
    const file = path.join(this.o.dir, `snapshot-${id}.sqlite`);
    const started = Date.now();
    try {
      await this.o.db.copyTo(file);
      // Elected meanwhile: the copy may hold the master's own commits, whose replication state is not a replica's.
      if (this.o.replicator.isSealed) return undefined;
      const state = await WorkerDatabase.stateOfCopy(file);
      if (state.logId !== logId) throw new Error(`the copy is of log ${state.logId}, not ${logId}`);
      const size = fs.statSync(file).size;
      if (size > this.o.maxSnapshotBytes) {
        throw new Error(
          `the database (${size} bytes) is larger than retention keeps for sure with the other snapshots ` +
            `(SNAPSHOT_MAX_BYTES / (SNAPSHOT_KEEP + 1) = ${this.o.maxSnapshotBytes}): raise SNAPSHOT_MAX_BYTES`,
        );
      }
      const connection = await this.o.connect();
      let written;
      try {
        written = await writeSnapshot(connection, file, id, this.o.chunkBytes, this.o.idleMs);
      } finally {
        await connection.close().catch(() => undefined);
      }
      const info: SnapshotInfo = {
        id,
        lsn: state.appliedLsn,
        offset: state.appliedOffset,
        epoch: state.epoch,
        epochMaster: state.epochMaster,
        logId,
        logBytes: state.logBytes,
        ...written,
        takenBy: this.o.pid,
        takenAt: Date.now(),
      };
      await indexSnapshot(this.o.zk, info, this.o.keep);
      log.info({ id, lsn: info.lsn, offset: info.offset, bytes: info.bytes, chunks: info.chunks, ms: Date.now() - started }, 'snapshot taken and indexed');
      return info;
    } finally {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    }
  }
}
