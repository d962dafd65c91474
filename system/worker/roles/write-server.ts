import { parseJson, type Channel, type ChannelModel, type ConsumeMessage } from '../../common/amqp/amqp';
import { DbaasError, ValidationError } from '../../common/errors/errors';
import type { Logger } from '../../common/logging/logger';
import { QUEUES, writeMessageSchema, type WriteMessage } from '../../common/protocol/messages';
import { describeIssues } from '../../common/protocol/requests';
import type { ZkLease } from '../coordination/lease';
import type { Replicator } from '../replication/replicator';
import type { SyncPublisher } from '../replication/sync-log';
import type { WorkerDatabase } from '../storage/database';
import { applyWrite } from '../storage/queries';
import { errorReply, reply } from './replies';

export interface WriteServerOptions {
  pid: number;
  epoch: number;
  /** Messages the master may hold unacknowledged; they are applied one at a time, in order. */
  prefetch: number;
}

/** Raised when the master can no longer prove it is the master; the worker must stop at once. */
export class FencedError extends Error {}

/*
 * The master's side of writeQ. Each write is applied in a local transaction, appended to syncQ and confirmed by the
 * broker, and only then committed, answered and acked. If anything between the append and the answer fails, the
 * worker exits without answering: the writeQ message goes back to the queue for the next master, whose writeId check
 * makes the retry harmless.
 */
export class WriteServer {
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: WorkerDatabase,
    private readonly replicator: Replicator,
    private readonly publisher: SyncPublisher,
    private readonly lease: ZkLease,
    private readonly options: WriteServerOptions,
    private readonly onFatal: (err: Error) => void,
    private readonly log: Logger,
  ) {}

  async start(connection: ChannelModel): Promise<void> {
    this.channel = await connection.createChannel();
    this.channel.on('error', (err: Error) => this.log.warn({ err: err.message }, 'channel error'));
    await this.channel.prefetch(this.options.prefetch);
    const { consumerTag } = await this.channel.consume(
      QUEUES.write,
      (msg) => {
        if (!msg) return;
        this.chain = this.chain.then(() => this.handle(msg));
      },
      { noAck: false },
    );
    this.consumerTag = consumerTag;
  }

  private async handle(msg: ConsumeMessage): Promise<void> {
    const channel = this.channel;
    if (!channel) return;
    const { pid, epoch } = this.options;
    const parsed = writeMessageSchema.safeParse(parseJson(msg));
    if (!parsed.success) {
      reply(channel, msg, errorReply(pid, new ValidationError(`invalid write message: ${describeIssues(parsed.error)}`)));
      channel.ack(msg);
      return;
    }
    try {
      const outcome = await this.apply(parsed.data);
      reply(channel, msg, { ok: true, worker: pid, ...outcome });
      channel.ack(msg);
    } catch (err) {
      if (err instanceof DbaasError) {
        reply(channel, msg, errorReply(pid, err));
        channel.ack(msg);
        return;
      }
      this.log.error({ err: (err as Error).message, epoch }, 'write path failed; stopping this master');
      this.onFatal(err as Error);
    }
  }

  private async apply(message: WriteMessage) {
    const { writeId, request } = message;
    const already = await this.db.appliedWrite(writeId);
    // A redelivered write (its master died before acking it) is answered as the first time, from the stored outcome.
    if (already !== undefined) return { ...already, duplicate: true };
    if (!this.lease.valid()) throw new FencedError('ZooKeeper lease lapsed before the write');
    const state = this.replicator.current;
    const lsn = state.appliedLsn + 1;
    const outcome = await this.db.transaction(async (t) => {
      const result = await applyWrite(this.db, request, t);
      await this.db.recordWrite(writeId, { lsn, changes: result.changes, insertedId: result.insertedId }, t);
      await this.db.saveReplicationState({ ...state, appliedLsn: lsn, epoch: this.options.epoch }, t);
      await this.publisher.append({ lsn, epoch: this.options.epoch, writeId, master: this.options.pid, op: result.resolved });
      // The record is in the log; it counts only if it was appended while this worker was certainly the master.
      if (!this.lease.valid()) throw new FencedError('ZooKeeper lease lapsed while the write was in flight');
      return result;
    });
    this.replicator.noteCommitted(lsn, this.options.epoch);
    return { lsn, changes: outcome.changes, ...(outcome.insertedId !== undefined ? { insertedId: outcome.insertedId } : {}) };
  }

  async stop(): Promise<void> {
    if (!this.channel) return;
    if (this.consumerTag) await this.channel.cancel(this.consumerTag).catch(() => undefined);
    await this.chain;
    await this.channel.close().catch(() => undefined);
    this.channel = undefined;
  }
}
