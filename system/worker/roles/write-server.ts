import { assertRequestQueues, guardChannel, parseJson, type Channel, type ChannelModel, type ConsumeMessage } from '../../common/amqp/amqp';
import { ConflictError, DbaasError, ValidationError } from '../../common/errors/errors';
import type { Logger } from '../../common/logging/logger';
import { QUEUES, writeMessageSchema, type SyncRecord, type WriteMessage } from '../../common/protocol/messages';
import { describeIssues, requestHash } from '../../common/protocol/requests';
import type { ZkLease } from '../coordination/lease';
import type { Replicator } from '../replication/replicator';
import { LogFullError } from '../replication/log-budget';
import { LogUnavailableError, type SyncPublisher } from '../replication/sync-log';
import type { WriteResult } from '../../common/protocol/write-result';
import type { WorkerDatabase } from '../storage/database';
import { applyWrite } from '../storage/queries';
import { errorReply, reply } from './replies';

export interface WriteServerOptions {
  db: WorkerDatabase;
  /** Told of every commit, so that LSN waiters and the /workers entry follow the master's own writes. */
  replicator: Replicator;
  /** Appends to syncQ with publisher confirms (mandatory: an append that reaches no queue fails). */
  publisher: Pick<SyncPublisher, 'append'>;
  /** Resolves once an appended record has been read back from syncQ in its place (the master's own-log audit). */
  readBack: (record: SyncRecord) => Promise<void>;
  /** Checked before and after every group: a write counts only while this worker is certainly the master. */
  lease: Pick<ZkLease, 'valid'>;
  /** The bounded log (log-budget.ts): rejects with LogFullError when these requests' records would not fit. Default: no bound. */
  admit?: (requestBytes: number[]) => Promise<void>;
  /** Reported in every reply. */
  pid: number;
  /** This master's epoch, carried by every record it appends. */
  epoch: number;
  /** Messages the master may hold unacknowledged; they are applied in order, in groups (see below). Default 64. */
  prefetch?: number;
  /** Most writes committed together in one transaction (group commit). Default 64. */
  maxGroup?: number;
  /** Called once when the write path fails (fenced or broken): the worker must stop at once, without answering. */
  onFatal: (err: Error) => void;
  log: Logger;
}

export const WRITE_SERVER_DEFAULTS = { prefetch: 64, maxGroup: 64 } as const;

/** Raised when the master can no longer prove it is the master; the worker must stop at once. */
export class FencedError extends Error {}

/** The answer to one write message: its result (`duplicate` when a redelivery is answered from the stored one), or why it was refused. */
type Result = { ok: WriteResult & { duplicate?: boolean } } | { refused: DbaasError };
interface Item {
  msg: ConsumeMessage;
  message: WriteMessage;
}

/*
 * The master's side of writeQ. Writes are applied in a local transaction, appended to syncQ and confirmed by the
 * broker, and only then committed, answered and acked. If anything between the append and the answer fails, the
 * worker exits without answering: the writeQ messages go back to the queue for the next master, whose writeId check
 * makes the retry harmless.
 * Group commit: the writes waiting when a transaction starts (up to maxGroup) share it, in arrival order, with one
 * wait for the broker's confirms and one commit. A write refused by a constraint changes nothing (SQLite undoes the
 * failed statement), takes no LSN and is answered with its error: the same outcomes as one write at a time.
 */
export class WriteServer {
  private channel: Channel | undefined;
  private closeChannel: (() => Promise<void>) | undefined;
  private consumerTag: string | undefined;
  private pending: ConsumeMessage[] = [];
  private draining: Promise<void> | undefined;

  private readonly db: WorkerDatabase;
  private readonly replicator: Replicator;
  private readonly publisher: Pick<SyncPublisher, 'append'>;
  private readonly readBack: (record: SyncRecord) => Promise<void>;
  private readonly lease: Pick<ZkLease, 'valid'>;
  private readonly admit: (requestBytes: number[]) => Promise<void>;
  private readonly options: { pid: number; epoch: number; prefetch: number; maxGroup: number };
  private readonly onFatal: (err: Error) => void;
  private readonly log: Logger;

  constructor(o: WriteServerOptions) {
    this.db = o.db;
    this.replicator = o.replicator;
    this.publisher = o.publisher;
    this.readBack = o.readBack;
    this.lease = o.lease;
    this.admit = o.admit ?? (async () => undefined);
    this.options = {
      pid: o.pid,
      epoch: o.epoch,
      prefetch: o.prefetch ?? WRITE_SERVER_DEFAULTS.prefetch,
      maxGroup: o.maxGroup ?? WRITE_SERVER_DEFAULTS.maxGroup,
    };
    this.onFatal = o.onFatal;
    this.log = o.log;
  }

  /** `onLost`: the broker cancelled the consumer or closed the channel; the worker must stop. */
  async start(connection: ChannelModel, onLost: (reason: string) => void): Promise<void> {
    this.channel = await connection.createChannel();
    this.closeChannel = guardChannel(this.channel, QUEUES.write, onLost);
    // writeQ may have been deleted since this worker declared it at start (an operator's mistake): consuming a missing
    // queue would close the channel and stop this new master too, and the next, until a fresh worker declares it.
    await assertRequestQueues(this.channel);
    await this.channel.prefetch(this.options.prefetch);
    const { consumerTag } = await this.channel.consume(
      QUEUES.write,
      (msg) => {
        if (!msg) return onLost(`the broker cancelled our consumer of ${QUEUES.write}`);
        this.pending.push(msg);
        if (!this.draining) this.draining = this.drain();
      },
      { noAck: false },
    );
    this.consumerTag = consumerTag;
  }

  private async drain(): Promise<void> {
    let failed = false;
    // Yield first, so that `draining` is assigned before the loop can finish and reset it.
    await Promise.resolve();
    try {
      while (this.pending.length > 0 && this.channel && !failed) {
        const group = this.takeGroup();
        if (group.length === 0) continue;
        try {
          const results = await this.apply(group);
          for (const [i, { msg }] of group.entries()) this.answer(msg, results[i]);
        } catch (err) {
          failed = true;
          // syncQ is gone: nothing of the group was committed or kept. Say so (503) rather than leave the callers to
          // time out, and ack: the refusal is the answer, the writes must not be applied later by another master.
          if (err instanceof LogUnavailableError) for (const { msg } of group) this.answer(msg, { refused: err });
          this.log.error({ err: (err as Error).message, epoch: this.options.epoch }, 'write path failed; stopping this master');
          this.onFatal(err as Error);
        }
      }
    } finally {
      // Reset in the same turn as the last check of `pending`: a message arriving later starts a new drain.
      this.draining = undefined;
    }
  }

  /** The next writes to commit together: invalid messages are answered at once; a writeId seen twice waits a turn. */
  private takeGroup(): Item[] {
    const group: Item[] = [];
    const ids = new Set<string>();
    while (this.pending.length > 0 && group.length < this.options.maxGroup) {
      const msg = this.pending[0];
      const parsed = writeMessageSchema.safeParse(parseJson(msg));
      if (!parsed.success) {
        this.pending.shift();
        this.answer(msg, { refused: new ValidationError(`invalid write message: ${describeIssues(parsed.error)}`) });
        continue;
      }
      // A retry of a write in this very group is answered from its stored outcome, after the group commits.
      if (ids.has(parsed.data.writeId)) break;
      this.pending.shift();
      ids.add(parsed.data.writeId);
      group.push({ msg, message: parsed.data });
    }
    return group;
  }

  private answer(msg: ConsumeMessage, result: Result): void {
    const channel = this.channel;
    if (!channel) return;
    if ('ok' in result) reply(channel, msg, { ok: true, worker: this.options.pid, ...result.ok });
    else reply(channel, msg, errorReply(this.options.pid, result.refused));
    channel.ack(msg);
  }

  private async apply(group: Item[]): Promise<Result[]> {
    const results: Array<Result | undefined> = [];
    const fresh: number[] = [];
    const redelivered = await this.db.appliedWriteIds(group.map((item) => item.message.writeId));
    for (const [i, { message }] of group.entries()) {
      const already = redelivered.has(message.writeId) ? await this.db.appliedWrite(message.writeId) : undefined;
      if (already === undefined) fresh.push(i);
      else if (already.requestHash !== undefined && already.requestHash !== requestHash(message.request)) {
        // The writeId names another write: answering with that write's outcome would acknowledge what never happened.
        results[i] = { refused: new ConflictError(`writeId ${message.writeId} was used for a different write (LSN ${already.lsn}); a writeId names one write`) };
      } else {
        // A redelivered write (its master died before acking it) is answered as the first time, from the stored outcome.
        const { requestHash: _stored, ...outcome } = already;
        results[i] = { ok: { ...outcome, duplicate: true } };
      }
    }
    if (fresh.length === 0) return results as Result[];
    try {
      await this.admit(fresh.map((i) => group[i].msg.content.length));
    } catch (err) {
      // The log has no room: refuse the new writes (503, nothing applied); redeliveries above are still answered.
      if (!(err instanceof LogFullError)) throw err;
      for (const i of fresh) results[i] = { refused: err };
      return results as Result[];
    }
    if (!this.lease.valid()) throw new FencedError('ZooKeeper lease lapsed before the write');
    const state = this.replicator.current;
    const { epoch, pid } = this.options;
    let lsn = state.appliedLsn;
    await this.db.transaction(async (t) => {
      const appends: Promise<void>[] = [];
      const outcomes: Array<{ writeId: string; outcome: WriteResult }> = [];
      for (const i of fresh) {
        const { writeId, request } = group[i].message;
        let result;
        try {
          result = await applyWrite(this.db, request, t);
        } catch (err) {
          if (!(err instanceof DbaasError)) throw err;
          results[i] = { refused: err };
          continue;
        }
        lsn += 1;
        const hash = requestHash(request);
        outcomes.push({ writeId, outcome: { lsn, changes: result.changes, insertedId: result.insertedId, requestHash: hash } });
        const record: SyncRecord = { lsn, epoch, writeId, requestHash: hash, master: pid, op: result.resolved };
        // Kept means confirmed by the broker and read back in its place (no forged record before it).
        const readBack = this.readBack(record);
        const appended = Promise.all([this.publisher.append(record), readBack]).then(() => undefined);
        readBack.catch(() => undefined);
        // Handled here too: if a later write of the group throws first, the worker stops; no rejection goes unheard.
        appended.catch(() => undefined);
        appends.push(appended);
        results[i] = { ok: { lsn, changes: result.changes, ...(result.insertedId !== undefined ? { insertedId: result.insertedId } : {}) } };
      }
      if (appends.length === 0) return;
      await this.db.recordWrites(outcomes, t);
      await this.db.saveReplicationState({ ...state, appliedLsn: lsn, epoch }, t);
      await Promise.all(appends);
      // The records are in the log; they count only if they were appended while this worker was certainly the master.
      if (!this.lease.valid()) throw new FencedError('ZooKeeper lease lapsed while the writes were in flight');
    });
    if (lsn > state.appliedLsn) this.replicator.noteCommitted(lsn, epoch);
    return results as Result[];
  }

  async stop(): Promise<void> {
    if (!this.channel) return;
    if (this.consumerTag) await this.channel.cancel(this.consumerTag).catch(() => undefined);
    await this.draining;
    await this.closeChannel?.();
    this.channel = undefined;
  }
}
