import { spawn } from 'node:child_process';
import path from 'node:path';
import { waitUntil } from '../../system/common/time/wait-until';
import { startTestSystem, type TestSystem } from '../testing/test-system';

/*
 * The k6 scripts against the real system (orchestrator, worker processes, RabbitMQ, ZooKeeper): their setup,
 * scenario functions and teardown run under Node through smoke-run.ts, in a child process since k6's HTTP calls
 * block. Every request must get a 2xx and every k6 check must pass; afterwards the rows the scripts wrote are gone.
 */

let sys: TestSystem;

beforeAll(async () => {
  sys = await startTestSystem({ INITIAL_SLAVES: '1' });
  await waitUntil(
    'a ready master and slave',
    async () => (await sys.http.get<Array<{ state: string }>>('/api/v1/workers')).body.filter((w) => w.state === 'ready').length === 2,
    30000,
  );
});

afterAll(async () => {
  await sys?.stop();
});

function smokeRun(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'smoke-run.ts'), ...args], {
      env: { ...process.env, TARGET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

test('read-path, write-path and mixed run against the real API, and clean up after themselves', async () => {
  const { code, out } = await smokeRun(['--target', sys.http.baseUrl, '--vus', '2', '--iterations', '3']);
  expect(out).toContain('smoke run passed');
  expect(code).toBe(0);
  for (const script of ['read-path.js', 'write-path.js', 'mixed.js']) expect(out).toContain(`${script}: running 2 VU(s) x 3 iteration(s)`);
  expect(out).not.toMatch(/failed check|invalid body/);
  // Seeded and written users were deleted by each script's teardown (a range delete on the run's prefix).
  const left = await sys.http.post<{ rows: unknown[] }>('/api/v1/db/read', { table: 'users', where: { username: { gte: 'k6-', lt: 'k6.' } } });
  expect(left.status).toBe(200);
  expect(left.body.rows).toEqual([]);
});

test('a failing script makes the smoke run fail', async () => {
  // Nothing listens on port 1: every request goes unanswered.
  const { code, out } = await smokeRun(['--target', 'http://127.0.0.1:1', '--vus', '1', '--iterations', '1', path.join(__dirname, 'write-path.js')]);
  expect(code).toBe(1);
  expect(out).toContain('failed check: write answered 201');
});
