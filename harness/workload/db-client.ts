import type { HistoryRecorder, Operation, Outcome } from '../core/history';
import type { HttpClient } from '../testing/http-client';

/** The user every harness ride belongs to; rides carry the write's key in their timestamp column. */
export const HARNESS_USER = 'harness';

/*
 * A client of the DBaaS that records each operation it issues. Outcomes are judged conservatively: only a 4xx is a
 * definite failure; a 5xx or no answer may have reached a worker, so it is unknown.
 */
export class DbClient {
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

  async read(): Promise<Operation> {
    return this.issue('read', undefined, '/api/v1/db/read', { table: 'users', columns: ['username'], where: { username: HARNESS_USER } });
  }

  /** Inserts one ride tagged with `key`. */
  async write(key: string): Promise<Operation> {
    return this.issue('write', key, '/api/v1/db/write', {
      op: 'insert',
      table: 'rides',
      values: { created_by: HARNESS_USER, timestamp: key, starts_at: Date.now(), source: 1, destination: 2 },
    });
  }

  private async issue(kind: 'read' | 'write', key: string | undefined, path: string, body: unknown): Promise<Operation> {
    const startedAt = Date.now();
    try {
      const r = await this.http.post<{ worker?: number; lsn?: number; error?: { message: string } }>(path, body);
      return this.recorder.record({
        client: this.id,
        kind,
        key,
        startedAt,
        endedAt: Date.now(),
        outcome: DbClient.outcome(kind, r.status),
        status: r.status,
        worker: r.body?.worker,
        lsn: r.body?.lsn,
        error: r.status >= 300 ? r.body?.error?.message : undefined,
      });
    } catch (err) {
      return this.recorder.record({ client: this.id, kind, key, startedAt, endedAt: Date.now(), outcome: 'unknown', status: 0, error: (err as Error).message });
    }
  }
}

/** Creates the user the harness's rides refer to (idempotent: an existing user is fine). */
export async function prepareData(http: HttpClient): Promise<void> {
  const r = await http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: HARNESS_USER, password: 'harness' } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`could not create the harness user: ${r.status} ${JSON.stringify(r.body)}`);
}
