import type { HistoryRecorder, Operation, Outcome } from '../core/history';
import { encodeRanges } from '../core/ranges';
import type { HttpClient } from '../testing/http-client';
import type { WriteKeys } from './write-keys';

/** The user every harness ride belongs to; rides carry the write's key in their timestamp column. */
export const HARNESS_USER = 'harness';
/** How many of the newest writes a read of the written rows asks for, once the run has written more (see readWrites). */
export const READ_WINDOW = 400;

type Reply = { worker?: number; lsn?: number; epoch?: number; rows?: Array<Record<string, unknown>>; error?: { message: string } };

/** What a reply adds to the recorded operation besides status and outcome. */
type Extra = Partial<Pick<Operation, 'key' | 'writeSeq' | 'minLsn' | 'sawFrom'>>;

/*
 * A client of the DBaaS that records each operation it issues. Outcomes are judged conservatively: only a 4xx is a
 * definite failure; a 5xx or no answer may have reached a worker, so it is unknown.
 * Like a RideShare service, a client remembers the highest LSN any reply gave it, so that a read can ask for
 * read-your-writes with it (minLsn).
 */
export class DbClient {
  /** Highest LSN seen in an acknowledged reply: this client's session position. */
  private lsnSeen = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly recorder: HistoryRecorder,
    readonly id: number,
  ) {}

  static outcome(kind: 'read' | 'write', status: number): Outcome {
    if (status >= 200 && status < 300) return 'ok';
    if (status >= 400 && status < 500) return 'failed';
    return kind === 'write' ? 'unknown' : status === 0 ? 'unknown' : 'failed';
  }

  /** A read that does not look at what was written (the autoscaler's bursts count reads, whatever they read). */
  async read(): Promise<Operation> {
    return this.issue('read', '/api/v1/db/read', { table: 'users', columns: ['username'], where: { username: HARNESS_USER } }, {});
  }

  /**
   * Reads every ride the harness wrote and records which of this run's writes the reply held (by write number), so
   * that checkers can judge what a read saw. With `session`, the read carries minLsn = the highest LSN this client
   * has seen (none before its first acknowledged reply), i.e. asks for read-your-writes.
   */
  async readWrites(keys: WriteKeys, session: boolean): Promise<Operation> {
    const minLsn = session && this.lsnSeen > 0 ? this.lsnSeen : undefined;
    // Past READ_WINDOW writes, only the newest ones (by write number, kept in starts_at): a read of every row would
    // grow with the run until the DBaaS refuses it (READ_DEFAULT_LIMIT), and the checkers with it. The history says
    // where the read's sight began (sawFrom), so that older writes are not counted as missed.
    const sawFrom = keys.issued > READ_WINDOW ? keys.issued - READ_WINDOW : undefined;
    const where = sawFrom === undefined ? { created_by: HARNESS_USER } : { created_by: HARNESS_USER, starts_at: { gte: sawFrom } };
    const body = { table: 'rides', columns: ['timestamp'], where, ...(minLsn !== undefined ? { minLsn } : {}) };
    return this.issue('read', '/api/v1/db/read', body, { minLsn, sawFrom }, (rows) => {
      const seqs = rows.map((row) => keys.seqOf(row.timestamp)).filter((n): n is number => n !== undefined);
      return encodeRanges(seqs);
    });
  }

  /** Inserts one ride tagged with `key`; `writeSeq` is its write number (WriteKeys) when it has one. */
  async write(key: string, writeSeq?: number): Promise<Operation> {
    // starts_at carries the write number, which is what a windowed read asks for (see readWrites).
    const body = { op: 'insert', table: 'rides', values: { created_by: HARNESS_USER, timestamp: key, starts_at: writeSeq ?? Date.now(), source: 1, destination: 2 } };
    return this.issue('write', '/api/v1/db/write', body, { key, writeSeq });
  }

  private async issue(kind: 'read' | 'write', path: string, body: unknown, extra: Extra, saw?: (rows: Array<Record<string, unknown>>) => string | undefined): Promise<Operation> {
    const startedAt = Date.now();
    const base = { client: this.id, kind, ...definedOnly(extra) };
    try {
      const r = await this.http.post<Reply | undefined>(path, body);
      const outcome = DbClient.outcome(kind, r.status);
      const reply = r.body;
      if (outcome === 'ok' && typeof reply?.lsn === 'number') this.lsnSeen = Math.max(this.lsnSeen, reply.lsn);
      return this.recorder.record({
        ...base,
        startedAt,
        endedAt: Date.now(),
        outcome,
        status: r.status,
        worker: reply?.worker,
        lsn: reply?.lsn,
        ...(typeof reply?.epoch === 'number' ? { epoch: reply.epoch } : {}),
        ...definedOnly({ saw: saw && outcome === 'ok' && Array.isArray(reply?.rows) ? saw(reply.rows) : undefined }),
        error: r.status >= 300 ? reply?.error?.message : undefined,
      });
    } catch (err) {
      return this.recorder.record({ ...base, startedAt, endedAt: Date.now(), outcome: 'unknown', status: 0, error: (err as Error).message });
    }
  }
}

/** Leaves out undefined fields, so that report.json does not carry them as nulls. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Creates the user the harness's rides refer to (idempotent: an existing user is fine). */
export async function prepareData(http: HttpClient): Promise<void> {
  const r = await http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: HARNESS_USER, password: 'harness' } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`could not create the harness user: ${r.status} ${JSON.stringify(r.body)}`);
}
