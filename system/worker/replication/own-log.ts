import type { Logger } from '../../common/logging/logger';
import { syncRecordSchema, type SyncRecord } from '../../common/protocol/messages';
import { LogViolation } from './replicator';
import type { FollowedRecord } from './sync-log';

/** A record as compared: the schema's key order, so that two equal records give equal text whatever their source. */
const canonical = (r: SyncRecord) => JSON.stringify(syncRecordSchema.parse(r));

/*
 * The master's reading of its own log. After its epoch marker, the only records of its epoch in syncQ must be the
 * ones it appended, in the order it appended them; it follows the stream on (its consumer also tells it when syncQ
 * is deleted) and checks each record against what it wrote. A write counts as kept once its record has come back
 * here: a forged record before it (a gap, a replayed LSN, another writer) would stop every replica before reaching
 * it, so the master must not answer it. On any record it did not write, the master stops (`onForeign`).
 * Records of older epochs are a deposed master's late appends: every replica ignores them, and so does this.
 */
export class OwnLog {
  private readonly expected: Array<{ text: string; lsn: number; done: (err?: Error) => void }> = [];
  private broken: LogViolation | undefined;

  constructor(
    private readonly epoch: number,
    private readonly onForeign: (err: LogViolation) => void,
    private readonly log: Logger,
  ) {}

  /** Call before appending `record`; resolves once the record has been read back from syncQ in its place. */
  expect(record: SyncRecord): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.expected.push({ text: canonical(record), lsn: record.lsn, done: (err) => (err ? reject(err) : resolve()) });
    });
  }

  /** Every record the follower brings after the marker. */
  readonly check = (item: FollowedRecord): void => {
    if (this.broken) return;
    if ('invalid' in item) return this.foreign(`syncQ offset ${item.offset}: a record this master did not write (not a valid record: ${item.invalid})`);
    const r = item.record;
    if (r.epoch < this.epoch) {
      this.log.warn({ offset: item.offset, lsn: r.lsn, epoch: r.epoch, master: r.master }, 'ignoring a record of an older epoch (a deposed master\'s)');
      return;
    }
    const next = this.expected[0];
    if (next === undefined || canonical(r) !== next.text) {
      const wanted = next === undefined ? 'nothing' : `its record lsn=${next.lsn}`;
      return this.foreign(
        `syncQ offset ${item.offset}: a record this master did not write (lsn=${r.lsn} epoch=${r.epoch} master=${r.master} writeId=${r.writeId}; expected ${wanted})`,
      );
    }
    this.expected.shift();
    next.done();
  };

  private foreign(reason: string): void {
    this.broken = new LogViolation(`${reason}: someone else writes to the replication log; this master stops`);
    for (const e of this.expected.splice(0)) e.done(this.broken);
    this.onForeign(this.broken);
  }
}
