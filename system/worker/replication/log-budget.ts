import { UnavailableError } from '../../common/errors/errors';
import type { Logger } from '../../common/logging/logger';
import { storedBytes } from './log-bytes';

/** The log is full: a write now could push records that no snapshot covers out of syncQ. Retrying later helps. */
export class LogFullError extends UnavailableError {}

export interface LogBudgetOptions {
  /** How much log the broker is sure to keep behind its newest records: SYNC_MAX_BYTES less three segments. */
  limitBytes: number;
  /** The log bytes (log-bytes.ts) up to the newest verified snapshot, 0 when there is none; asked again when full. */
  coveredBytes: () => Promise<number>;
  /** The log bytes up to and including the master's own epoch marker (its replicator's state at the takeover). */
  seenBytes: number;
  log: Logger;
}

/** Room for a request's record: its body is the request plus the record's fields (LSN, epoch, ids, hash, key). */
const RECORD_FIELDS_BYTES = 512;

/*
 * The bounded log, on the master. RabbitMQ drops a stream's oldest segments once it holds more than SYNC_MAX_BYTES;
 * a replica can then only be built from a snapshot at or after the first record left. So the master never lets the
 * log grow past the newest verified snapshot by more than the broker is sure to keep: a write that would is refused
 * with 503 (nothing applied) until a slave has taken a newer snapshot. The accounting is the replicas' own (every
 * record the master reads back from syncQ, its own and a deposed master's alike), so the master and the snapshot count
 * the same bytes for the same prefix of the log.
 */
export class LogBudget {
  private seen: number;
  private covered = 0;
  private lastRefresh = 0;

  constructor(private readonly o: LogBudgetOptions) {
    this.seen = o.seenBytes;
  }

  async start(): Promise<void> {
    await this.refresh();
  }

  /** Every record read back from syncQ after the master's marker. */
  noteSeen(bodyBytes: number): void {
    this.seen += storedBytes(bodyBytes);
  }

  /** How much of the budget is used, for logs and the worker's view. */
  get usedBytes(): number {
    return this.seen - this.covered;
  }

  /**
   * Throws LogFullError unless records for requests of these sizes (their message bodies) fit behind the newest
   * snapshot. The snapshot index is read again before refusing, at most once a second.
   */
  async admit(requestBytes: number[]): Promise<void> {
    const wanted = requestBytes.reduce((sum, n) => sum + storedBytes(n + RECORD_FIELDS_BYTES), 0);
    if (this.seen + wanted - this.covered <= this.o.limitBytes) return;
    if (Date.now() - this.lastRefresh >= 1000) await this.refresh();
    if (this.seen + wanted - this.covered <= this.o.limitBytes) return;
    throw new LogFullError(
      `the replication log is full: ${this.seen - this.covered} bytes since the newest snapshot, limit ${this.o.limitBytes} ` +
        '(SYNC_MAX_BYTES less three SYNC_SEGMENT_BYTES); writes resume once a slave has taken a snapshot (SNAPSHOT_EVERY_RECORDS)',
    );
  }

  private async refresh(): Promise<void> {
    this.lastRefresh = Date.now();
    try {
      this.covered = Math.max(this.covered, await this.o.coveredBytes());
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message }, 'could not read the snapshot index; the log budget stays as it was');
    }
  }
}

/** The budget the settings give: what the broker keeps for sure, retention less three segments (a chunk overshoots). */
export function logLimitBytes(syncMaxBytes: number, syncSegmentBytes: number): number {
  return syncMaxBytes - 3 * syncSegmentBytes;
}
