import { z } from 'zod';
import { ERROR_CODES } from '../errors/errors';
import { readRequestSchema, writeIdSchema, writeRequestSchema } from './requests';

/*
 * Everything that travels on the four queues, validated with these schemas by sender and receiver alike.
 * readQ carries a ReadRequest, writeQ a WriteEnvelope, responseQ a Reply, syncQ a SyncRecord.
 */

export const QUEUES = {
  read: 'readQ',
  write: 'writeQ',
  response: 'responseQ',
  sync: 'syncQ',
} as const;

/** The stream of database snapshots: chunks of SQLite files, indexed in ZooKeeper (worker/snapshots). Workers only. */
export const SNAPSHOT_QUEUE = 'snapshotQ';

/**
 * The direct exchange the orchestrator publishes every request through (routing key = the queue's name): readQ,
 * writeQ and each worker's control queue are bound to it. A named exchange is what lets the broker's permissions tell
 * the orchestrator's requests apart from syncQ appends, which go through the default exchange (see README, Credentials).
 */
export const REQUESTS_EXCHANGE = 'dbaas.requests';

export const readMessageSchema = readRequestSchema;

const clearOpSchema = z.object({ op: z.literal('clear') }).strict();

export const writeMessageSchema = z
  .object({
    writeId: writeIdSchema,
    request: z.union([writeRequestSchema, clearOpSchema]),
  })
  .strict();
export type WriteMessage = z.infer<typeof writeMessageSchema>;

const errorCodeSchema = z.enum(ERROR_CODES);

export const replySchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    worker: z.number().int(),
    lsn: z.number().int().min(0),
    rows: z.array(z.record(z.string(), z.unknown())).optional(),
    changes: z.number().int().min(0).optional(),
    insertedId: z.union([z.number(), z.string()]).optional(),
    duplicate: z.boolean().optional(),
  }),
  z.object({
    ok: z.literal(false),
    worker: z.number().int(),
    error: z.object({ code: errorCodeSchema, message: z.string() }),
  }),
]);
export type Reply = z.infer<typeof replySchema>;
export type OkReply = Extract<Reply, { ok: true }>;

/*
 * The marker a new master appends before it takes writes; it changes no data. It names the log (`logId`, a random id
 * the first master chose) so that a replica can tell a recreated syncQ from the one it applied; the first master's
 * marker is the log's `genesis`, and a replica rebuilding from nothing must start there. The record's `master` is the
 * only writer whose records count in this epoch.
 */
export const epochMarkerSchema = z
  .object({ op: z.literal('epoch'), logId: z.string().min(1).max(64), genesis: z.literal(true).optional() })
  .strict();
export type EpochMarker = z.infer<typeof epochMarkerSchema>;

/*
 * One committed write in the replication log. `op` is the write as the master applied it: an insert carries the
 * key the master assigned, so that every replica stores the same row. `epoch` fences masters: a record from an
 * older epoch than one already seen is ignored. LSNs are contiguous within the log (see replication/log-rules.ts).
 */
export const syncOpSchema = z.union([writeRequestSchema, clearOpSchema, epochMarkerSchema]);
export type SyncOp = z.infer<typeof syncOpSchema>;

export const syncRecordSchema = z
  .object({
    lsn: z.number().int().min(0),
    epoch: z.number().int().min(0),
    writeId: z.string().min(1).max(128),
    /** requestHash of the write as requested: replicas keep it with the outcome, for a later master's writeId check. */
    requestHash: z.string().max(64).optional(),
    master: z.number().int(),
    op: syncOpSchema,
  })
  .strict();
export type SyncRecord = z.infer<typeof syncRecordSchema>;

/** A worker's own inspection queue (checksums, reads on that replica), exclusive to it. */
export const controlQueue = (workerId: string) => `worker.${workerId}`;

export const controlRequestSchema = z.discriminatedUnion('cmd', [
  z.object({ cmd: z.literal('lsn') }).strict(),
  z.object({ cmd: z.literal('checksum') }).strict(),
  z.object({ cmd: z.literal('read'), request: readRequestSchema }).strict(),
]);
export type ControlRequest = z.infer<typeof controlRequestSchema>;
