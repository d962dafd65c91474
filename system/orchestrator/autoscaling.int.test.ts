import { waitUntil } from '../common/time/wait-until';
import { startTestSystem, type TestSystem } from '../../harness/testing/test-system';
import { waitForTopology } from '../../harness/testing/topology';

/*
 * Read-driven autoscaling on real worker processes, with a short interval set through configuration.
 * Each phase sends its reads right after a decision, so they all fall into one interval.
 */

const INTERVAL_MS = 5000;
let sys: TestSystem;

interface Scaling {
  decisions: Array<{ reads: number; wanted: number }>;
  wantedSlaves: number;
  actualSlaves: number;
  readsThisInterval: number;
}

const scaling = async () => (await sys.http.get<Scaling>('/api/v1/scaling')).body;

async function reads(n: number, concurrency = 5): Promise<number[]> {
  const statuses: number[] = [];
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < n) {
        sent++;
        statuses.push((await sys.http.post('/api/v1/db/read', { table: 'users', limit: 5 })).status);
      }
    }),
  );
  return statuses;
}

async function nextDecision(seen: number) {
  let s: Scaling | undefined;
  await waitUntil(`decision #${seen + 1}`, async () => (s = await scaling()).decisions.length > seen, INTERVAL_MS * 2, 25);
  return s!.decisions[seen];
}

beforeAll(async () => {
  sys = await startTestSystem({ SCALE_INTERVAL_MS: String(INTERVAL_MS), MAX_SLAVES: '6', INITIAL_SLAVES: '1' });
  await waitForTopology(sys.http, 1);
});

afterAll(async () => {
  await sys?.stop();
});

test('25, 45, 65 reads give 2, 3, 4 slaves; an idle interval gives 1 and reads keep succeeding during scale-in; 20 -> 1, 21 -> 2', async () => {
  expect((await scaling()).decisions).toEqual([]);
  // Crash, list and write calls are not reads.
  await sys.http.get('/api/v1/worker/list');
  await sys.http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: 'u', password: 'p' } });
  expect((await scaling()).readsThisInterval).toBe(0);

  let seen = 0;
  for (const [n, slaves] of [
    [25, 2],
    [45, 3],
    [65, 4],
  ]) {
    expect((await reads(n)).every((s) => s === 200)).toBe(true);
    const d = await nextDecision(seen++);
    expect(d).toEqual(expect.objectContaining({ reads: n, wanted: slaves }));
    await waitForTopology(sys.http, slaves, INTERVAL_MS - 500);
  }

  // Idle interval: back to one slave. Reads issued while the extra slaves stop must all succeed.
  const idle = await nextDecision(seen++);
  expect(idle).toEqual(expect.objectContaining({ reads: 0, wanted: 1 }));
  const during: number[] = [];
  await waitUntil(
    'scale-in to one slave',
    async () => {
      during.push(...(await reads(1, 1)));
      return (await scaling()).actualSlaves === 1;
    },
    INTERVAL_MS - 1000,
    0,
  );
  expect(during.length).toBeGreaterThan(0);
  expect(during.length).toBeLessThanOrEqual(20);
  expect(during.every((s) => s === 200)).toBe(true);
  await waitForTopology(sys.http, 1);
  const afterScaleIn = await nextDecision(seen++);
  expect(afterScaleIn).toEqual({ at: expect.any(Number), reads: during.length, wanted: 1 });

  expect((await reads(20)).every((s) => s === 200)).toBe(true);
  expect(await nextDecision(seen++)).toEqual(expect.objectContaining({ reads: 20, wanted: 1 }));
  expect((await reads(21)).every((s) => s === 200)).toBe(true);
  expect(await nextDecision(seen++)).toEqual(expect.objectContaining({ reads: 21, wanted: 2 }));
  await waitForTopology(sys.http, 2, INTERVAL_MS - 500);

  const metrics = (await sys.http.get<string>('/metrics')).body;
  expect(metrics).toMatch(/dbaas_scaling_decisions_total \d+/);
  expect(metrics).toMatch(/dbaas_scaling_wanted_slaves 2/);
});
