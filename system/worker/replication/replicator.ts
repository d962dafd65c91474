import { EventEmitter } from 'node:events';
import { ForeignKeyConstraintError, ValidationError, type Transaction } from 'sequelize';
import { ConflictError } from '../../common/errors/errors';
import type { Logger } from '../../common/logging/logger';
import type { SyncRecord } from '../../common/protocol/messages';
import { autoIncrementColumn } from '../../common/protocol/tables';
import type { AppliedOutcome, ReplicationState, WorkerDatabase } from '../storage/database';
import { applyWrite, insertMany } from '../storage/queries';
import type { FollowedRecord } from './sync-log';

/** Records applied per transaction at most; large batches make catch-up fast, small ones keep lag low. */
const MAX_BATCH = 2000;
/** Rows per multi-row INSERT when consecutive inserts are applied together. */
const INSERT_CHUNK = 250;

type InsertOp = Extract<SyncRecord['op'], { op: 'insert' }>;

/** A write refused by the data itself (key, reference, column rule), as opposed to a failure of the database. */
function isConstraintFailure(err: unknown): boolean {
  return err instanceof ConflictError || err instanceof ValidationError || err instanceof ForeignKeyConstraintError;
}

/** An insert can join a multi-row INSERT when it names its key (a master's record always does for keyed tables). */
function bulkInsertable(op: InsertOp): boolean {
  const key = autoIncrementColumn(op.table);
  return key === undefined || typeof op.values[key] === 'number';
}

/*
 * Applies syncQ records to the local database in stream order, exactly once, with the fencing rule:
 * - a record from an older epoch than the highest seen is ignored (it comes from a deposed master);
 * - a record whose LSN is not above the applied LSN, or whose writeId was applied, is skipped (a replay);
 * - the applied LSN, stream offset and epoch are stored in the same transaction as the change.
 * The master also reports its own commits here (`noteCommitted`), so that LSN waiters see one sequence.
 */
export class Replicator extends EventEmitter {
  private state: ReplicationState = { appliedLsn: 0, appliedOffset: -1, epoch: 0 };
  private pending: FollowedRecord[] = [];
  private draining = false;
  private sealed = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;

  constructor(
    private readonly db: WorkerDatabase,
    private readonly log: Logger,
    /** UNSAFE_SKIP_REPLICATION: consume records without applying their writes (the harness's broken build). */
    private readonly skipApply = false,
  ) {
    super();
    this.setMaxListeners(0);
  }

  async init(): Promise<void> {
    this.state = await this.db.replicationState();
  }

  get current(): Readonly<ReplicationState> {
    return this.state;
  }

  /** Offset to follow syncQ from: the one after the last record consumed. */
  get nextOffset(): number {
    return this.state.appliedOffset + 1;
  }

  enqueue(item: FollowedRecord): void {
    if (this.sealed) return;
    this.pending.push(item);
    if (!this.draining) void this.drain();
  }

  /**
   * Stops applying the stream (the worker became master and writes itself from now on): records still queued are
   * dropped and the call returns once no batch is in flight, so no stale batch can overwrite the master's state.
   */
  async seal(): Promise<void> {
    this.sealed = true;
    this.pending = [];
    await this.idle;
  }

  /** After the master committed a write of its own. */
  noteCommitted(lsn: number, epoch: number): void {
    this.state = { ...this.state, appliedLsn: lsn, epoch };
    this.emit('applied', this.state);
  }

  /** Resolves true once the applied LSN reaches `lsn`, false after `timeoutMs`. */
  waitForLsn(lsn: number, timeoutMs: number): Promise<boolean> {
    return this.waitFor(() => this.state.appliedLsn >= lsn, timeoutMs);
  }

  /** Resolves true once the epoch marker `writeId` has been consumed (applied or not), false after `timeoutMs`. */
  waitForMarker(writeId: string, timeoutMs: number): Promise<boolean> {
    let seen = false;
    const onRecord = (r: SyncRecord) => {
      if (r.writeId === writeId && r.op.op === 'epoch') seen = true;
    };
    this.on('record', onRecord);
    return this.waitFor(() => seen, timeoutMs).finally(() => this.off('record', onRecord));
  }

  private waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        cleanup();
        resolve(true);
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve(done());
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('applied', check);
      };
      this.on('applied', check);
    });
  }

  /*
   * Applies consecutive inserts into one table as multi-row INSERTs, in order: the same rows, keys included, as one
   * insert each, at a fraction of the cost (one statement per chunk instead of one ORM call per record), which is what
   * makes catch-up on a long log fast. A chunk that fails (a constraint: the replicas diverged) changes nothing, since
   * SQLite undoes the failed statement only, and its records are then applied one at a time as usual, each failure
   * logged on its own.
   */
  private async applyInserts(records: SyncRecord[], outcomes: Array<{ writeId: string; outcome: AppliedOutcome }>, t: Transaction): Promise<void> {
    for (let i = 0; i < records.length; i += INSERT_CHUNK) {
      const chunk = records.slice(i, i + INSERT_CHUNK);
      const ops = chunk.map((r) => r.op as InsertOp);
      let together = this.skipApply;
      if (!together && chunk.length > 1) {
        together = await insertMany(this.db, ops[0].table, ops.map((op) => op.values), t).then(
          () => true,
          (err) => {
            if (isConstraintFailure(err)) return false;
            throw err;
          },
        );
      }
      for (const r of chunk) {
        const op = r.op as InsertOp;
        let outcome: { changes: number; insertedId?: number | string } = { changes: 0 };
        if (together) {
          const key = autoIncrementColumn(op.table);
          if (!this.skipApply) outcome = { changes: 1, insertedId: key ? (op.values[key] as number) : undefined };
          outcomes.push({ writeId: r.writeId, outcome: { lsn: r.lsn, changes: outcome.changes, insertedId: outcome.insertedId, requestHash: r.requestHash } });
        } else {
          await this.applyOne(r, outcomes, t);
        }
      }
    }
  }

  /** Applies one record on its own and notes its outcome (none when UNSAFE_SKIP_REPLICATION is set). */
  private async applyOne(r: SyncRecord, outcomes: Array<{ writeId: string; outcome: AppliedOutcome }>, t: Transaction): Promise<void> {
    let outcome: { changes: number; insertedId?: number | string } = { changes: 0 };
    try {
      if (!this.skipApply) outcome = await applyWrite(this.db, r.op, t);
    } catch (err) {
      // Anything but a constraint (a busy or failing disk...) stops replication: the worker restarts and
      // replays from its last committed offset instead of recording the write as applied.
      if (!isConstraintFailure(err)) throw err;
      // Replicas apply the master's committed sequence; a constraint failure means they diverged. Say so loudly.
      this.log.error({ lsn: r.lsn, writeId: r.writeId, err: (err as Error).message }, 'a replicated write failed to apply');
    }
    outcomes.push({ writeId: r.writeId, outcome: { lsn: r.lsn, changes: outcome.changes, insertedId: outcome.insertedId, requestHash: r.requestHash } });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    this.idle = new Promise((resolve) => (this.markIdle = resolve));
    try {
      while (this.pending.length > 0 && !this.sealed) {
        const batch = this.pending.splice(0, MAX_BATCH);
        const seen: SyncRecord[] = [];
        const next = await this.db.transaction(async (t) => {
          const s = { ...this.state };
          // One lookup for the batch instead of one per record; writeIds applied within the batch join the set.
          const applied = await this.db.appliedWriteIds(
            batch.flatMap((item) => ('record' in item ? [item.record.writeId] : [])),
            t,
          );
          const outcomes: Array<{ writeId: string; outcome: AppliedOutcome }> = [];
          // Consecutive inserts into one table are held back and applied together (see applyInserts).
          const inserts: SyncRecord[] = [];
          const flush = () => this.applyInserts(inserts.splice(0), outcomes, t);
          for (const item of batch) {
            s.appliedOffset = item.offset;
            if ('invalid' in item) {
              this.log.error({ offset: item.offset, problem: item.invalid }, 'skipping an invalid syncQ record');
              continue;
            }
            const r = item.record;
            seen.push(r);
            if (r.epoch < s.epoch) {
              this.log.warn({ lsn: r.lsn, epoch: r.epoch, current: s.epoch, master: r.master }, 'ignoring a record from a deposed master');
              continue;
            }
            s.epoch = r.epoch;
            if (r.op.op === 'epoch' || r.lsn <= s.appliedLsn) continue;
            if (applied.has(r.writeId)) {
              s.appliedLsn = r.lsn;
              continue;
            }
            applied.add(r.writeId);
            s.appliedLsn = r.lsn;
            if (r.op.op === 'insert' && bulkInsertable(r.op)) {
              if (inserts.length > 0 && (inserts[0].op as InsertOp).table !== r.op.table) await flush();
              inserts.push(r);
              continue;
            }
            await flush();
            await this.applyOne(r, outcomes, t);
          }
          await flush();
          await this.db.recordWrites(outcomes, t);
          await this.db.saveReplicationState(s, t);
          return s;
        });
        this.state = next;
        for (const r of seen) this.emit('record', r);
        this.emit('applied', this.state);
      }
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'replication stopped: could not apply records');
      this.emit('failed', err);
    } finally {
      this.draining = false;
      this.markIdle();
    }
  }
}
