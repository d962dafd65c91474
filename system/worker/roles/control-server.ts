import { guardChannel, parseJson, type Channel, type ChannelModel, type ConsumeMessage } from '../../common/amqp/amqp';
import { ValidationError } from '../../common/errors/errors';
import { REQUESTS_EXCHANGE, controlQueue, controlRequestSchema } from '../../common/protocol/messages';
import { describeIssues } from '../../common/protocol/requests';
import type { Replicator } from '../replication/replicator';
import type { WorkerDatabase } from '../storage/database';
import { runRead } from '../storage/queries';
import { errorReply, reply } from './replies';


/*
 * A worker's own inspection queue (worker.<id>), so that the orchestrator and the harness can ask one particular
 * replica for its applied LSN or table checksums or run a read on it, whatever its role. Read-only by construction.
 */
export class ControlServer {
  private channel: Channel | undefined;
  private closeChannel: (() => Promise<void>) | undefined;

  constructor(
    private readonly id: string,
    private readonly pid: number,
    private readonly db: WorkerDatabase,
    private readonly replicator: Replicator,
  ) {}

  /** `onLost`: the broker cancelled the consumer or closed the channel; the worker must stop. */
  async start(connection: ChannelModel, onLost: (reason: string) => void): Promise<void> {
    this.channel = await connection.createChannel();
    const queue = controlQueue(this.id);
    this.closeChannel = guardChannel(this.channel, queue, onLost);
    await this.channel.assertQueue(queue, { exclusive: true, autoDelete: true });
    // The orchestrator reaches it through the requests exchange (it may not publish through the default one).
    await this.channel.assertExchange(REQUESTS_EXCHANGE, 'direct', { durable: true });
    await this.channel.bindQueue(queue, REQUESTS_EXCHANGE, queue);
    await this.channel.consume(queue, (msg) => (msg ? void this.handle(msg) : onLost(`the broker cancelled our consumer of ${queue}`)), { noAck: true });
  }

  private async handle(msg: ConsumeMessage): Promise<void> {
    const channel = this.channel;
    if (!channel) return;
    try {
      const parsed = controlRequestSchema.safeParse(parseJson(msg));
      if (!parsed.success) throw new ValidationError(`invalid control message: ${describeIssues(parsed.error)}`);
      const lsn = this.replicator.current.appliedLsn;
      if (parsed.data.cmd === 'lsn') {
        reply(channel, msg, { ok: true, worker: this.pid, lsn });
      } else if (parsed.data.cmd === 'checksum') {
        const sums = await this.db.checksum();
        reply(channel, msg, { ok: true, worker: this.pid, lsn, rows: Object.entries(sums).map(([table, s]) => ({ table, ...s })) });
      } else {
        reply(channel, msg, { ok: true, worker: this.pid, lsn, rows: await runRead(this.db, parsed.data.request) });
      }
    } catch (err) {
      reply(channel, msg, errorReply(this.pid, err));
    }
  }

  async stop(): Promise<void> {
    await this.closeChannel?.();
    this.channel = undefined;
  }
}
