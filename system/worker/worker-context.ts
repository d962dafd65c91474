import fs from 'node:fs';
import path from 'node:path';
import { assertRequestQueues, assertSnapshotQueue, assertSyncQueue, connectAmqp, type ChannelModel } from '../common/amqp/amqp';
import type { Config } from '../common/config/config';
import type { Logger } from '../common/logging/logger';
import { ZkClient } from '../common/zk/zk-client';
import { Membership } from './coordination/membership';
import { Replicator } from './replication/replicator';
import { SyncFollower } from './replication/sync-log';
import { seedFromSnapshot } from './snapshots/snapshot-seed';
import { WorkerDatabase } from './storage/database';

export const EXIT = { fenced: 3, brokerLost: 4, sessionLost: 5, failed: 1 } as const;

/** Segments of snapshotQ: retention drops whole ones, so a few per retention bound; RabbitMQ's default at most. */
const snapshotSegmentBytes = (maxBytes: number) => Math.min(500_000_000, Math.floor(maxBytes / 4));

/** Records held unacknowledged by the syncQ follower: enough for large catch-up batches. */
const SYNC_PREFETCH = 2000;
/** Records a replica holds in memory ahead of its applier, at most (plus SYNC_PREFETCH in flight): two full batches. */
const SYNC_BACKLOG_MAX = 4000;

export interface WorkerContextOptions {
  id: string;
  /** The PID the worker is known by: its OS PID, or its container's State.Pid under Docker. */
  pid: number;
  config: Config;
  rabbitmqUrl: string;
  zookeeperConnect: string;
  /** ZOOKEEPER_AUTH (`user:password`); undefined: no ACL. */
  zookeeperAuth?: string;
  log: Logger;
  /** Called when the worker must stop at once (fenced, lost its broker or its session). */
  onFatal: (reason: string, code: number) => void;
}

/** The parts a context is made of; `WorkerContext.open` builds them, a unit test may pass its own. */
export interface WorkerContextParts {
  id: string;
  pid: number;
  config: Config;
  log: Logger;
  db: WorkerDatabase;
  replicator: Replicator;
  connection: ChannelModel;
  zk: ZkClient;
  /** Follows syncQ into the replicator (a master's replicator hands its records on to the master's own-log audit). */
  follower: Pick<SyncFollower, 'stop'>;
  membership: Membership;
  onFatal: (reason: string, code: number) => void;
  /** Opens another broker connection as this worker (for snapshots); by default none can be opened. */
  openConnection?: () => Promise<ChannelModel>;
}

/*
 * What every worker has, whatever its role: its database and replicator, the broker connection with the syncQ
 * follower, the ZooKeeper session and its entry under /workers. Built once, before any role starts; nothing in it
 * is optional, so the roles never ask whether something exists yet.
 */
export class WorkerContext {
  readonly id: string;
  readonly pid: number;
  readonly config: Config;
  readonly log: Logger;
  readonly db: WorkerDatabase;
  readonly replicator: Replicator;
  readonly connection: ChannelModel;
  readonly zk: ZkClient;
  readonly follower: Pick<SyncFollower, 'stop'>;
  readonly membership: Membership;
  /** The worker's own directory (its database, snapshot copies). */
  readonly dir: string;
  /** Opens another broker connection as this worker, for work that must not share the main one (snapshots). */
  readonly openConnection: () => Promise<ChannelModel>;
  private readonly onFatal: (reason: string, code: number) => void;
  private stopping = false;

  constructor(parts: WorkerContextParts) {
    this.id = parts.id;
    this.pid = parts.pid;
    this.config = parts.config;
    this.log = parts.log;
    this.db = parts.db;
    this.replicator = parts.replicator;
    this.connection = parts.connection;
    this.zk = parts.zk;
    this.follower = parts.follower;
    this.membership = parts.membership;
    this.dir = path.join(parts.config.dataDir, 'workers', parts.id);
    this.openConnection = parts.openConnection ?? (() => Promise.reject(new Error('this worker cannot open another broker connection')));
    this.onFatal = parts.onFatal;
  }

  /**
   * Opens everything in order: the broker (queues asserted), ZooKeeper, the database (from the newest usable
   * snapshot, else empty: snapshot-seed.ts), the syncQ follower from the replicator's next offset, and the /workers
   * entry. What was opened is closed again on failure.
   */
  static async open(o: WorkerContextOptions): Promise<WorkerContext> {
    const { config, log, id, pid } = o;
    // Until the context exists, failures go straight to onFatal; once opening failed, the caller reports it instead.
    let context: WorkerContext | undefined;
    let failed = false;
    const fatal = (reason: string, code: number) => (context ? context.fatal(reason, code) : !failed && o.onFatal(reason, code));
    const undo: Array<() => Promise<unknown> | void> = [];
    try {
      const dir = path.join(config.dataDir, 'workers', id);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

      const connection = await connectAmqp(o.rabbitmqUrl, log, undefined, config.workerAmqpHeartbeatS);
      undo.push(() => connection.close());
      connection.on('close', () => fatal('lost the RabbitMQ connection', EXIT.brokerLost));
      connection.on('error', (err: Error) => log.warn({ err: err.message }, 'RabbitMQ connection error'));
      const setup = await connection.createChannel();
      await assertRequestQueues(setup);
      // A stream declared before with other retention (an older version, other SYNC_* / SNAPSHOT_* settings) is refused
      // by the broker (406); say which settings, since the broker's words name only the argument.
      const streams = 'syncQ and snapshotQ must keep the retention they were declared with (SYNC_MAX_BYTES, SYNC_SEGMENT_BYTES, SNAPSHOT_MAX_BYTES)';
      await assertSyncQueue(setup, { maxBytes: config.syncMaxBytes, segmentBytes: config.syncSegmentBytes }).catch((err: Error) => {
        throw new Error(`${err.message}: ${streams}`);
      });
      await assertSnapshotQueue(setup, { maxBytes: config.snapshotMaxBytes, segmentBytes: snapshotSegmentBytes(config.snapshotMaxBytes) }).catch((err: Error) => {
        throw new Error(`${err.message}: ${streams}`);
      });
      await setup.close();

      const zk = new ZkClient({ connect: o.zookeeperConnect, root: config.zkRoot, sessionTimeoutMs: config.zkSessionTimeoutMs, auth: o.zookeeperAuth });
      zk.on('expired', () => fatal('ZooKeeper session expired', EXIT.sessionLost));
      await zk.connect();
      undo.push(() => zk.close());

      const dbFile = path.join(dir, 'db.sqlite');
      const seed = await seedFromSnapshot({ zk, connection, dbFile, idleMs: config.snapshotFetchTimeoutMs, log });
      const db = await WorkerDatabase.open(dbFile);
      undo.push(() => db.close());
      const replicator = new Replicator(db, log, config.unsafeSkipReplication);
      await replicator.init();
      if (seed) log.info({ appliedLsn: replicator.current.appliedLsn, appliedOffset: replicator.current.appliedOffset }, 'database from the snapshot');
      // The reason (a gap, a foreign writer, a recreated syncQ...) is the operator's first clue: it goes in the exit.
      replicator.on('failed', (err: Error) => fatal(`replication stopped: ${err.message}`, EXIT.failed));

      const follower = await SyncFollower.open(connection, SYNC_PREFETCH);
      undo.push(() => follower.stop());
      const onCancelled = (queue: string) => fatal(`the broker cancelled our consumer of ${queue}`, EXIT.brokerLost);
      await follower.follow(replicator.nextOffset, (r) => replicator.enqueue(r), onCancelled, { backlog: () => replicator.backlog, highWater: SYNC_BACKLOG_MAX });
      replicator.on('dequeued', () => follower.release());

      const membership = new Membership(
        zk,
        { id, pid, role: 'slave', state: 'catching-up', appliedLsn: replicator.current.appliedLsn, epoch: 0, startedAt: Date.now(), session: zk.sessionId, ...(seed ? { seededLsn: seed.lsn } : {}) },
        config.znodeUpdateMs,
        log,
      );
      replicator.on('applied', (s) => membership.noteLsn(s.appliedLsn, s.epoch));
      undo.push(() => membership.stop());
      await membership.register();

      const openConnection = () => connectAmqp(o.rabbitmqUrl, log, undefined, config.workerAmqpHeartbeatS);
      context = new WorkerContext({ id, pid, config, log, db, replicator, connection, zk, follower, membership, onFatal: o.onFatal, openConnection });
      return context;
    } catch (err) {
      failed = true;
      for (const step of undo.reverse()) await Promise.resolve().then(step).catch(() => undefined);
      throw err;
    }
  }

  /** Stops the worker at once through `onFatal`, unless it is already stopping gracefully (then it is no failure). */
  fatal(reason: string, code: number): void {
    if (!this.stopping) this.onFatal(reason, code);
  }

  /** Stops the worker at once, even during a graceful stop: for a master that can no longer prove it may write. */
  fatalNow(reason: string, code: number): void {
    this.onFatal(reason, code);
  }

  /** A consumer the broker cancelled (its queue was deleted) leaves a worker that looks alive and does nothing: stop. */
  readonly onCancelled = (queue: string): void => this.fatal(`the broker cancelled our consumer of ${queue}`, EXIT.brokerLost);

  /** A channel the broker closed leaves a role that looks alive and does nothing: stop (see guardChannel). */
  readonly onChannelLost = (reason: string): void => this.fatal(reason, EXIT.brokerLost);

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Marks the start of a graceful stop; false when one had already begun. */
  beginStop(): boolean {
    if (this.stopping) return false;
    this.stopping = true;
    return true;
  }

  /** Closes what `open` opened, after the roles have stopped. */
  async close(): Promise<void> {
    await this.follower.stop();
    this.membership.stop();
    await this.connection.close().catch(() => undefined);
    this.zk.close();
    await this.db.close().catch(() => undefined);
  }
}
