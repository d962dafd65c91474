import fs from 'node:fs';
import path from 'node:path';
import { assertQueues, connectAmqp, type ChannelModel } from '../common/amqp/amqp';
import type { Config } from '../common/config/config';
import type { Logger } from '../common/logging/logger';
import { listWorkers } from '../common/zk/workers-directory';
import { ZkClient } from '../common/zk/zk-client';
import { sleep } from '../common/services/wait-for';
import { Election } from './coordination/election';
import { ZkLease } from './coordination/lease';
import { Membership } from './coordination/membership';
import { ControlServer } from './roles/control-server';
import { ReadServer } from './roles/read-server';
import { WriteServer } from './roles/write-server';
import { Replicator } from './replication/replicator';
import { SyncFollower, SyncPublisher } from './replication/sync-log';
import { WorkerDatabase } from './storage/database';

export interface WorkerOptions {
  id: string;
  /** The PID the worker is known by: its OS PID, or its container's State.Pid under Docker. */
  pid: number;
  config: Config;
  rabbitmqUrl: string;
  zookeeperConnect: string;
  log: Logger;
  /** Called when the worker must stop at once (fenced, lost its broker or its session). */
  onFatal: (reason: string, code: number) => void;
}

export const EXIT = { fenced: 3, brokerLost: 4, sessionLost: 5, failed: 1 } as const;

/** Records held unacknowledged by the syncQ follower: enough for large catch-up batches. */
const SYNC_PREFETCH = 2000;
const WRITE_PREFETCH = 64;

/*
 * One worker, master or slave: the same code, and the role switch happens inside the running process.
 * Every worker follows syncQ; a slave also answers readQ once it has caught up with the master; the worker that wins
 * the election stops reading, appends its epoch marker, applies everything up to that marker, and then takes writeQ.
 */
export class Worker {
  private connection: ChannelModel | undefined;
  private zk: ZkClient | undefined;
  private db: WorkerDatabase | undefined;
  private replicator: Replicator | undefined;
  private membership: Membership | undefined;
  private follower: SyncFollower | undefined;
  private election: Election | undefined;
  private lease: ZkLease | undefined;
  private readServer: ReadServer | undefined;
  private writeServer: WriteServer | undefined;
  private publisher: SyncPublisher | undefined;
  private control: ControlServer | undefined;
  private stopping = false;
  /** A consumer the broker cancelled (its queue was deleted) leaves a worker that looks alive and does nothing: stop. */
  private readonly onCancelled = (queue: string) =>
    !this.stopping && this.o.onFatal(`the broker cancelled our consumer of ${queue}`, EXIT.brokerLost);

  constructor(private readonly o: WorkerOptions) {}

  async start(): Promise<void> {
    const { config, log, id, pid } = this.o;
    const dir = path.join(config.dataDir, 'workers', id);
    fs.rmSync(dir, { recursive: true, force: true });
    this.db = await WorkerDatabase.open(path.join(dir, 'db.sqlite'));
    this.replicator = new Replicator(this.db, log, config.unsafeSkipReplication);
    await this.replicator.init();
    this.replicator.on('failed', () => !this.stopping && this.o.onFatal('replication failed', EXIT.failed));

    this.connection = await connectAmqp(this.o.rabbitmqUrl, log);
    this.connection.on('close', () => !this.stopping && this.o.onFatal('lost the RabbitMQ connection', EXIT.brokerLost));
    this.connection.on('error', (err: Error) => log.warn({ err: err.message }, 'RabbitMQ connection error'));
    const setup = await this.connection.createChannel();
    await assertQueues(setup, config.syncMaxBytes);
    await setup.close();

    this.zk = new ZkClient({ connect: this.o.zookeeperConnect, root: config.zkRoot, sessionTimeoutMs: config.zkSessionTimeoutMs });
    this.zk.on('expired', () => !this.stopping && this.o.onFatal('ZooKeeper session expired', EXIT.sessionLost));
    await this.zk.connect();

    this.follower = await SyncFollower.open(this.connection, SYNC_PREFETCH);
    await this.follower.follow(this.replicator.nextOffset, (r) => this.replicator!.enqueue(r), this.onCancelled);

    this.membership = new Membership(
      this.zk,
      { id, pid, role: 'slave', state: 'catching-up', appliedLsn: this.replicator.current.appliedLsn, epoch: 0, startedAt: Date.now() },
      config.znodeUpdateMs,
      log,
    );
    this.replicator.on('applied', (s) => this.membership!.noteLsn(s.appliedLsn, s.epoch));
    await this.membership.register();

    this.control = new ControlServer(id, pid, this.db, this.replicator);
    await this.control.start(this.connection, this.onCancelled);

    this.election = new Election(this.zk, { id, pid }, log);
    this.election.once('elected', (epoch: number) =>
      // A graceful stop during a takeover closes the channels under it: that is not a failure.
      this.becomeMaster(epoch).catch((err) => !this.stopping && this.o.onFatal(`could not take over as master: ${(err as Error).message}`, EXIT.failed)),
    );
    this.election.start();
    void this.serveReadsWhenCaughtUp().catch((err) => !this.stopping && this.o.onFatal(`could not start serving reads: ${(err as Error).message}`, EXIT.failed));
    log.info({ id, pid }, 'worker started');
  }

  /** A slave takes reads only once it has applied what the master had committed when the slave joined. */
  private async serveReadsWhenCaughtUp(): Promise<void> {
    const { config, log } = this.o;
    const deadline = Date.now() + config.workerStartTimeoutMs;
    let target: number | undefined;
    while (target === undefined) {
      if (this.membership!.current.role === 'master' || this.stopping) return;
      const master = (await listWorkers(this.zk!)).find((w) => w.role === 'master' && w.state === 'ready');
      if (master) target = master.appliedLsn;
      else if (Date.now() > deadline) throw new Error('no ready master to catch up with');
      else await sleep(100);
    }
    log.info({ target }, 'catching up before taking reads');
    while (!(await this.replicator!.waitForLsn(target, 1000))) {
      if (this.membership!.current.role === 'master' || this.stopping) return;
    }
    if (this.membership!.current.role === 'master' || this.stopping) return;
    this.readServer = new ReadServer(this.db!, this.replicator!, { pid: this.o.pid, minLsnWaitMs: config.minLsnWaitMs }, log);
    await this.readServer.start(this.connection!, this.onCancelled);
    await this.membership!.set({ state: 'ready' });
    log.info({ appliedLsn: this.replicator!.current.appliedLsn }, 'caught up; serving reads');
  }

  private async becomeMaster(electedEpoch: number): Promise<void> {
    let epoch = electedEpoch;
    const { log, pid, id, config } = this.o;
    await this.membership!.set({ role: 'master', state: 'electing', epoch });
    await this.readServer?.stop();
    this.readServer = undefined;
    this.lease = new ZkLease(this.zk!, log);
    await this.lease.start();
    this.publisher = await SyncPublisher.open(this.connection!);
    // The marker closes the previous epoch: every record before it in the stream is applied here first, every
    // record of an older epoch after it is ignored by everyone. Applying up to it is the catch-up to the tail.
    for (;;) {
      const markerId = `epoch-${epoch}-${id}`;
      const seen = this.replicator!.waitForMarker(markerId, config.workerStartTimeoutMs);
      await this.publisher.append({ lsn: this.replicator!.current.appliedLsn, epoch, writeId: markerId, master: pid, op: { op: 'epoch' } });
      if (!(await seen)) throw new Error('did not see its own epoch marker in syncQ');
      const logEpoch = this.replicator!.current.epoch;
      if (logEpoch === epoch) break;
      // The log holds a newer epoch than ZooKeeper's counter (ZooKeeper's data was reset, or ZK_ROOT changed), so
      // our marker was ignored. Raise the counter above the log's and mark again, rather than write into the void.
      log.warn({ epoch, logEpoch }, 'syncQ is ahead of the ZooKeeper epoch; raising it');
      epoch = await this.election!.raiseEpoch(logEpoch + 1);
    }
    await this.follower!.stop();
    this.follower = undefined;
    await this.replicator!.seal();
    this.writeServer = new WriteServer(
      this.db!,
      this.replicator!,
      this.publisher,
      this.lease,
      { pid, epoch, prefetch: WRITE_PREFETCH, maxGroup: WRITE_PREFETCH },
      (err) => this.o.onFatal(`fenced or failed on the write path: ${err.message}`, EXIT.fenced),
      log,
    );
    await this.writeServer.start(this.connection!, this.onCancelled);
    this.membership!.noteLsn(this.replicator!.current.appliedLsn, epoch);
    await this.membership!.set({ state: 'ready' });
    log.info({ epoch, appliedLsn: this.replicator!.current.appliedLsn }, 'master ready: taking writes');
  }

  /** Graceful stop: leave the election, finish in-flight requests, close everything. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.election?.stop();
    await this.membership?.set({ state: 'stopping' }).catch(() => undefined);
    await this.readServer?.stop();
    await this.writeServer?.stop();
    await this.follower?.stop();
    await this.control?.stop();
    await this.publisher?.close();
    this.lease?.stop();
    this.membership?.stop();
    await this.connection?.close().catch(() => undefined);
    this.zk?.close();
    await this.db?.close().catch(() => undefined);
  }
}
