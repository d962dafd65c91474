/*
 * What a committed write did: its place in the log, the rows it changed, the key the master gave an insert. The one
 * type for it wherever it is the same thing: stored with its writeId by every replica (so a redelivered write is
 * answered exactly as the first time), answered by the master over responseQ, and returned by db/write to clients.
 * Kept apart on purpose, because they hold something else:
 * - `WriteOutcome` (worker/storage/queries.ts): the write applied inside a transaction, before it has an LSN, with the
 *   op as resolved for the log;
 * - the write server's answer (worker/roles/write-server.ts): this plus `duplicate`, or the refusal;
 * - `WriteAttempt` (harness/testing/write-stream.ts) and the history's `Outcome`: what a client saw (status, timing).
 */
export interface WriteResult {
  lsn: number;
  changes: number;
  insertedId?: number | string;
  /** requestHash of the write as requested (kept by replicas, not answered): a writeId reused for another write is a
   * 409. Absent for records from before it was kept. */
  requestHash?: string;
}
