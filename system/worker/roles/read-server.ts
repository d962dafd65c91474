import { parseJson, type Channel, type ChannelModel, type ConsumeMessage } from '../../common/amqp/amqp';
import { TimeoutError, ValidationError } from '../../common/errors/errors';
import type { Logger } from '../../common/logging/logger';
import { QUEUES } from '../../common/protocol/messages';
import { describeIssues, readRequestSchema } from '../../common/protocol/requests';
import type { Replicator } from '../replication/replicator';
import type { WorkerDatabase } from '../storage/database';
import { runSnapshotRead } from '../storage/queries';
import { errorReply, reply } from './replies';

export interface ReadServerOptions {
  db: WorkerDatabase;
  /** Its applied LSN is what a read answers with, and what a read's minLsn waits for. */
  replicator: Replicator;
  /** Reported in every reply. */
  pid: number;
  /** How long a read with minLsn waits for this replica to catch up before answering 504. */
  minLsnWaitMs: number;
  log: Logger;
}

/*
 * The slave's side of readQ. Prefetch 1, so RabbitMQ hands each read to the next free slave in turn. Every message is
 * validated again here; a bad one gets an error reply and is acked, never requeued, so it cannot loop.
 */
export class ReadServer {
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private inFlight = 0;
  private idle: (() => void) | undefined;

  private readonly db: WorkerDatabase;
  private readonly replicator: Replicator;
  private readonly options: { pid: number; minLsnWaitMs: number };
  private readonly log: Logger;

  constructor(o: ReadServerOptions) {
    this.db = o.db;
    this.replicator = o.replicator;
    this.options = { pid: o.pid, minLsnWaitMs: o.minLsnWaitMs };
    this.log = o.log;
  }

  /** `onCancelled`: the broker cancelled the consumer (the queue was deleted): the worker cannot serve reads. */
  async start(connection: ChannelModel, onCancelled: (queue: string) => void): Promise<void> {
    this.channel = await connection.createChannel();
    this.channel.on('error', (err: Error) => this.log.warn({ err: err.message }, 'channel error'));
    await this.channel.prefetch(1);
    const { consumerTag } = await this.channel.consume(QUEUES.read, (msg) => (msg ? void this.handle(msg) : onCancelled(QUEUES.read)), { noAck: false });
    this.consumerTag = consumerTag;
  }

  private async handle(msg: ConsumeMessage): Promise<void> {
    const channel = this.channel!;
    this.inFlight++;
    try {
      const parsed = readRequestSchema.safeParse(parseJson(msg));
      if (!parsed.success) throw new ValidationError(`invalid read request: ${describeIssues(parsed.error)}`);
      const req = parsed.data;
      if (req.minLsn !== undefined && !(await this.replicator.waitForLsn(req.minLsn, this.options.minLsnWaitMs))) {
        throw new TimeoutError(
          `replica ${this.options.pid} is behind: applied LSN ${this.replicator.current.appliedLsn} < minLsn ${req.minLsn} after ${this.options.minLsnWaitMs} ms`,
        );
      }
      // The reply's LSN must be that of the state the rows show (a client passes it on as minLsn): taken from memory
      // before the read, it lagged whenever a replication batch committed during the read.
      const before = this.replicator.current.appliedLsn;
      const { rows, lsn } = await runSnapshotRead(this.db, req);
      reply(channel, msg, { ok: true, worker: this.options.pid, lsn: lsn ?? before, rows });
    } catch (err) {
      if (!(err instanceof ValidationError || err instanceof TimeoutError)) this.log.error({ err: (err as Error).message }, 'read failed');
      reply(channel, msg, errorReply(this.options.pid, err));
    } finally {
      channel.ack(msg);
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  /** Stops taking reads and lets the ones in progress finish (graceful scale-in, role switch). */
  async stop(): Promise<void> {
    if (!this.channel) return;
    if (this.consumerTag) await this.channel.cancel(this.consumerTag).catch(() => undefined);
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    await this.channel.close().catch(() => undefined);
    this.channel = undefined;
  }
}
