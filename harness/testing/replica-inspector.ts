import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { controlQueue, replySchema, type ControlRequest, type OkReply } from '../../system/common/protocol/messages';
import type { ReadRequest } from '../../system/common/protocol/requests';

/*
 * Asks one particular replica directly, through its control queue: what rows it holds, and its table checksums.
 * This is how tests and checkers look at every replica instead of whichever slave readQ picks.
 */
export class ReplicaInspector {
  private readonly waiting = new Map<string, (r: OkReply | Error) => void>();

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
    private readonly replyQueue: string,
  ) {}

  static async connect(url: string): Promise<ReplicaInspector> {
    const connection = await amqp.connect(url);
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    const inspector = new ReplicaInspector(connection, channel, queue);
    await channel.consume(
      queue,
      (m) => {
        if (!m) return;
        const done = inspector.waiting.get(m.properties.correlationId);
        if (!done) return;
        inspector.waiting.delete(m.properties.correlationId);
        const parsed = replySchema.safeParse(JSON.parse(m.content.toString()));
        if (!parsed.success) done(new Error('malformed control reply'));
        else if (parsed.data.ok) done(parsed.data);
        else done(new Error(parsed.data.error.message));
      },
      { noAck: true },
    );
    return inspector;
  }

  ask(workerId: string, request: ControlRequest, timeoutMs = 5000): Promise<OkReply> {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`worker ${workerId} did not answer its control queue within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, (r) => {
        clearTimeout(timer);
        if (r instanceof Error) reject(r);
        else resolve(r);
      });
      this.channel.sendToQueue(controlQueue(workerId), Buffer.from(JSON.stringify(request)), { correlationId: id, replyTo: this.replyQueue });
    });
  }

  async rows(workerId: string, request: ReadRequest, timeoutMs?: number): Promise<Record<string, unknown>[]> {
    return (await this.ask(workerId, { cmd: 'read', request }, timeoutMs)).rows ?? [];
  }

  async checksum(workerId: string, timeoutMs?: number): Promise<{ lsn: number; tables: unknown[] }> {
    const r = await this.ask(workerId, { cmd: 'checksum' }, timeoutMs);
    return { lsn: r.lsn, tables: r.rows ?? [] };
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
