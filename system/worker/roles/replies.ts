import type { Channel, ConsumeMessage } from '../../common/amqp/amqp';
import { DbaasError } from '../../common/errors/errors';
import type { Reply } from '../../common/protocol/messages';

/** Sends a reply to the requester's queue; a message without replyTo or correlationId has nobody to answer. */
export function reply(channel: Channel, msg: ConsumeMessage, body: Reply): void {
  replyEncoded(channel, msg, Buffer.from(JSON.stringify(body)));
}

/** `reply` with a body already encoded (a read measures its answer before sending it). */
export function replyEncoded(channel: Channel, msg: ConsumeMessage, content: Buffer): void {
  const { replyTo, correlationId } = msg.properties;
  if (typeof replyTo !== 'string' || !replyTo || typeof correlationId !== 'string' || !correlationId) return;
  channel.sendToQueue(replyTo, content, { correlationId, contentType: 'application/json' });
}

export function errorReply(worker: number, err: unknown): Reply {
  if (err instanceof DbaasError) return { ok: false, worker, error: { code: err.code, message: err.message } };
  return { ok: false, worker, error: { code: 'internal', message: 'the worker failed to process the request' } };
}
