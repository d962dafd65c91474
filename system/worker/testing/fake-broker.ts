import type { ChannelModel, ConsumeMessage } from '../../common/amqp/amqp';
import { QUEUES, type Reply, type SyncRecord } from '../../common/protocol/messages';
import type { FollowedRecord } from '../replication/sync-log';

/*
 * An in-memory stand-in for the two things the master role asks of RabbitMQ, for unit tests: syncQ as an append-only
 * stream (confirmed appends, followers that read it from an offset, asynchronously, like a broker delivers) and
 * writeQ (messages handed to its consumer, replies collected, acks counted). Everything else the worker uses of the
 * broker is left out on purpose: the integration suites run the real one.
 */
export class FakeBroker {
  readonly stream: SyncRecord[] = [];
  readonly replies: Array<{ correlationId: string; body: Reply }> = [];
  readonly acked: string[] = [];
  /** When false, appends are stored and confirmed but followers receive nothing (a stalled stream). */
  delivering = true;
  /** Runs when an append reaches the stream, before the broker confirms it (a test's moment "while in flight"). */
  beforeConfirm: () => void = () => undefined;
  /** When false, syncQ does not exist: a mandatory append is returned, then confirmed (what RabbitMQ does). */
  routable = true;
  private readonly followers = new Set<{ next: number; onRecord: (r: FollowedRecord) => void }>();
  private readonly consumers = new Map<string, { tag: string; onMessage: (msg: ConsumeMessage | null) => void }>();
  private tags = 0;

  /** Reads syncQ from `offset` on, in order (what SyncFollower does); `stop` ends it. */
  follow(offset: number, onRecord: (r: FollowedRecord) => void): { stop(): Promise<void> } {
    const follower = { next: offset, onRecord };
    this.followers.add(follower);
    this.pump();
    return { stop: async () => void this.followers.delete(follower) };
  }

  /** The old master's records, already in the stream when a test begins. */
  preload(...records: SyncRecord[]): void {
    this.stream.push(...records);
    this.pump();
  }

  resume(): void {
    this.delivering = true;
    this.pump();
  }

  consuming(queue: string): boolean {
    return this.consumers.has(queue);
  }

  /** Publishes a write request to writeQ, as the orchestrator does; throws when nobody consumes writeQ. */
  publishWrite(writeId: string, request: unknown): void {
    const consumer = this.consumers.get(QUEUES.write);
    if (!consumer) throw new Error('nobody consumes writeQ');
    const content = Buffer.from(JSON.stringify({ writeId, request }));
    consumer.onMessage({ content, properties: { replyTo: QUEUES.response, correlationId: writeId }, fields: { deliveryTag: writeId } } as unknown as ConsumeMessage);
  }

  private pump(): void {
    setImmediate(() => {
      if (!this.delivering) return;
      for (const f of this.followers) {
        while (f.next < this.stream.length && this.followers.has(f)) {
          const offset = f.next++;
          f.onRecord({ offset, bytes: JSON.stringify(this.stream[offset]).length, record: this.stream[offset] });
        }
      }
    });
  }

  /** The connection the worker code expects: confirm channels append to syncQ, plain channels consume writeQ. */
  get connection(): ChannelModel {
    const broker = this;
    const channel = {
      on: () => undefined,
      prefetch: async () => undefined,
      // The role servers declare their queues before consuming them (a deleted queue is declared again).
      assertExchange: async () => undefined,
      assertQueue: async (queue: string) => ({ queue, messageCount: 0, consumerCount: 0 }),
      bindQueue: async () => undefined,
      async consume(queue: string, onMessage: (msg: ConsumeMessage | null) => void) {
        const consumerTag = `c${++broker.tags}`;
        broker.consumers.set(queue, { tag: consumerTag, onMessage });
        return { consumerTag };
      },
      async cancel(tag: string) {
        for (const [queue, c] of broker.consumers) if (c.tag === tag) broker.consumers.delete(queue);
      },
      close: async () => undefined,
      ack: (msg: ConsumeMessage) => void broker.acked.push(String(msg.fields.deliveryTag)),
      sendToQueue(_queue: string, content: Buffer, options: { correlationId: string }) {
        broker.replies.push({ correlationId: options.correlationId, body: JSON.parse(content.toString()) as Reply });
        return true;
      },
    };
    const returns: Array<(msg: unknown) => void> = [];
    const confirmChannel = {
      on(event: string, handler: (msg: unknown) => void) {
        if (event === 'return') returns.push(handler);
      },
      sendToQueue(_queue: string, content: Buffer, options: { mandatory?: boolean; messageId?: string }, confirmed: (err: unknown) => void) {
        if (!broker.routable) {
          if (options.mandatory) for (const handler of returns) handler({ content, properties: { messageId: options.messageId } });
          setImmediate(() => confirmed(null));
          return true;
        }
        broker.stream.push(JSON.parse(content.toString()) as SyncRecord);
        broker.pump();
        broker.beforeConfirm();
        setImmediate(() => confirmed(null));
        return true;
      },
      close: async () => undefined,
    };
    return {
      createChannel: async () => channel,
      createConfirmChannel: async () => confirmChannel,
    } as unknown as ChannelModel;
  }
}
