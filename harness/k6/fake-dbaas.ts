import { describeIssues, readRequestSchema, writeRequestSchema } from '../../system/common/protocol/requests';

/*
 * A tiny in-memory model of the DBaaS HTTP API for the k6 scripts' unit tests: requests are validated with the
 * project's real schemas, and the `users` table behaves as the real one does where the scripts depend on it
 * (duplicate usernames are 409, a repeated writeId is answered as the first time, conditions select rows, LSNs grow).
 * The real system is exercised by k6-scripts.int.test.ts.
 */

export interface FakeResponse {
  status: number;
  body: string;
}

type Cond = string | number | null | { eq?: unknown; ne?: unknown; gt?: unknown; gte?: unknown; lt?: unknown; lte?: unknown; in?: unknown[] };

function matches(value: string, cond: Cond): boolean {
  if (cond === null || typeof cond !== 'object') return value === cond;
  const c = cond as Record<string, unknown>;
  const cmp = (x: unknown) => (value < String(x) ? -1 : value > String(x) ? 1 : 0);
  return (
    (!('eq' in c) || cmp(c.eq) === 0) &&
    (!('ne' in c) || cmp(c.ne) !== 0) &&
    (!('gt' in c) || cmp(c.gt) > 0) &&
    (!('gte' in c) || cmp(c.gte) >= 0) &&
    (!('lt' in c) || cmp(c.lt) < 0) &&
    (!('lte' in c) || cmp(c.lte) <= 0) &&
    (!('in' in c) || (c.in as unknown[]).includes(value))
  );
}

export class FakeDbaas {
  lsn = 0;
  readonly users = new Set<string>();
  private readonly answered = new Map<string, FakeResponse>();

  handle(url: string, body: Record<string, unknown>): FakeResponse & { invalid: string } {
    const isWrite = url.endsWith('/api/v1/db/write');
    const isRead = url.endsWith('/api/v1/db/read');
    if (!isWrite && !isRead) return { status: 404, body: '{}', invalid: `unknown endpoint ${url}` };
    const parsed = isWrite ? writeRequestSchema.safeParse(body) : readRequestSchema.safeParse(body);
    if (!parsed.success) {
      const invalid = describeIssues(parsed.error);
      return { status: 400, body: JSON.stringify({ error: { code: 'bad_request', message: invalid } }), invalid };
    }
    return { ...(isWrite ? this.write(body) : this.read(body)), invalid: '' };
  }

  private select(where: Record<string, Cond> | undefined): string[] {
    return [...this.users].filter((u) => where?.username === undefined || matches(u, where.username)).sort();
  }

  private read(body: Record<string, unknown>): FakeResponse {
    const rows = body.table === 'users' ? this.select(body.where as Record<string, Cond>).map((username) => ({ username })) : [];
    return { status: 200, body: JSON.stringify({ rows, lsn: this.lsn, worker: 2 }) };
  }

  private write(body: Record<string, unknown>): FakeResponse {
    const writeId = body.writeId as string | undefined;
    const first = writeId ? this.answered.get(writeId) : undefined;
    if (first) return { status: first.status, body: JSON.stringify({ ...JSON.parse(first.body), duplicate: true }) };
    let res: FakeResponse;
    if (body.table !== 'users') res = { status: body.op === 'insert' ? 201 : 200, body: JSON.stringify({ lsn: ++this.lsn, worker: 1, changes: 1 }) };
    else if (body.op === 'insert') {
      const name = (body.values as { username: string }).username;
      if (this.users.has(name)) res = { status: 409, body: JSON.stringify({ error: { code: 'conflict', message: `${name} exists` } }) };
      else {
        this.users.add(name);
        res = { status: 201, body: JSON.stringify({ lsn: ++this.lsn, worker: 1, changes: 1 }) };
      }
    } else {
      const hit = this.select(body.where as Record<string, Cond>);
      if (body.op === 'delete') hit.forEach((u) => this.users.delete(u));
      res = { status: 200, body: JSON.stringify({ lsn: ++this.lsn, worker: 1, changes: hit.length }) };
    }
    if (writeId) this.answered.set(writeId, res);
    return res;
  }
}
