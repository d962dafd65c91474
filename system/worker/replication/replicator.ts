import { EventEmitter } from 'node:events';
import { ForeignKeyConstraintError, ValidationError, type Transaction } from 'sequelize';
import { ConflictError } from '../../common/errors/errors';
import type { Logger } from '../../common/logging/logger';
import type { SyncRecord } from '../../common/protocol/messages';
import { autoIncrementColumn } from '../../common/protocol/tables';
import type { WriteResult } from '../../common/protocol/write-result';
import { EMPTY_REPLICATION_STATE, type ReplicationState, type WorkerDatabase } from '../storage/database';
import { applyWrite, insertMany } from '../storage/queries';
import { storedBytes } from './log-bytes';
import { judge } from './log-rules';
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

/** What a Replicator emits; typed so that a misspelled event name fails to compile. */
export interface ReplicatorEvents {
  /** The applied LSN moved (records applied, or the master's own commit). */
  applied: [ReplicationState];
  /** Applying failed; replication has stopped and the worker must not go on. */
  failed: [Error];
  /** Records left the queue (taken for applying, or handed over): the follower may ask for more. */
  dequeued: [];
}

/** The log broke a rule of log-rules.ts: the replica stops rather than guess. */
export class LogViolation extends Error {}

/** How the wait for the master's own epoch marker ended (see `sealAtMarker`). */
export type MarkerOutcome = 'sealed' | 'ignored' | 'failed' | 'timeout';

/*
 * Applies syncQ records to the local database in stream order, exactly once, under the rules of log-rules.ts (a
 * record it cannot place stops replication: the `failed` event, and the worker exits with the reason). The applied
 * LSN, stream offset, epoch, log id and epoch writer are stored in the same transaction as the change.
 * The master also reports its own commits here (`noteCommitted`), so that LSN waiters see one sequence; once it has
 * seen its own marker the replicator stops applying and hands what follows to the master's audit of its own log.
 */
export class Replicator extends EventEmitter<ReplicatorEvents> {
  private state: ReplicationState = EMPTY_REPLICATION_STATE;
  private pending: FollowedRecord[] = [];
  private draining = false;
  private sealed = false;
  /** Where records go once sealed (the master's audit); until it is set they wait in `pending`. */
  private sink: ((item: FollowedRecord) => void) | undefined;
  private ownMarker: { writeId: string; done: (o: MarkerOutcome) => void } | undefined;
  private failure: Error | undefined;
  private diverged = false;

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

  /** True once the master's own marker sealed this replicator: the database is a master's from then on. */
  get isSealed(): boolean {
    return this.sealed;
  }

  /** True when this replica is known not to hold exactly the log (a replicated write failed, or replication is skipped). */
  get isDiverged(): boolean {
    return this.diverged || this.skipApply;
  }

  get current(): Readonly<ReplicationState> {
    return this.state;
  }

  /** Records received and not yet taken for applying: the follower withholds credit while this is high. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Offset to follow syncQ from: the one after the last record consumed. */
  get nextOffset(): number {
    return this.state.appliedOffset + 1;
  }

  enqueue(item: FollowedRecord): void {
    if (this.sink) return this.sink(item);
    this.pending.push(item);
    if (!this.draining && !this.sealed && !this.failure) void this.drain();
  }

  /**
   * For the takeover: resolves `sealed` once the master's marker `writeId` started its epoch here. Everything before
   * it in the stream is then applied, and the replicator stops applying right after it (records behind it wait for
   * `handOver`). `ignored`: the marker did not count (an older epoch than the log's, or a genesis in a log already
   * begun) and replication goes on; `failed`: replication stopped; `timeout`: nothing was applied for `timeoutMs`
   * and the marker had not come back.
   */
  sealAtMarker(writeId: string, timeoutMs: number): Promise<MarkerOutcome> {
    if (this.failure) return Promise.resolve('failed');
    return new Promise((resolve) => {
      // A long log ahead of the marker is no failure while it is being applied: the time counts from the last progress.
      let timer = setTimeout(() => finish('timeout'), timeoutMs);
      const progress = () => {
        clearTimeout(timer);
        timer = setTimeout(() => finish('timeout'), timeoutMs);
      };
      this.on('applied', progress);
      const finish = (o: MarkerOutcome) => {
        clearTimeout(timer);
        this.off('applied', progress);
        if (this.ownMarker?.writeId === writeId) this.ownMarker = undefined;
        resolve(o);
      };
      this.ownMarker = { writeId, done: finish };
    });
  }

  /** Sends every record after the master's marker, queued or still to come, to `sink` instead of applying it. */
  handOver(sink: (item: FollowedRecord) => void): void {
    this.sink = sink;
    for (const item of this.pending.splice(0)) sink(item);
    this.emit('dequeued');
  }

  /** After the master committed a write of its own. */
  noteCommitted(lsn: number, epoch: number): void {
    this.state = { ...this.state, appliedLsn: lsn, epoch };
    this.emit('applied', this.state);
  }

  /** Resolves true once the applied LSN reaches `lsn`, false after `timeoutMs`. */
  waitForLsn(lsn: number, timeoutMs: number): Promise<boolean> {
    if (this.state.appliedLsn >= lsn) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (this.state.appliedLsn < lsn) return;
        cleanup();
        resolve(true);
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve(this.state.appliedLsn >= lsn);
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
  private async applyInserts(records: SyncRecord[], outcomes: Array<{ writeId: string; outcome: WriteResult }>, t: Transaction): Promise<void> {
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
  private async applyOne(r: SyncRecord, outcomes: Array<{ writeId: string; outcome: WriteResult }>, t: Transaction): Promise<void> {
    let outcome: { changes: number; insertedId?: number | string } = { changes: 0 };
    try {
      if (!this.skipApply) outcome = await applyWrite(this.db, r.op, t);
    } catch (err) {
      // Anything but a constraint (a busy or failing disk...) stops replication: the worker restarts and
      // replays from its last committed offset instead of recording the write as applied.
      if (!isConstraintFailure(err)) throw err;
      // Replicas apply the master's committed sequence; a constraint failure means they diverged. Say so loudly, and
      // take no snapshot of this replica from now on: it would hand the divergence to every replica built from it.
      this.diverged = true;
      this.log.error({ lsn: r.lsn, writeId: r.writeId, err: (err as Error).message }, 'a replicated write failed to apply');
    }
    outcomes.push({ writeId: r.writeId, outcome: { lsn: r.lsn, changes: outcome.changes, insertedId: outcome.insertedId, requestHash: r.requestHash } });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.pending.length > 0 && !this.sealed && !this.failure) {
        const batch = this.pending.splice(0, MAX_BATCH);
        this.emit('dequeued');
        const { state, used, violation, marker } = await this.db.transaction((t) => this.applyBatch(batch, t));
        this.state = state;
        // Records after a violation or after our own marker were not consumed: they stay queued (for the audit).
        this.pending.unshift(...batch.slice(used));
        if (marker === 'sealed') this.sealed = true;
        this.emit('applied', this.state);
        if (marker) this.ownMarker?.done(marker);
        if (violation) throw violation;
      }
    } catch (err) {
      this.failure = err as Error;
      this.log.error({ err: (err as Error).message }, 'replication stopped');
      this.ownMarker?.done('failed');
      this.emit('failed', this.failure);
    } finally {
      this.draining = false;
    }
  }

  /**
   * Applies the records of one batch, in order, in transaction `t`, up to the first record that breaks a rule (its
   * violation is returned, the records before it are committed) or up to our own epoch marker.
   */
  private async applyBatch(batch: FollowedRecord[], t: Transaction) {
    const s = { ...this.state };
    // One lookup for the batch instead of one per record; writeIds applied within the batch join the set.
    const applied = await this.db.appliedWriteIds(batch.flatMap((item) => ('record' in item ? [item.record.writeId] : [])), t);
    const outcomes: Array<{ writeId: string; outcome: WriteResult }> = [];
    // Consecutive inserts into one table are held back and applied together (see applyInserts).
    const inserts: SyncRecord[] = [];
    const flush = () => this.applyInserts(inserts.splice(0), outcomes, t);
    let used = 0;
    let violation: LogViolation | undefined;
    let marker: MarkerOutcome | undefined;
    for (const item of batch) {
      // A stream's offsets only grow (they may skip: the broker stores entries of its own between messages). The
      // follower asked for the offsets after this replica's; an earlier one means another stream: syncQ was deleted
      // and declared again (a consumer past its end gets whatever comes next, from offset 0). Judging by LSN alone
      // would not see it after a snapshot: a new master's marker there carries the right log id and this LSN.
      if (item.offset <= s.appliedOffset) {
        violation = new LogViolation(
          `syncQ offset ${item.offset} after this replica's offset ${s.appliedOffset} (LSN ${s.appliedLsn}): offsets went back, so ` +
            'syncQ is not the stream this replica followed; it was deleted and recreated, and the records after this replica\'s are gone',
        );
        break;
      }
      // Every record the stream holds counts towards its retention, whatever becomes of it here.
      s.logBytes += storedBytes(item.bytes);
      if ('invalid' in item) {
        // Not JSON of a record: it cannot carry a write, so it cannot hide one either.
        this.log.error({ offset: item.offset, problem: item.invalid }, 'skipping an invalid syncQ record');
        s.appliedOffset = item.offset;
        used++;
        continue;
      }
      const r = item.record;
      const verdict = judge(s, r, applied.has(r.writeId));
      const ours = r.op.op === 'epoch' && r.writeId === this.ownMarker?.writeId;
      if (verdict.action === 'stop') {
        s.logBytes -= storedBytes(item.bytes);
        violation = new LogViolation(`syncQ offset ${item.offset}: ${verdict.why}`);
        break;
      }
      s.appliedOffset = item.offset;
      used++;
      if (verdict.action === 'ignore') {
        this.log.warn({ offset: item.offset, lsn: r.lsn, epoch: r.epoch, master: r.master, why: verdict.why }, 'ignoring a syncQ record');
        if (ours) marker = 'ignored';
        continue;
      }
      if (verdict.action === 'mark') {
        Object.assign(s, { epoch: r.epoch, logId: verdict.logId, epochMaster: verdict.epochMaster });
        if (ours) {
          marker = 'sealed';
          break;
        }
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
    return { state: s, used, violation, marker };
  }
}
