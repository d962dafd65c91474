import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../common/config/config';
import { createLogger } from '../common/logging/logger';
import { freePort } from '../common/net/ports';
import { isAlive } from '../common/process/pid';
import { localServices } from '../common/services/ensure-services';
import { sleep } from '../common/time/sleep';
import { waitUntil } from '../common/time/wait-until';
import { HttpClient } from '../../harness/testing/http-client';
import { waitForTopology } from '../../harness/testing/topology';

/*
 * An orchestrator that rides out trouble, with the orchestrator in a process of its own (system/orchestrator/main.ts)
 * and real signals: a pause longer than its ZooKeeper session, and a kill -9 followed by a restart.
 */

const ROOT = path.resolve(__dirname, '../..');
const SESSION_MS = 2000;

interface Deployment {
  env: Record<string, string>;
  zkRoot: string;
  dataDir: string;
  cleanup(): Promise<void>;
}

/** A vhost, a ZooKeeper root and a data directory of this test's own: what a restarted orchestrator finds again. */
async function deployment(name: string): Promise<Deployment> {
  const suite = `${name}-${process.pid}`;
  const { rabbitmq, zookeeper } = localServices(loadConfig(), createLogger('test', 'warn'));
  await rabbitmq.addVhost(suite);
  const zkRoot = `/test/${suite}`;
  const dataDir = path.join(ROOT, '.data', 'test', suite);
  return {
    zkRoot,
    dataDir,
    env: {
      RABBITMQ_URL: rabbitmq.url(suite, 'orchestrator'),
      RABBITMQ_WORKER_URL: rabbitmq.url(suite, 'worker'),
      ZOOKEEPER_CONNECT: process.env.TEST_ZOOKEEPER_CONNECT ?? '',
      ZOOKEEPER_AUTH: zookeeper.auth(),
      ZK_ROOT: zkRoot,
      DATA_DIR: dataDir,
      INITIAL_SLAVES: '2',
      ZK_SESSION_TIMEOUT_MS: '1000',
      ORCHESTRATOR_ZK_SESSION_TIMEOUT_MS: String(SESSION_MS),
      ORCHESTRATOR_ZK_RECONNECT_MS: '200',
      LOG_LEVEL: 'info',
    },
    cleanup: async () => {
      await rabbitmq.deleteVhost(suite);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

class OrchestratorProcess {
  readonly http: HttpClient;
  output = '';
  private readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(d: Deployment, readonly port: number) {
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'system/orchestrator/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...d.env, ORCHESTRATOR_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (b) => (this.output += b));
    this.child.stderr!.on('data', (b) => (this.output += b));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.http = new HttpClient(`http://127.0.0.1:${port}`);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async ready(): Promise<void> {
    await waitUntil('the orchestrator to listen', async () => this.output.includes('DBaaS orchestrator listening on') || !this.running, 90000, 100);
    if (!this.running) throw new Error(`the orchestrator exited:\n${this.output.slice(-3000)}`);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** PIDs of the processes (but the test itself) that run in this ZooKeeper root: orchestrators and their workers. */
function processesOf(d: Deployment): number[] {
  const mine: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (environ.includes(`ZK_ROOT=${d.zkRoot}`)) mine.push(pid);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return mine.sort((a, b) => a - b);
}

async function write(http: HttpClient, username: string): Promise<number> {
  const r = await http.post<{ lsn: number }>('/api/v1/db/write', { op: 'insert', table: 'users', values: { username, password: 'p' } });
  expect(r.status).toBe(201);
  return r.body.lsn;
}

async function readUsers(http: HttpClient, names: string[], minLsn: number): Promise<string[]> {
  const r = await http.post<{ rows: Array<{ username: string }> }>('/api/v1/db/read', {
    table: 'users',
    columns: ['username'],
    where: { username: { in: names } },
    minLsn,
  });
  expect(r.status).toBe(200);
  return r.body.rows.map((row) => row.username).sort();
}

test('paused for twice its ZooKeeper session, the orchestrator keeps every worker, and they keep serving', async () => {
  const d = await deployment('pause');
  const orchestrator = new OrchestratorProcess(d, await freePort());
  try {
    await orchestrator.ready();
    const before = await waitForTopology(orchestrator.http, 2, 60000);
    await write(orchestrator.http, 'before-pause');

    orchestrator.signal('SIGSTOP');
    await sleep(2 * SESSION_MS + 500);
    // Its workers do not depend on it being awake.
    for (const w of before) expect(isAlive(w.pid)).toBe(true);
    orchestrator.signal('SIGCONT');

    // The session did expire (the pause was long enough to prove something), and a new one was opened.
    await waitUntil(
      'a new ZooKeeper session',
      async () => /dbaas_orchestrator_zookeeper_sessions_renewed [1-9]/.test(String((await orchestrator.http.get('/metrics')).body)),
      20000,
    );
    expect(orchestrator.output).toContain('the orchestrator lost its ZooKeeper session');
    const after = await waitForTopology(orchestrator.http, 2, 20000);
    expect(after.map((w) => w.pid)).toEqual(before.map((w) => w.pid));
    expect(after.filter((w) => w.role === 'master').map((w) => w.pid)).toEqual(before.filter((w) => w.role === 'master').map((w) => w.pid));
    for (const w of before) expect(isAlive(w.pid)).toBe(true);
    const lsn = await write(orchestrator.http, 'after-pause');
    expect(await readUsers(orchestrator.http, ['before-pause', 'after-pause'], lsn)).toEqual(['after-pause', 'before-pause']);
    expect((await orchestrator.http.get('/healthz')).body).toEqual({ status: 'ok', broker: 'up', zookeeper: 'up' });
    expect(orchestrator.running).toBe(true);

    orchestrator.signal('SIGTERM');
    expect(await orchestrator.exited).toBe(0);
    for (const w of before) expect(isAlive(w.pid)).toBe(false);
  } finally {
    orchestrator.signal('SIGCONT');
    orchestrator.signal('SIGKILL');
    await d.cleanup();
  }
});

test('kill -9 of the orchestrator: its workers stop, and a restarted one runs one master and the slaves with the data', async () => {
  const d = await deployment('restart');
  const first = new OrchestratorProcess(d, await freePort());
  let second: OrchestratorProcess | undefined;
  try {
    await first.ready();
    const before = await waitForTopology(first.http, 2, 60000);
    const names = Array.from({ length: 10 }, (_, i) => `before-kill-${i}`);
    let lsn = 0;
    for (const name of names) lsn = await write(first.http, name);
    expect(processesOf(d)).toEqual([first.pid, ...before.map((w) => w.pid)].sort((a, b) => a - b));

    first.signal('SIGKILL');
    await first.exited;
    // Each worker notices its parent is gone and stops by itself: no orphan is left running.
    await waitUntil('the first orchestrator\'s workers to stop', async () => before.every((w) => !isAlive(w.pid)), 15000, 100);

    second = new OrchestratorProcess(d, await freePort());
    await second.ready();
    const after = await waitForTopology(second.http, 2, 60000);
    expect(after.filter((w) => w.role === 'master')).toHaveLength(1);
    expect(after.some((w) => before.some((b) => b.pid === w.pid))).toBe(false);
    // The log is in RabbitMQ: the new replicas replayed it.
    expect(await readUsers(second.http, names, lsn)).toEqual([...names].sort());
    const next = await write(second.http, 'after-restart');
    expect(next).toBeGreaterThan(lsn);
    // Steady: still one master and two slaves a while later, and only the second orchestrator's processes run.
    await sleep(2000);
    const settled = await waitForTopology(second.http, 2, 5000);
    expect(settled.map((w) => w.pid)).toEqual(after.map((w) => w.pid));
    expect(processesOf(d)).toEqual([second.pid, ...after.map((w) => w.pid)].sort((a, b) => a - b));

    second.signal('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(processesOf(d)).toEqual([]);
  } finally {
    first.signal('SIGKILL');
    second?.signal('SIGKILL');
    await d.cleanup();
  }
});
