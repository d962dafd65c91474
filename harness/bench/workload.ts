import type { HttpClient } from '../testing/http-client';

/** The user every benchmark ride belongs to. */
export const BENCH_USER = 'bench-user';

/** The read-path query: upcoming rides between two areas, soonest first, as the rides service asks it. */
export const READ_QUERY = {
  table: 'rides',
  columns: ['ride_id', 'created_by', 'timestamp', 'starts_at'],
  where: { source: 3, destination: 4 },
  orderBy: [{ column: 'starts_at', direction: 'asc' }],
  limit: 10,
} as const;

/** The write-path request: one new ride (its key is assigned by the database, so every insert is a new row). */
export function rideInsert(n: number, tag = 'bench') {
  return {
    op: 'insert',
    table: 'rides',
    values: { created_by: BENCH_USER, timestamp: `${tag}-${n}`, starts_at: 4102444800000 + n, source: 1 + (n % 5), destination: 1 + ((n + 1) % 5) },
  } as const;
}

/** Runs `count` tasks with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const runner = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, runner));
}

/** Posts a write and insists on success: seeding that fails makes every later figure meaningless. */
export async function mustWrite(http: HttpClient, body: unknown): Promise<{ lsn: number; worker: number }> {
  const r = await http.post<{ lsn: number; worker: number }>('/api/v1/db/write', body);
  if (r.status !== 200 && r.status !== 201) throw new Error(`seeding write answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** The same data for the system and the baseline: the benchmark user and `rides` rides spread over 5x5 area pairs. */
export async function seed(http: HttpClient, rides: number): Promise<void> {
  await mustWrite(http, { op: 'insert', table: 'users', values: { username: BENCH_USER, password: 'a'.repeat(40) } });
  await pool(rides, 8, async (i) => void (await mustWrite(http, rideInsert(i, 'seed'))));
}
