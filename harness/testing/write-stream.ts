import type { HttpClient } from './http-client';

/** One write as its client saw it (HTTP status and timing): not a `WriteResult`, which only an acknowledged write has. */
export interface WriteAttempt {
  tag: string;
  status: number;
  worker?: number;
  startedAt: number;
  endedAt: number;
}

/*
 * A bounded stream of ride inserts from `clients` sequential clients, each ride tagged uniquely in its timestamp
 * column so that every acknowledged write can be found (exactly once) on every replica afterwards.
 * Stops by itself after `maxWrites` or when `stop()` is called.
 */
export class WriteStream {
  readonly outcomes: WriteAttempt[] = [];
  private stopped = false;
  private runners: Promise<void>[] = [];
  private n = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly creator: string,
    private readonly o: { clients: number; maxWrites: number; prefix: string },
  ) {}

  start(): void {
    this.runners = Array.from({ length: this.o.clients }, () => this.run());
  }

  private async run(): Promise<void> {
    while (!this.stopped && this.n < this.o.maxWrites) {
      const tag = `${this.o.prefix}-${this.n++}`;
      const startedAt = Date.now();
      try {
        const r = await this.http.post('/api/v1/db/write', {
          op: 'insert',
          table: 'rides',
          values: { created_by: this.creator, timestamp: tag, starts_at: startedAt, source: 1, destination: 2 },
        });
        this.outcomes.push({ tag, status: r.status, worker: r.body?.worker, startedAt, endedAt: Date.now() });
      } catch {
        this.outcomes.push({ tag, status: 0, startedAt, endedAt: Date.now() });
      }
    }
  }

  async stop(): Promise<WriteAttempt[]> {
    this.stopped = true;
    await Promise.all(this.runners);
    return this.outcomes;
  }

  get acknowledged(): string[] {
    return this.outcomes.filter((o) => o.status === 201).map((o) => o.tag);
  }

  /** Writes whose outcome is unknown (timeouts, broken connections): they may or may not have been applied. */
  get unknown(): string[] {
    return this.outcomes.filter((o) => o.status === 0 || o.status >= 500).map((o) => o.tag);
  }
}
