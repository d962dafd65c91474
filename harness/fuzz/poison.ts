import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { QUEUES, controlQueue, writeMessageSchema } from '../../system/common/protocol/messages';
import { anyJson, badJsonText, deepValue } from './hostile-values';
import { readBody, writeBody } from './requests';

/*
 * Poison messages for the queues: not JSON, wrong shapes, huge, odd properties, correlation ids nobody waits for.
 * readQ, writeQ, responseQ and every worker's control queue get them. syncQ does not: it is the replication log, and a
 * forged record there is meant to stop the system (docs/write-path.md, "What the log guarantees").
 * No poison is a valid write message, so none changes a row; replies go to a queue of the fuzzer's own (or nowhere),
 * never to syncQ.
 */

export type QueueKind = 'readQ' | 'writeQ' | 'responseQ' | 'control';

export interface PoisonMessage {
  queue: QueueKind;
  content: Buffer;
  correlationId?: string;
  /** 'own': the fuzzer's reply queue; 'response': responseQ (the orchestrator's); 'none': no replyTo; else that name. */
  replyTo: 'own' | 'response' | 'none' | 'missing-queue';
  contentType?: string;
}

const content = (shapes: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 5, arbitrary: shapes.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
    { weight: 2, arbitrary: badJsonText.map((t) => Buffer.from(t)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.constantFrom(200_000, 2_000_000).map((n) => Buffer.from(JSON.stringify({ table: 'users', where: { username: 'z'.repeat(n) } }))) },
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
  );

const replyShape = fc.oneof(
  fc.record({ ok: fc.oneof(fc.boolean(), anyJson), worker: anyJson, lsn: anyJson, rows: anyJson, error: anyJson }, { requiredKeys: [] }),
  anyJson,
);

const controlShape = fc.oneof(
  fc.record({ cmd: fc.oneof(fc.constantFrom('lsn', 'checksum', 'read', 'write', 'clear', 'stop', 'exit'), anyJson), request: readBody, extra: anyJson }, { requiredKeys: [] }),
  deepValue,
  anyJson,
);

/** A write message that is certainly not valid (a valid one gets a field the schema refuses). */
const writeShape = fc
  .oneof(fc.record({ writeId: anyJson, request: writeBody }, { requiredKeys: [] }), fc.record({ writeId: fc.constant('fuzz-ok-id'), request: fc.constant({ op: 'clear', extra: 1 }) }), anyJson)
  .map((m) => (writeMessageSchema.safeParse(m).success ? { ...(m as object), fuzzBreaksThis: true } : m));

const correlationId = fc.oneof(
  fc.constant(undefined),
  fc.constant('').map(() => ''),
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('x'.repeat(255)),
);

export function poisonMessage(): fc.Arbitrary<PoisonMessage> {
  const m = (queue: QueueKind, shapes: fc.Arbitrary<unknown>) =>
    fc
      .record({
        content: content(shapes),
        correlationId,
        replyTo: fc.constantFrom<PoisonMessage['replyTo']>('own', 'own', 'response', 'none', 'missing-queue'),
        contentType: fc.option(fc.constantFrom('application/json', 'text/plain', 'application/octet-stream'), { nil: undefined }),
      })
      .map((p): PoisonMessage => ({ queue, ...p }));
  return fc.oneof(m('readQ', readBody), m('writeQ', writeShape), m('responseQ', replyShape), m('control', controlShape));
}

/** Whether a poison message could be a write the master would apply (the generator must never make one). */
export function isValidWriteMessage(p: PoisonMessage): boolean {
  if (p.queue !== 'writeQ') return false;
  try {
    return writeMessageSchema.safeParse(JSON.parse(p.content.toString('utf8'))).success;
  } catch {
    return false;
  }
}

/** The queue a poison message goes to, given the workers' ids (control queues) and its index. */
export function queueName(p: PoisonMessage, workerIds: string[], i: number): string {
  if (p.queue === 'control') return controlQueue(workerIds[i % workerIds.length]);
  return { readQ: QUEUES.read, writeQ: QUEUES.write, responseQ: QUEUES.response }[p.queue];
}

export const missingQueue = () => `fuzz-missing-${randomUUID()}`;
