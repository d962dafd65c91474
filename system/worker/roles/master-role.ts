import type { Clock } from '../../common/time/clock';
import type { Election, Elected } from '../coordination/election';
import { ZkLease } from '../coordination/lease';
import { markerLogId, readLogId, recordLogId } from '../replication/log-identity';
import { LogBudget, logLimitBytes } from '../replication/log-budget';
import { OwnLog } from '../replication/own-log';
import { newestSnapshot } from '../snapshots/snapshot-index';
import { SyncPublisher } from '../replication/sync-log';
import { EXIT, type WorkerContext } from '../worker-context';
import { WriteServer, WRITE_SERVER_DEFAULTS } from './write-server';

export interface MasterRoleOptions {
  context: WorkerContext;
  /** Raises the epoch in ZooKeeper when the log turns out to be ahead of it (the election's `bumpEpoch`). */
  election: Pick<Election, 'bumpEpoch'>;
  /** Stops serving reads (the slave role's `stop`); called once this worker is published as master. */
  stopServingReads: () => Promise<void>;
  /** How long to wait to see our own epoch marker come back from syncQ. Default: config.workerStartTimeoutMs. */
  markerTimeoutMs?: number;
  /** writeQ messages held unacknowledged. Default 64 (WRITE_SERVER_DEFAULTS). */
  writePrefetch?: number;
  /** Most writes per group commit. Default 64 (WRITE_SERVER_DEFAULTS). */
  maxWriteGroup?: number;
  /** Clock of the ZooKeeper lease. Default: the system clock (monotonic and wall). */
  clock?: Clock;
}

/*
 * The takeover, once the election made this worker the master (it holds /master and raised the epoch):
 *   1. publish role master, state electing; stop serving reads;
 *   2. start the lease: from now on the master acts only while conditional writes of /master keep proving that it
 *      owns /master (see lease.ts); losing it stops the worker at once (fenced);
 *   3. append an epoch marker to syncQ and wait until the follower brings it back: every record before it in the
 *      stream (the old master's last writes) is then applied here, and records of older epochs after it are ignored
 *      by every replica. If the log already holds a newer epoch than ZooKeeper's counter, raise the counter and mark
 *      again. The marker names the log (log-identity.ts): the id ZooKeeper remembers, or, for the very first master
 *      of an empty log, a new one (a genesis marker, recorded in ZooKeeper once it is in the log);
 *   4. the replicator stops applying at the marker; from then on this worker writes the log and reads it back, checking
 *      that everything after its marker is its own (own-log.ts);
 *   5. take writeQ (the write server) and publish state ready.
 * Any failure rejects `takeOver`; the worker must then stop, since it holds /master without serving writes.
 */
export class MasterRole {
  private readonly ctx: WorkerContext;
  private readonly o: MasterRoleOptions;
  private readonly lease: ZkLease;
  private publisher: SyncPublisher | undefined;
  private writes: WriteServer | undefined;
  private stopped = false;

  constructor(o: MasterRoleOptions) {
    this.o = o;
    this.ctx = o.context;
    this.lease = new ZkLease(o.context.zk, o.context.log, {
      clock: o.clock,
      // Not `ctx.fatal`: a worker that is not the owner of /master never acts as master, even while stopping.
      onLost: (reason) => this.ctx.fatalNow(reason, EXIT.fenced),
    });
  }

  /** Runs the takeover for `electedEpoch`; resolves once this worker takes writes. */
  async takeOver(elected: Elected): Promise<void> {
    const { membership, replicator, log, pid } = this.ctx;
    await membership.set({ role: 'master', state: 'electing', epoch: elected.epoch });
    await this.o.stopServingReads();
    await this.lease.start(elected.master);
    const publisher = await SyncPublisher.open(this.ctx.connection);
    this.publisher = publisher;
    const epoch = await this.markTheLog(publisher, elected.epoch);
    const own = new OwnLog(epoch, (err) => this.ctx.fatalNow(err.message, EXIT.failed), log);
    const { syncMaxBytes, syncSegmentBytes } = this.ctx.config;
    const budget = new LogBudget({
      limitBytes: logLimitBytes(syncMaxBytes, syncSegmentBytes),
      coveredBytes: async () => (await newestSnapshot(this.ctx.zk, replicator.current.logId!))?.logBytes ?? 0,
      seenBytes: replicator.current.logBytes,
      log,
    });
    await budget.start();
    replicator.handOver((item) => {
      budget.noteSeen(item.bytes);
      own.check(item);
    });
    // A graceful stop during the takeover: the write server must not start after `stop` ran.
    if (this.stopped) return;
    this.writes = new WriteServer({
      db: this.ctx.db,
      replicator,
      publisher,
      readBack: (record) => own.expect(record),
      lease: this.lease,
      admit: (sizes) => budget.admit(sizes),
      pid,
      epoch,
      prefetch: this.o.writePrefetch ?? WRITE_SERVER_DEFAULTS.prefetch,
      maxGroup: this.o.maxWriteGroup ?? WRITE_SERVER_DEFAULTS.maxGroup,
      // Not `ctx.fatal`: a master that cannot prove it may write stops even during a graceful stop.
      onFatal: (err) => this.ctx.fatalNow(`fenced or failed on the write path: ${err.message}`, EXIT.fenced),
      log,
    });
    await this.writes.start(this.ctx.connection, this.ctx.onChannelLost);
    membership.noteLsn(replicator.current.appliedLsn, epoch);
    await membership.set({ state: 'ready' });
    log.info({ epoch, appliedLsn: replicator.current.appliedLsn, logId: replicator.current.logId }, 'master ready: taking writes');
  }

  /** Step 3: appends markers until one starts this master's epoch here; returns that epoch. */
  private async markTheLog(publisher: SyncPublisher, electedEpoch: number): Promise<number> {
    const { replicator, log, id, pid, zk } = this.ctx;
    const remembered = await readLogId(zk);
    const markerTimeoutMs = this.o.markerTimeoutMs ?? this.ctx.config.workerStartTimeoutMs;
    let epoch = electedEpoch;
    for (;;) {
      const { logId, genesis } = markerLogId(remembered, replicator.current);
      const markerId = `epoch-${epoch}-${id}`;
      const outcome = replicator.sealAtMarker(markerId, markerTimeoutMs);
      const op = { op: 'epoch' as const, logId, ...(genesis ? { genesis: true as const } : {}) };
      await publisher.append({ lsn: replicator.current.appliedLsn, epoch, writeId: markerId, master: pid, op });
      const seen = await outcome;
      if (seen === 'timeout') throw new Error('did not see its own epoch marker in syncQ');
      if (seen === 'failed') throw new Error('replication stopped before its own epoch marker (see the reason above)');
      if (seen === 'sealed') break;
      // Ignored: the log holds a newer epoch than ZooKeeper's counter (ZooKeeper's data was reset, or ZK_ROOT changed),
      // or it had begun when we took it for empty. Raise the counter above the log's and mark again with what we know
      // now, rather than write into the void.
      const logEpoch = replicator.current.epoch;
      log.warn({ epoch, logEpoch, logId: replicator.current.logId }, 'our epoch marker did not count; raising the epoch and marking again');
      epoch = await this.o.election.bumpEpoch(Math.max(logEpoch, epoch) + 1);
      // /master is the lease's to write (conditionally, on the version it last wrote): the new epoch goes through it.
      await this.lease.update({ id, pid, epoch });
    }
    if (remembered === undefined) await recordLogId(zk, replicator.current.logId!);
    return epoch;
  }

  /** Stops taking writes (in-flight groups finish), closes the syncQ publisher and the lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.writes?.stop();
    await this.publisher?.close();
    this.lease.stop();
  }
}
