import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { parseJson, type Channel, type ConsumeMessage } from '../../common/amqp/amqp';
import { UnavailableError } from '../../common/errors/errors';
import { QUEUES, syncRecordSchema, type SyncRecord } from '../../common/protocol/messages';

/*
 * syncQ, the replication log: a RabbitMQ stream. The master appends with publisher confirms; every worker, the master
 * included, follows it from the offset after the last record it applied.
 */

/** An append the broker could not route: syncQ does not exist (it was deleted). The write is not kept anywhere. */
export class LogUnavailableError extends UnavailableError {}

export class SyncPublisher {
  /** Message ids the broker returned as unroutable; a return always precedes the confirm of its message. */
  private readonly returned = new Set<string>();
  private seq = 0;

  private constructor(private readonly channel: ConfirmChannel) {
    channel.on('return', (msg: ConsumeMessage) => {
      if (msg.properties.messageId) this.returned.add(String(msg.properties.messageId));
    });
  }

  static async open(connection: ChannelModel): Promise<SyncPublisher> {
    return new SyncPublisher(await connection.createConfirmChannel());
  }

  /**
   * Resolves once the broker has confirmed the record is stored in the stream. `mandatory`: a record that reaches no
   * queue is returned, and the broker would otherwise confirm it all the same (a confirm only says the broker took
   * responsibility, and an unroutable message is dropped); then this rejects with a LogUnavailableError.
   */
  append(record: SyncRecord): Promise<void> {
    const messageId = `${record.epoch}:${record.lsn}:${++this.seq}`;
    return new Promise((resolve, reject) => {
      const body = Buffer.from(JSON.stringify(record));
      this.channel.sendToQueue(QUEUES.sync, body, { persistent: true, mandatory: true, messageId, contentType: 'application/json' }, (err) => {
        if (err) return reject(new Error(`syncQ did not confirm record lsn=${record.lsn}: ${String(err)}`));
        if (!this.returned.delete(messageId)) return resolve();
        reject(new LogUnavailableError(`the replication log (${QUEUES.sync}) is gone: the broker could not route record lsn=${record.lsn}; the write was not applied`));
      });
    });
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => undefined);
  }
}

/**
 * A record as read from the stream: valid (with its offset) or not (the offset still counts as consumed); `bytes` is
 * the size of its body, for the bounded log's accounting (log-bytes.ts).
 */
export type FollowedRecord = { offset: number; bytes: number; record: SyncRecord } | { offset: number; bytes: number; invalid: string };

export interface FollowOptions {
  /** Records delivered and not yet taken by their consumer (the replicator's queue). */
  backlog: () => number;
  /** Above this backlog no more credit is given: the broker stops sending until `release` finds room. */
  highWater: number;
}

export class SyncFollower {
  private consumerTag: string | undefined;
  /** Delivered records whose credit is withheld (not acked yet), oldest first. */
  private held: ConsumeMessage[] = [];
  private flow: FollowOptions = { backlog: () => 0, highWater: Infinity };
  private stopped = false;

  private constructor(private readonly channel: Channel) {}

  static async open(connection: ChannelModel, prefetch: number): Promise<SyncFollower> {
    const channel = await connection.createChannel();
    await channel.prefetch(prefetch);
    return new SyncFollower(channel);
  }

  /**
   * Delivers every record from `fromOffset` on, in stream order. Stream acks are credit, not deletion: a record is
   * acked once delivered while the consumer's backlog is under `flow.highWater`, so the flow keeps going while the
   * applier batches; above it the credit waits for `release`. Acking everything at once had a replica behind by a
   * million records hold them all in memory (600 MB).
   */
  async follow(fromOffset: number, onRecord: (r: FollowedRecord) => void, onCancelled: (queue: string) => void, flow?: FollowOptions): Promise<void> {
    if (flow) this.flow = flow;
    const { consumerTag } = await this.channel.consume(
      QUEUES.sync,
      (msg: ConsumeMessage | null) => {
        if (!msg) return onCancelled(QUEUES.sync);
        const offset = Number(msg.properties.headers?.['x-stream-offset']);
        const parsed = syncRecordSchema.safeParse(parseJson(msg));
        const bytes = msg.content.length;
        onRecord(parsed.success ? { offset, bytes, record: parsed.data } : { offset, bytes, invalid: parsed.error.message.slice(0, 200) });
        this.held.push(msg);
        this.release();
      },
      { noAck: false, arguments: { 'x-stream-offset': fromOffset } },
    );
    this.consumerTag = consumerTag;
  }

  /** Gives the broker credit for withheld records while the backlog is under the high-water mark. */
  release(): void {
    try {
      while (!this.stopped && this.held.length > 0 && this.flow.backlog() < this.flow.highWater) this.channel.ack(this.held.shift()!);
    } catch {
      // The channel closed under us: the worker's connection handlers end it; there is nothing left to credit.
      this.stopped = true;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.held = [];
    if (this.consumerTag) await this.channel.cancel(this.consumerTag).catch(() => undefined);
    this.consumerTag = undefined;
    await this.channel.close().catch(() => undefined);
  }
}
