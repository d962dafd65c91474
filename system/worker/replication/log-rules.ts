import type { SyncRecord } from '../../common/protocol/messages';

/*
 * What a replica may accept from syncQ. The log is the database: a record the replica cannot place exactly is a
 * reason to stop (crash-only, with the reason), never to skip, because a skipped record is a write some client may
 * have been told is kept. The rules, for a replica that has applied LSN A in epoch E of log L, whose marker named
 * writer W:
 * - a record of an epoch older than E is ignored: a deposed master's, superseded by E's marker (fencing);
 * - an epoch marker of a newer epoch starts that epoch and names its only writer, if it is of log L and its LSN (what
 *   the new master had applied when it marked) is at most A; a larger one means this replica missed records;
 * - a replica that knows no log yet (it rebuilds from nothing) must start at the log's genesis marker, at LSN 0:
 *   anything else means syncQ lost its beginning (deleted and recreated, or truncated) and the data is not all there;
 * - a genesis marker in a log already named is ignored: a master that took a non-empty syncQ for empty (its takeover
 *   then sees its marker ignored and marks again with the log's id);
 * - a write must be of epoch E, from W, with LSN A + 1 and a writeId not applied before: anything else is a gap, a
 *   foreign writer, a replay or a reordering, and stops the replica.
 */

export interface LogPosition {
  appliedLsn: number;
  epoch: number;
  /** The log's id, from its genesis marker; null before the first record. */
  logId: string | null;
  /** The writer (PID) the current epoch's marker named; null before the first marker. */
  epochMaster: number | null;
}

export type Verdict =
  | { action: 'apply' }
  | { action: 'mark'; logId: string; epochMaster: number }
  | { action: 'ignore'; why: string }
  | { action: 'stop'; why: string };

const describe = (r: SyncRecord) => `lsn=${r.lsn} epoch=${r.epoch} master=${r.master} writeId=${r.writeId}`;

export function judge(s: LogPosition, r: SyncRecord, writeIdApplied: boolean): Verdict {
  const stop = (why: string): Verdict => ({ action: 'stop', why: `${why} (record ${describe(r)}; this replica: lsn=${s.appliedLsn} epoch=${s.epoch} log=${s.logId ?? 'none'})` });
  if (r.epoch < s.epoch) return { action: 'ignore', why: 'a record of an older epoch: a deposed master\'s, superseded by the newer epoch\'s marker' };
  if (r.op.op === 'epoch') {
    const marker = r.op;
    if (marker.genesis) {
      if (s.logId !== null) return { action: 'ignore', why: 'a genesis marker in a log already begun: a master took syncQ for empty' };
      if (r.lsn !== 0 || s.appliedLsn !== 0) return stop('a genesis marker at an LSN above 0');
      return { action: 'mark', logId: marker.logId, epochMaster: r.master };
    }
    if (s.logId === null) return stop('syncQ does not begin with its genesis marker: it was deleted and recreated, or truncated, so the data cannot be rebuilt from it');
    if (marker.logId !== s.logId) return stop(`an epoch marker of another log (${marker.logId}): syncQ was replaced`);
    if (r.epoch === s.epoch) {
      if (r.master === s.epochMaster) return { action: 'ignore', why: 'a repeated marker of the current epoch' };
      return stop('a second marker of the current epoch naming another writer');
    }
    if (r.lsn > s.appliedLsn) return stop(`a gap: the new master had applied LSN ${r.lsn}, this replica only ${s.appliedLsn}`);
    return { action: 'mark', logId: marker.logId, epochMaster: r.master };
  }
  if (s.logId === null) return stop('a write before the log\'s genesis marker: syncQ lost its beginning');
  if (r.epoch > s.epoch) return stop('a write of an epoch whose marker was never seen: no elected master wrote it');
  if (r.master !== s.epochMaster) return stop(`a foreign writer: this epoch's marker named ${s.epochMaster}`);
  if (r.lsn <= s.appliedLsn) return stop(`a replayed LSN: ${r.lsn} was applied already`);
  if (r.lsn !== s.appliedLsn + 1) return stop(`a gap: expected LSN ${s.appliedLsn + 1}`);
  if (writeIdApplied) return stop('a replayed write: its writeId was applied at an earlier LSN');
  return { action: 'apply' };
}
