import { assertRequestQueues, guardChannel, parseJson, type Channel, type ChannelModel, type ConsumeMessage } from '../../common/amqp/amqp';
import { TimeoutError, UnavailableError, ValidationError } from '../../common/errors/errors';
import type { Logger } from '../../common/logging/logger';
import { QUEUES } from '../../common/protocol/messages';
import { MAX_LIMIT, describeIssues, readRequestSchema, type ReadRequest } from '../../common/protocol/requests';
import type { Replicator } from '../replication/replicator';
import type { WorkerDatabase } from '../storage/database';
import { runRead, runSnapshotRead } from '../storage/queries';
import { errorReply, reply, replyEncoded } from './replies';

export interface ReadServerOptions {
  db: WorkerDatabase;
  /** Its applied LSN is what a read answers with, and what a read's minLsn waits for. */
  replicator: Replicator;
  /** Reported in every reply. */
  pid: number;
  /** How long a read with minLsn waits for this replica to catch up before answering 504. */
  minLsnWaitMs: number;
  /** Most reads set aside waiting for their minLsn at once (MIN_LSN_MAX_WAITING); one more is answered 503. */
  maxWaiting: number;
  /** Most rows a read without `limit` may match (READ_DEFAULT_LIMIT). */
  defaultLimit: number;
  /** Largest encoded answer (READ_REPLY_MAX_BYTES). */
  maxReplyBytes: number;
  log: Logger;
}

/*
 * The slave's side of readQ. Prefetch 1, so RabbitMQ hands each read to the next free slave in turn. Every message is
 * validated again here; a bad one gets an error reply and is acked, never requeued, so it cannot loop.
 * A read whose minLsn this replica has not reached yet is acked and set aside until it has (or MIN_LSN_WAIT_MS
 * passed): it never holds the read slot, so waiting reads cannot stop the slave from serving the others. A read set
 * aside is lost if the worker dies meanwhile; its caller gets a 504 and may retry, as for any read.
 */
export class ReadServer {
  private channel: Channel | undefined;
  private closeChannel: (() => Promise<void>) | undefined;
  private consumerTag: string | undefined;
  private inFlight = 0;
  private waiting = 0;
  private idle: (() => void) | undefined;

  private readonly db: WorkerDatabase;
  private readonly replicator: Replicator;
  private readonly options: { pid: number; minLsnWaitMs: number; maxWaiting: number; defaultLimit: number; maxReplyBytes: number };
  private readonly log: Logger;

  constructor(o: ReadServerOptions) {
    this.db = o.db;
    this.replicator = o.replicator;
    this.options = { pid: o.pid, minLsnWaitMs: o.minLsnWaitMs, maxWaiting: o.maxWaiting, defaultLimit: o.defaultLimit, maxReplyBytes: o.maxReplyBytes };
    this.log = o.log;
  }

  /** Reads set aside, waiting for their minLsn. */
  get waitingReads(): number {
    return this.waiting;
  }

  /**
   * `onLost`: the broker cancelled the consumer (the queue was deleted) or closed the channel: the worker cannot
   * serve reads any more and must stop.
   */
  async start(connection: ChannelModel, onLost: (reason: string) => void): Promise<void> {
    const channel = await connection.createChannel();
    this.channel = channel;
    this.closeChannel = guardChannel(channel, 'readQ', onLost);
    // readQ may have been deleted since this worker declared it at start: declare it again rather than fail on it.
    await assertRequestQueues(channel);
    await channel.prefetch(1);
    const { consumerTag } = await channel.consume(
      QUEUES.read,
      (msg) => (msg ? void this.handle(channel, msg) : onLost(`the broker cancelled our consumer of ${QUEUES.read}`)),
      { noAck: false },
    );
    this.consumerTag = consumerTag;
  }

  private async handle(channel: Channel, msg: ConsumeMessage): Promise<void> {
    this.inFlight++;
    let acked = false;
    const ack = () => {
      if (acked) return;
      acked = true;
      channel.ack(msg);
    };
    try {
      const parsed = readRequestSchema.safeParse(parseJson(msg));
      if (!parsed.success) throw new ValidationError(`invalid read request: ${describeIssues(parsed.error)}`);
      const req = parsed.data;
      if (req.minLsn !== undefined && req.minLsn > this.replicator.current.appliedLsn) await this.setAside(req.minLsn, ack);
      replyEncoded(channel, msg, await this.answer(req));
    } catch (err) {
      if (!(err instanceof ValidationError || err instanceof TimeoutError || err instanceof UnavailableError)) {
        this.log.error({ err: (err as Error).message }, 'read failed');
      }
      reply(channel, msg, errorReply(this.options.pid, err));
    } finally {
      ack();
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  /** Acks the read (freeing the slot) and waits for `minLsn`; throws 503 when too many wait, 504 when it takes too long. */
  private async setAside(minLsn: number, ack: () => void): Promise<void> {
    const { pid, maxWaiting, minLsnWaitMs } = this.options;
    if (this.waiting >= maxWaiting) {
      throw new UnavailableError(`replica ${pid} already has ${maxWaiting} reads waiting for their minLsn (MIN_LSN_MAX_WAITING); retry shortly`);
    }
    ack();
    this.waiting++;
    let reached: boolean;
    try {
      reached = await this.replicator.waitForLsn(minLsn, minLsnWaitMs);
    } finally {
      this.waiting--;
    }
    if (!reached) {
      throw new TimeoutError(`replica ${pid} is behind: applied LSN ${this.replicator.current.appliedLsn} < minLsn ${minLsn} after ${minLsnWaitMs} ms`);
    }
  }

  /** The encoded answer: at most READ_DEFAULT_LIMIT rows unless the read gave a limit, at most READ_REPLY_MAX_BYTES. */
  private async answer(req: ReadRequest): Promise<Buffer> {
    const { pid, defaultLimit, maxReplyBytes } = this.options;
    // The reply's LSN must be that of the state the rows show (a client passes it on as minLsn): taken from memory
    // before the read, it lagged whenever a replication batch committed during the read. A snapshot read selects it
    // with the rows; without rows (or for a count) the LSN from before the read is right.
    const before = this.replicator.current.appliedLsn;
    const query = req.limit === undefined && !req.count ? { ...req, limit: defaultLimit + 1 } : req;
    const read = req.count ? { rows: await runRead(this.db, query), lsn: undefined } : await runSnapshotRead(this.db, query);
    const rows = read.rows;
    const lsn = read.lsn ?? before;
    if (req.limit === undefined && rows.length > defaultLimit) {
      throw new ValidationError(
        `more than ${defaultLimit} rows match this read (READ_DEFAULT_LIMIT): pass a limit (at most ${MAX_LIMIT}), narrow the where, or ask for count`,
      );
    }
    const content = Buffer.from(JSON.stringify({ ok: true, worker: pid, lsn, rows }));
    if (content.length > maxReplyBytes) {
      throw new ValidationError(
        `the answer to this read would be ${content.length} bytes, more than ${maxReplyBytes} (READ_REPLY_MAX_BYTES): ask for fewer rows (limit) or columns`,
      );
    }
    return content;
  }

  /** Stops taking reads and lets the ones in progress (and set aside) finish (graceful scale-in, role switch). */
  async stop(): Promise<void> {
    if (!this.channel) return;
    if (this.consumerTag) await this.channel.cancel(this.consumerTag).catch(() => undefined);
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    await this.closeChannel?.();
    this.channel = undefined;
  }
}
