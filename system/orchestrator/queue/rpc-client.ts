import { randomUUID } from 'node:crypto';
import type { ConfirmChannel } from 'amqplib';
import { assertRequestQueues, connectAmqp, parseJson, type ChannelModel, type ConsumeMessage } from '../../common/amqp/amqp';
import { DbaasError, TimeoutError, UnavailableError } from '../../common/errors/errors';
import type { Logger } from '../../common/logging/logger';
import { QUEUES, REQUESTS_EXCHANGE, controlQueue, replySchema, type ControlRequest, type OkReply, type WriteMessage } from '../../common/protocol/messages';
import type { ReadRequest } from '../../common/protocol/requests';
import { constantBackoff } from '../../common/retry/backoff';
import { retry } from '../../common/retry/retry';

export interface RpcClientOptions {
  url: string;
  /** How long a request waits for its reply before it fails with 504. */
  timeoutMs: number;
  /** Default: DEFAULT_HEARTBEAT_S. */
  heartbeatS?: number;
  log: Logger;
}

interface Pending {
  resolve: (reply: OkReply) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/*
 * The orchestrator's side of the queues: it publishes reads to readQ, writes to writeQ and control requests to a
 * worker's own queue, all through the requests exchange (with publisher confirms; its broker user may not publish
 * through the default exchange, nor touch syncQ), each with a correlation id and replyTo=responseQ, and matches the
 * replies that come back on responseQ.
 * It reconnects by itself when the broker goes away; requests in flight then fail with 503 or 504.
 */
export class RpcClient {
  private connection: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private readonly pending = new Map<string, Pending>();
  private closed = false;
  private connecting: Promise<void> | undefined;

  constructor(private readonly o: RpcClientOptions) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private connect(): Promise<void> {
    this.connecting ??= (async () => {
      const connection = await connectAmqp(this.o.url, this.o.log, 60000, this.o.heartbeatS);
      connection.on('error', (err: Error) => this.o.log.warn({ err: err.message }, 'RabbitMQ connection error'));
      connection.on('close', () => {
        this.connection = undefined;
        this.channel = undefined;
        if (!this.closed) {
          this.o.log.warn('lost the RabbitMQ connection; reconnecting');
          void this.reconnect();
        }
      });
      const channel = await connection.createConfirmChannel();
      channel.on('error', (err: Error) => this.o.log.warn({ err: err.message }, 'RabbitMQ channel error'));
      // Requests are mandatory: one that reaches no queue (readQ or writeQ deleted, until a worker declares it again;
      // a control queue of a worker that is gone) comes back here, and fails at once instead of timing out.
      channel.on('return', (msg: ConsumeMessage) => this.onReturned(msg.properties.correlationId, msg.fields.routingKey));
      await assertRequestQueues(channel);
      // responseQ is ours alone; replies to requests that timed out may still be there from before a restart.
      await channel.purgeQueue(QUEUES.response);
      await channel.consume(
        QUEUES.response,
        (msg) => {
          if (msg) return this.onReply(msg.properties.correlationId, parseJson(msg));
          // The broker cancelled our consumer (responseQ deleted, say): start over on a new connection, which
          // declares the queues again; requests in flight time out as they would on a lost connection.
          this.o.log.warn('the broker cancelled the responseQ consumer; reconnecting');
          void connection.close().catch(() => undefined);
        },
        { noAck: true },
      );
      this.connection = connection;
      this.channel = channel;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Until connected again or closed; a steady pause, since the orchestrator is useless until the broker is back. */
  private async reconnect(): Promise<void> {
    if (this.closed || this.channel) return;
    await retry(() => this.connect(), {
      backoff: constantBackoff(500),
      cancelled: () => this.closed || this.channel !== undefined,
      onRetry: (err) => this.o.log.warn({ err: (err as Error).message }, 'reconnect failed; retrying'),
    }).then(
      () => this.o.log.info('reconnected to RabbitMQ'),
      () => undefined, // closed meanwhile (or connected by another caller): nothing left to do
    );
  }

  private onReturned(correlationId: unknown, queue: string): void {
    if (typeof correlationId !== 'string') return;
    const waiting = this.pending.get(correlationId);
    if (!waiting) return;
    this.pending.delete(correlationId);
    clearTimeout(waiting.timer);
    this.o.log.info({ queue }, 'a request reached no queue: the broker returned it');
    waiting.reject(new UnavailableError(`no queue ${queue} on the broker (deleted, or its worker is gone): the request was not delivered, nothing was done; retry shortly`));
  }

  private onReply(correlationId: unknown, body: unknown): void {
    if (typeof correlationId !== 'string') return;
    const waiting = this.pending.get(correlationId);
    if (!waiting) return;
    this.pending.delete(correlationId);
    clearTimeout(waiting.timer);
    const parsed = replySchema.safeParse(body);
    if (!parsed.success) return waiting.reject(new DbaasError('internal', 'a worker sent a malformed reply'));
    const reply = parsed.data;
    if (reply.ok) waiting.resolve(reply);
    else waiting.reject(new DbaasError(reply.error.code, reply.error.message));
  }

  private call(queue: string, body: unknown, what: string, timeoutMs = this.o.timeoutMs): Promise<OkReply> {
    const channel = this.channel;
    if (!channel) return Promise.reject(new UnavailableError('the message broker is not reachable right now; retry shortly'));
    const correlationId = randomUUID();
    return new Promise<OkReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new TimeoutError(`no worker answered the ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(correlationId, { resolve, reject, timer });
      channel.publish(
        REQUESTS_EXCHANGE,
        queue,
        Buffer.from(JSON.stringify(body)),
        {
          correlationId,
          replyTo: QUEUES.response,
          contentType: 'application/json',
          persistent: queue === QUEUES.write,
          mandatory: true,
          // A read nobody waits for any more is dropped by the broker instead of being served late. Writes have no
          // TTL: once published they must be applied exactly once, even after their caller gave up.
          ...(queue === QUEUES.write ? {} : { expiration: String(timeoutMs) }),
        },
        (err) => {
          if (!err) return;
          const waiting = this.pending.get(correlationId);
          if (!waiting) return;
          this.pending.delete(correlationId);
          clearTimeout(waiting.timer);
          waiting.reject(new UnavailableError(`the broker did not accept the ${what}`));
        },
      );
    });
  }

  read(request: ReadRequest): Promise<OkReply> {
    return this.call(QUEUES.read, request, 'read');
  }

  write(request: Omit<WriteMessage, 'writeId'> & { writeId?: string }): Promise<OkReply> {
    const writeId = request.writeId ?? randomUUID();
    return this.call(QUEUES.write, { writeId, request: request.request }, 'write');
  }

  /** Asks one worker directly (its control queue): checksums, or a read on that replica. */
  control(workerId: string, request: ControlRequest, timeoutMs?: number): Promise<OkReply> {
    return this.call(controlQueue(workerId), request, `control request to worker ${workerId}`, timeoutMs);
  }

  get connected(): boolean {
    return this.channel !== undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new UnavailableError('the orchestrator is shutting down'));
      this.pending.delete(id);
    }
    await this.connection?.close().catch(() => undefined);
  }
}
