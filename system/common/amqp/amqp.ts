import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { QUEUES, REQUESTS_EXCHANGE, SNAPSHOT_QUEUE } from '../protocol/messages';
import type { Logger } from '../logging/logger';
import { linearBackoff } from '../retry/backoff';
import { retry } from '../retry/retry';

export type { Channel, ChannelModel, ConsumeMessage };

/** Heartbeats let both sides notice a dead peer (a killed or paused process, a cut link) within a few seconds. The
 * orchestrator's connection uses this; workers use WORKER_AMQP_HEARTBEAT_S. */
export const DEFAULT_HEARTBEAT_S = 5;

/** The URL with `heartbeat=<s>` unless it names one itself (an operator's URL wins). */
export function withHeartbeat(url: string, heartbeatS: number): string {
  if (/[?&]heartbeat=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}heartbeat=${heartbeatS}`;
}

/**
 * Connects to RabbitMQ, retrying for up to `timeoutMs` (the broker may still be starting). `heartbeatS`
 * (workers: WORKER_AMQP_HEARTBEAT_S): amqplib closes the connection when the broker sent nothing for two heartbeats, which is how a
 * part cut from the broker finds out (TCP alone would wait for minutes).
 */
export async function connectAmqp(url: string, log: Logger, timeoutMs = 30000, heartbeatS = DEFAULT_HEARTBEAT_S): Promise<ChannelModel> {
  // TCP_NODELAY: with Nagle's algorithm a small frame sent right behind another (an ack after a reply) waits for
  // the peer's delayed ACK, which added up to 40 ms to every request/response over the broker.
  // A handshake that neither completes nor fails (a link that swallows the bytes, a broker that accepted the TCP
  // connection and never answered) is abandoned after two heartbeats' time, at least 5 s, and tried again: amqplib
  // alone would wait forever, and a worker stuck there never registers.
  const handshakeMs = Math.max(5000, 2 * heartbeatS * 1000);
  return retry(() => amqp.connect(withHeartbeat(url, heartbeatS), { noDelay: true, timeout: handshakeMs }), {
    backoff: linearBackoff(100, 1000),
    timeoutMs,
    onRetry: (err, attempt) => log.warn({ attempt, err: (err as Error).message }, 'RabbitMQ not reachable yet, retrying'),
  });
}

/**
 * Declares what carries requests and replies: the requests exchange, readQ, writeQ and responseQ, with readQ and
 * writeQ bound to the exchange. The orchestrator and every worker declare them the same way, so whoever comes first
 * creates them, nobody trips over a mismatch, and a queue deleted and declared again by a worker is bound again.
 */
export async function assertRequestQueues(channel: Channel): Promise<void> {
  await channel.assertExchange(REQUESTS_EXCHANGE, 'direct', { durable: true });
  for (const queue of [QUEUES.write, QUEUES.read]) {
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, REQUESTS_EXCHANGE, queue);
  }
  await channel.assertQueue(QUEUES.response, { durable: true });
}

/** Retention of a stream: its size bound and the size of the segment files retention drops whole. */
export interface StreamRetention {
  maxBytes: number;
  segmentBytes: number;
}

function assertStream(channel: Channel, name: string, r: StreamRetention): Promise<unknown> {
  return channel.assertQueue(name, {
    durable: true,
    arguments: { 'x-queue-type': 'stream', 'x-max-length-bytes': r.maxBytes, 'x-stream-max-segment-size-bytes': r.segmentBytes },
  });
}

/** Declares syncQ, the replication log (a stream): workers only; the orchestrator has no right to it. */
export async function assertSyncQueue(channel: Channel, retention: StreamRetention): Promise<void> {
  await assertStream(channel, QUEUES.sync, retention);
}

/** Declares snapshotQ, the stream of database snapshots (see worker/snapshots): workers only. */
export async function assertSnapshotQueue(channel: Channel, retention: StreamRetention): Promise<void> {
  await assertStream(channel, SNAPSHOT_QUEUE, retention);
}

/**
 * Makes the broker's closing of `channel` fatal. A channel the broker closed (a message over its max_message_size, a
 * precondition failed...) consumes and sends nothing more; a worker that looks ready but serves nothing is worse than
 * one that stops and is replaced. Returns the owner's own close, which is no loss.
 */
export function guardChannel(channel: Channel, what: string, onLost: (reason: string) => void): () => Promise<void> {
  let closing = false;
  let lastError: string | undefined;
  channel.on('error', (err: Error) => (lastError = err.message));
  channel.on('close', () => {
    if (!closing) onLost(`the broker closed the ${what} channel${lastError ? `: ${lastError}` : ''}`);
  });
  return async () => {
    closing = true;
    await channel.close().catch(() => undefined);
  };
}

/** Parses a message body as JSON; undefined when it is not JSON. */
export function parseJson(msg: ConsumeMessage): unknown {
  try {
    return JSON.parse(msg.content.toString('utf8'));
  } catch {
    return undefined;
  }
}
