import { listWorkers } from '../../common/zk/workers-directory';
import { sleep } from '../../common/time/sleep';
import { logLimitBytes } from '../replication/log-budget';
import { SnapshotTaker } from '../snapshots/snapshot-taker';
import type { WorkerContext } from '../worker-context';
import { ReadServer } from './read-server';

export interface SlaveRoleOptions {
  context: WorkerContext;
  /** How long to wait for a ready master to catch up with before giving up. Default: config.workerStartTimeoutMs. */
  findMasterTimeoutMs?: number;
  /** How long a read with minLsn waits for this replica to catch up before answering 504. Default: config.minLsnWaitMs. */
  minLsnWaitMs?: number;
}

/** Pause between two looks for a ready master, and the longest single wait for the catch-up target. */
const POLL_MS = 100;
const CATCH_UP_STEP_MS = 1000;

/*
 * What a worker does until it is elected: it catches up on syncQ to what the master had applied when this worker
 * joined, and only then answers readQ, so that a new slave never answers from an empty database. The context's
 * follower keeps applying the log meanwhile; this role only decides when reads may be served.
 */
export class SlaveRole {
  private readonly ctx: WorkerContext;
  private readonly findMasterTimeoutMs: number;
  private readonly reads: ReadServer;
  /** Snapshots are a slave's work: they stop with this role, when the worker is elected or stops. */
  private readonly snapshots: SnapshotTaker;
  private stopped = false;
  /** The read server's start while it runs: `stop` waits for it, so that a server never starts after the stop. */
  private opening: Promise<void> = Promise.resolve();

  constructor(o: SlaveRoleOptions) {
    this.ctx = o.context;
    this.findMasterTimeoutMs = o.findMasterTimeoutMs ?? o.context.config.workerStartTimeoutMs;
    this.reads = new ReadServer({
      db: o.context.db,
      replicator: o.context.replicator,
      pid: o.context.pid,
      minLsnWaitMs: o.minLsnWaitMs ?? o.context.config.minLsnWaitMs,
      maxWaiting: o.context.config.minLsnMaxWaiting,
      defaultLimit: o.context.config.readDefaultLimit,
      maxReplyBytes: o.context.config.readReplyMaxBytes,
      log: o.context.log,
    });
    const { config } = o.context;
    this.snapshots = new SnapshotTaker({
      db: o.context.db,
      replicator: o.context.replicator,
      zk: o.context.zk,
      connect: o.context.openConnection,
      dir: o.context.dir,
      pid: o.context.pid,
      everyRecords: config.snapshotEveryRecords,
      everyBytes: Math.floor(logLimitBytes(config.syncMaxBytes, config.syncSegmentBytes) / 2),
      maxSnapshotBytes: Math.floor(config.snapshotMaxBytes / (config.snapshotKeep + 1)),
      retryMs: config.snapshotCheckMs,
      chunkBytes: config.snapshotChunkBytes,
      keep: config.snapshotKeep,
      idleMs: config.snapshotFetchTimeoutMs,
      log: o.context.log,
    });
  }

  /** Catches up, then serves reads and publishes `ready`. Returns early, doing nothing more, once stopped. */
  async start(): Promise<void> {
    const { zk, replicator, membership, log } = this.ctx;
    this.snapshots.start();
    const deadline = Date.now() + this.findMasterTimeoutMs;
    let target: number | undefined;
    while (target === undefined) {
      if (this.stopped) return;
      const master = (await listWorkers(zk)).find((w) => w.role === 'master' && w.state === 'ready');
      if (master) target = master.appliedLsn;
      else if (Date.now() > deadline) throw new Error('no ready master to catch up with');
      else await sleep(POLL_MS);
    }
    log.info({ target }, 'catching up before taking reads');
    while (!(await replicator.waitForLsn(target, CATCH_UP_STEP_MS))) {
      if (this.stopped) return;
    }
    if (this.stopped) return;
    this.opening = this.reads.start(this.ctx.connection, this.ctx.onChannelLost);
    await this.opening;
    if (this.stopped) return;
    await membership.set({ state: 'ready' });
    log.info({ appliedLsn: replicator.current.appliedLsn }, 'caught up; serving reads');
  }

  /** Stops taking reads and lets the ones in progress finish (graceful stop, or this worker was elected). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.opening.catch(() => undefined);
    await this.reads.stop();
    this.snapshots.stop();
  }
}
