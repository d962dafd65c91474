import { EventEmitter } from 'node:events';
import { UnavailableError } from '../../common/errors/errors';
import pino from 'pino';
import { FakeClock } from '../../common/time/fake-clock';
import type { MasterInfo, WorkerInfo } from '../../common/zk/paths';
import { FakeZooKeeper, type FakeZkSession } from '../../worker/testing/fake-zookeeper';
import type { WorkerExit, WorkerHandle, WorkerRuntime, WorkerRuntimeEvents } from '../runtime/worker-runtime';
import { SessionKeeper } from './session-keeper';
import { Supervisor } from './supervisor';

/*
 * The supervisor against a runtime, a ZooKeeper and a clock that the test drives. "Workers" here are runtime
 * handles; a test registers one in ZooKeeper (with a session of its own) as the real worker would.
 */

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

class FakeRuntime extends EventEmitter<WorkerRuntimeEvents> implements WorkerRuntime {
  readonly name = 'process' as const;
  readonly running = new Map<string, WorkerHandle>();
  readonly signals: Array<{ id: string; signal: string }> = [];
  readonly started: WorkerHandle[] = [];
  /** PIDs handed out in order; then 1000, 1001... */
  pids: number[] = [];
  private nextPid = 1000;

  constructor(private readonly clock: FakeClock) {
    super();
  }

  async start(id: string): Promise<WorkerHandle> {
    const handle = { id, pid: this.pids.shift() ?? this.nextPid++, startedAt: this.clock.wall() };
    this.running.set(id, handle);
    this.started.push(handle);
    return handle;
  }

  /** The process ends (SIGKILL, a crash): gone from the list, then the exit event. */
  exit(id: string, signal: string | null = 'SIGKILL'): void {
    const h = this.running.get(id);
    if (!h) return;
    this.running.delete(id);
    this.emit('exit', { id, pid: h.pid, code: null, signal, startedAt: h.startedAt } satisfies WorkerExit);
  }

  async signal(id: string, signal: NodeJS.Signals): Promise<void> {
    this.signals.push({ id, signal });
    if (signal === 'SIGKILL') setImmediate(() => this.exit(id));
  }

  async stop(id: string): Promise<void> {
    this.exit(id, 'SIGTERM');
  }

  list(): WorkerHandle[] {
    return [...this.running.values()];
  }

  async close(): Promise<void> {
    for (const id of [...this.running.keys()]) this.exit(id, 'SIGTERM');
  }
}

const settle = async () => {
  for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
};

let clock: FakeClock;
let server: FakeZooKeeper;
let runtime: FakeRuntime;
let supervisor: Supervisor;
let keeper: SessionKeeper;
/** The orchestrator's sessions, in the order the keeper opened them. */
let orchestratorSessions: FakeZkSession[];
/** When true, opening a new orchestrator session fails (ZooKeeper is away). */
let zookeeperAway: boolean;
const sessions = new Map<string, FakeZkSession>();

async function setup(initialSlaves = 1) {
  clock = new FakeClock();
  server = new FakeZooKeeper();
  runtime = new FakeRuntime(clock);
  sessions.clear();
  orchestratorSessions = [];
  zookeeperAway = false;
  keeper = new SessionKeeper({
    open: async () => {
      if (zookeeperAway) throw new Error('ZooKeeper did not answer');
      const s = server.connect(15000);
      orchestratorSessions.push(s);
      return s.client;
    },
    retryMs: 1000,
    log,
    clock,
  });
  await keeper.start();
  supervisor = new Supervisor({
    runtime,
    session: keeper,
    log,
    initialSlaves,
    maxSlaves: 8,
    startTimeoutMs: 10_000,
    stopTimeoutMs: 1000,
    killLostWorkers: true,
    clock,
  });
}

afterEach(async () => {
  await supervisor?.close();
  keeper?.close();
});

/** What a worker does at start: an ephemeral /workers entry under a session of its own. */
function register(h: WorkerHandle, role: WorkerInfo['role'] = 'slave', state: WorkerInfo['state'] = 'ready'): FakeZkSession {
  const s = server.connect(1000);
  sessions.set(h.id, s);
  if (!server.nodes.has('/workers')) server.create('/workers', null, undefined);
  server.create(`/workers/${h.id}`, { id: h.id, pid: h.pid, role, state, appliedLsn: 0, epoch: 1, startedAt: 0, session: s.sessionId } satisfies WorkerInfo, s.sessionId);
  return s;
}

function takeMaster(h: WorkerHandle): void {
  server.create('/master', { id: h.id, pid: h.pid, epoch: 1 } satisfies MasterInfo, sessions.get(h.id)!.sessionId);
  server.setData('/master', { id: h.id, pid: h.pid, epoch: 1 }, 0);
}

/** Bootstraps: the first worker registers and becomes master, then the slaves start; every worker registers. */
async function boot(initialSlaves = 1): Promise<{ master: WorkerHandle; slaves: WorkerHandle[] }> {
  await setup(initialSlaves);
  const booting = supervisor.bootstrap();
  await settle();
  const master = runtime.started[0];
  register(master, 'master');
  takeMaster(master);
  await clock.advanceAsync(100);
  await booting;
  await settle();
  const slaves = runtime.started.slice(1);
  for (const s of slaves) register(s);
  await settle();
  return { master, slaves };
}

test('bootstrap: the first worker alone until it is a ready master, then the slaves', async () => {
  await setup(2);
  const booting = supervisor.bootstrap();
  await settle();
  expect(runtime.started).toHaveLength(1);
  await clock.advanceAsync(500);
  expect(runtime.started).toHaveLength(1);
  register(runtime.started[0], 'master');
  await clock.advanceAsync(100);
  await booting;
  await settle();
  expect(runtime.started).toHaveLength(3);
});

test('bootstrap fails when no master is ready within the start timeout', async () => {
  await setup(1);
  const booting = supervisor.bootstrap();
  const failed = expect(booting).rejects.toThrow('timed out after 10000 ms without progress waiting for the first worker to become master (it never registered)');
  await clock.advanceAsync(10_100, 50);
  await failed;
});

test('bootstrap: a first worker replaying a long log has no deadline while its LSN moves, and one once it stalls', async () => {
  await setup(1);
  const booting = supervisor.bootstrap();
  let outcome: string | undefined;
  booting.then(() => (outcome = 'ready'), (err: Error) => (outcome = err.message));
  await settle();
  const first = runtime.started[0];
  register(first, 'slave', 'catching-up');
  // 25 s of replay, past the 10 s bound, with the LSN moving every 2 s.
  for (let lsn = 1; lsn <= 12; lsn++) {
    server.setData(`/workers/${first.id}`, { id: first.id, pid: first.pid, role: 'slave', state: 'catching-up', appliedLsn: lsn * 1000, epoch: 1, startedAt: 0, session: sessions.get(first.id)!.sessionId } satisfies WorkerInfo, -1);
    await clock.advanceAsync(2000, 50);
  }
  expect(outcome).toBeUndefined();
  // Then it stalls: the bound applies from its last progress.
  await clock.advanceAsync(10_100, 50);
  expect(outcome).toBe('timed out after 10000 ms without progress waiting for the first worker to become master (it had applied LSN 12000)');
});

test('an exited master: its /master is removed when it belongs to its session, and a replacement starts', async () => {
  const { master } = await boot();
  runtime.exit(master.id);
  await settle();
  expect(server.nodes.has('/master')).toBe(false);
  expect(server.nodes.has(`/workers/${master.id}`)).toBe(false);
  await clock.advanceAsync(500); // it lived 0 ms: the replacement comes after a pause
  expect(runtime.started).toHaveLength(3);
});

test('an exited worker named in /master whose session does not own it: /master is left alone', async () => {
  const { master, slaves } = await boot();
  // A new master (the slave) holds /master, but its data still names the old master (written by anyone).
  server.remove('/master');
  server.create('/master', { id: master.id, pid: master.pid, epoch: 2 }, sessions.get(slaves[0].id)!.sessionId);
  const before = server.changes.length;
  runtime.exit(master.id);
  await settle();
  expect(server.nodes.get('/master')?.owner).toBe(sessions.get(slaves[0].id)!.sessionId);
  expect(server.changes.slice(before)).toEqual([`remove /workers/${master.id}`]);
});

test('an exited slave never removes /master', async () => {
  const { slaves } = await boot();
  runtime.exit(slaves[0].id);
  await settle();
  expect(server.nodes.has('/master')).toBe(true);
  expect(server.nodes.has(`/workers/${slaves[0].id}`)).toBe(false);
});

test('a worker that keeps dying young is restarted with a growing pause on the clock', async () => {
  const { slaves } = await boot();
  runtime.exit(slaves[0].id); // lived 0 ms: one recent failure
  await settle();
  expect(runtime.started).toHaveLength(2); // the replacement waits 400 ms on the clock
  await clock.advanceAsync(390);
  expect(runtime.started).toHaveLength(2);
  await clock.advanceAsync(20);
  expect(runtime.started).toHaveLength(3);
  // It dies young too: 800 ms now.
  runtime.exit(runtime.started[2].id);
  await settle();
  await clock.advanceAsync(790);
  expect(runtime.started).toHaveLength(3);
  await clock.advanceAsync(20);
  expect(runtime.started).toHaveLength(4);
});

test('a replacement waiting out its restart pause when the supervisor closes is never started', async () => {
  const { slaves } = await boot();
  runtime.exit(slaves[0].id); // lived 0 ms: the replacement waits 400 ms on the clock
  await settle();
  await supervisor.close();
  await clock.advanceAsync(1000);
  await settle();
  expect(runtime.started).toHaveLength(2);
  expect(runtime.list()).toEqual([]);
});

test('a registered worker whose session is gone while its process runs (paused) is killed', async () => {
  const { slaves } = await boot();
  server.expire(sessions.get(slaves[0].id)!);
  await settle();
  expect(runtime.signals).toContainEqual({ id: slaves[0].id, signal: 'SIGKILL' });
  await settle();
  expect(runtime.running.has(slaves[0].id)).toBe(false);
});

test('a started worker that never registers within the start timeout is killed, and replaced', async () => {
  const { slaves } = await boot(2);
  runtime.exit(slaves[0].id, 'SIGKILL');
  await settle();
  await clock.advanceAsync(500); // past the pause for a worker that died young
  const hung = runtime.started[3];
  expect(runtime.running.has(hung.id)).toBe(true);
  // It never registers (its broker connection hangs); the registered slave beside it is left alone.
  await clock.advanceAsync(9_000);
  expect(runtime.signals).toEqual([]);
  await clock.advanceAsync(3_000); // past the 10 s bound; a pass runs at least every tenth of it
  await settle();
  expect(runtime.signals).toEqual([{ id: hung.id, signal: 'SIGKILL' }]);
  await settle();
  expect(runtime.running.has(hung.id)).toBe(false);
  expect(runtime.running.has(slaves[1].id)).toBe(true);
  expect(runtime.started).toHaveLength(5);
});

test('crash: master kills the /master holder, slave the highest-PID slave', async () => {
  const { master, slaves } = await boot(3);
  const highest = [...slaves].sort((a, b) => b.pid - a.pid)[0];
  expect(await supervisor.crash('slave')).toBe(highest.pid);
  expect(await supervisor.crash('master')).toBe(master.pid);
  expect(runtime.signals.map((s) => s.id)).toEqual([highest.id, master.id]);
});

test('scale-in stops the highest-PID slaves, never the master', async () => {
  await setup(3);
  runtime.pids = [5000, 100, 200, 300]; // the master has the highest PID
  const booting = supervisor.bootstrap();
  await settle();
  register(runtime.started[0], 'master');
  takeMaster(runtime.started[0]);
  await clock.advanceAsync(100);
  await booting;
  await settle();
  for (const s of runtime.started.slice(1)) register(s);
  await settle();
  await supervisor.setWantedSlaves(1);
  expect(runtime.list().map((h) => h.pid).sort()).toEqual([100, 5000]);
});

describe('one definition of a slave: started, not stopping, registered or not', () => {
  test('a started worker is announced in /starting with its PID until it registers or exits', async () => {
    const { master } = await boot(1);
    await supervisor.setWantedSlaves(3);
    const [b, c] = runtime.started.slice(2);
    expect(server.data(`/starting/${b.id}`)).toEqual({ id: b.id, pid: b.pid });
    expect(server.data(`/starting/${c.id}`)).toEqual({ id: c.id, pid: c.pid });
    expect(server.nodes.get(`/starting/${b.id}`)?.owner).not.toBeUndefined(); // ephemeral: gone with the orchestrator
    // worker/list shows them already: they are slaves from the start.
    expect(await supervisor.pids()).toEqual(runtime.started.map((h) => h.pid).sort((x, y) => x - y));
    register(b);
    await settle();
    expect(server.nodes.has(`/starting/${b.id}`)).toBe(false);
    runtime.exit(c.id);
    await settle();
    expect(server.nodes.has(`/starting/${c.id}`)).toBe(false);
    expect(server.nodes.has('/master')).toBe(true);
  });

  test('crash/slave picks the highest-PID slave even while it is still starting', async () => {
    await boot(1);
    await supervisor.setWantedSlaves(2);
    const starting = runtime.started[2];
    expect(server.nodes.has(`/workers/${starting.id}`)).toBe(false);
    expect(await supervisor.crash('slave')).toBe(starting.pid);
  });

  test('a stopping worker is not listed and not picked by crash/slave', async () => {
    const { master, slaves } = await boot(2);
    const [low, high] = [...slaves].sort((a, b) => a.pid - b.pid);
    // The worker stops itself (its state says so) while it still runs.
    server.setData(`/workers/${high.id}`, { ...server.data<WorkerInfo>(`/workers/${high.id}`)!, state: 'stopping' }, -1);
    expect(await supervisor.pids()).toEqual([master.pid, low.pid]);
    expect(await supervisor.crash('slave')).toBe(low.pid);
  });
});

describe('the orchestrator loses its own ZooKeeper session (it was paused, cut off)', () => {
  /** Ends the orchestrator's current session on the server's side (what a pause longer than the session does). */
  const expireOrchestrator = () => server.expire(orchestratorSessions[orchestratorSessions.length - 1]);

  test('no worker is stopped or signalled; a new session adopts them all and nothing new starts', async () => {
    const { master, slaves } = await boot(2);
    const before = runtime.list().map((h) => h.pid);
    expireOrchestrator();
    await settle();
    expect(orchestratorSessions).toHaveLength(2);
    expect(keeper.renewals).toBe(1);
    await clock.advanceAsync(5000);
    expect(runtime.signals).toEqual([]);
    expect(runtime.list().map((h) => h.pid)).toEqual(before);
    expect(runtime.started).toHaveLength(3);
    expect(await supervisor.pids()).toEqual([master.pid, ...slaves.map((h) => h.pid)].sort((a, b) => a - b));
    // The watch on /workers is set again with the new session: a slave that dies now is replaced.
    runtime.exit(slaves[0].id);
    await settle();
    await clock.advanceAsync(500);
    expect(runtime.started).toHaveLength(4);
  });

  test('while there is no session, what needs ZooKeeper fails at once with a 503; after it, it answers again', async () => {
    const { master } = await boot(1);
    zookeeperAway = true;
    expireOrchestrator();
    await settle();
    expect(keeper.available).toBe(false);
    const err = await supervisor.workers().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).status).toBe(503);
    expect((err as Error).message).toMatch(/without a ZooKeeper session .* its workers keep running/);
    await expect(supervisor.crash('master')).rejects.toBeInstanceOf(UnavailableError);
    await expect(supervisor.setWantedSlaves(3)).rejects.toBeInstanceOf(UnavailableError);
    // Retried every second, for as long as it takes; nothing is started or stopped meanwhile.
    await clock.advanceAsync(10_000, 100);
    expect(orchestratorSessions).toHaveLength(1);
    expect(runtime.started).toHaveLength(2);
    expect(runtime.signals).toEqual([]);
    zookeeperAway = false;
    await clock.advanceAsync(1000, 100);
    expect(keeper.available).toBe(true);
    await settle();
    // The wanted count set meanwhile was kept: two more slaves now.
    expect(runtime.started).toHaveLength(4);
    expect((await supervisor.workers()).find((w) => w.role === 'master')?.pid).toBe(master.pid);
  });

  test('a worker starting across a ZooKeeper outage gets the whole start bound again once ZooKeeper is back', async () => {
    await boot(1);
    await supervisor.setWantedSlaves(2);
    const starting = runtime.started[2];
    zookeeperAway = true;
    expireOrchestrator();
    await clock.advanceAsync(12_000); // the outage outlasts the 10 s bound; no pass runs meanwhile
    zookeeperAway = false;
    await clock.advanceAsync(1_000); // the keeper's retry: a new session
    await settle();
    expect(orchestratorSessions).toHaveLength(2);
    await clock.advanceAsync(8_000);
    await settle();
    expect(runtime.signals).toEqual([]);
    await clock.advanceAsync(3_000); // 11 s after ZooKeeper came back, still not registered
    await settle();
    expect(runtime.signals).toEqual([{ id: starting.id, signal: 'SIGKILL' }]);
  });

  test('a worker still starting is announced again in /starting with the new session', async () => {
    await boot(1);
    await supervisor.setWantedSlaves(2);
    const starting = runtime.started[2];
    expect(server.nodes.get(`/starting/${starting.id}`)?.owner).toBe(orchestratorSessions[0].sessionId);
    expireOrchestrator();
    expect(server.nodes.has(`/starting/${starting.id}`)).toBe(false);
    await settle();
    expect(server.data(`/starting/${starting.id}`)).toEqual({ id: starting.id, pid: starting.pid });
    expect(server.nodes.get(`/starting/${starting.id}`)?.owner).toBe(orchestratorSessions[1].sessionId);
    // Once it registers the announcement goes, as before.
    register(starting);
    await settle();
    expect(server.nodes.has(`/starting/${starting.id}`)).toBe(false);
  });

  test('a master that exits while there is no session: its /master is removed with the new session and it is replaced', async () => {
    const { master } = await boot(1);
    zookeeperAway = true;
    expireOrchestrator();
    await settle();
    runtime.exit(master.id);
    await settle();
    // Its session has not expired yet (a process that dies leaves its session to time out): /master is still there.
    expect(server.nodes.has('/master')).toBe(true);
    expect(runtime.started).toHaveLength(2);
    zookeeperAway = false;
    await clock.advanceAsync(1000, 100);
    await settle();
    expect(server.nodes.has('/master')).toBe(false);
    expect(server.nodes.has(`/workers/${master.id}`)).toBe(false);
    await clock.advanceAsync(500);
    expect(runtime.started).toHaveLength(3);
  });

  test('a pass stuck on requests the lost session never answers is abandoned, and the new session reconciles', async () => {
    const { slaves } = await boot(1);
    // The link is cut: requests go out and never come back; then the server expires the session.
    orchestratorSessions[0].cutOff = true;
    void supervisor.setWantedSlaves(2).catch(() => undefined);
    await settle();
    expect(runtime.started).toHaveLength(2);
    expireOrchestrator();
    await settle();
    expect(runtime.started).toHaveLength(3);
    expect(runtime.signals).toEqual([]);
    expect(runtime.running.has(slaves[0].id)).toBe(true);
  });

  test('a registered worker whose own session went while the orchestrator had none is still killed', async () => {
    const { slaves } = await boot(1);
    zookeeperAway = true;
    expireOrchestrator();
    await settle();
    server.expire(sessions.get(slaves[0].id)!);
    await settle();
    expect(runtime.signals).toEqual([]);
    zookeeperAway = false;
    await clock.advanceAsync(1000, 100);
    await settle();
    expect(runtime.signals).toEqual([{ id: slaves[0].id, signal: 'SIGKILL' }]);
  });
});

describe('a restarted orchestrator (the earlier one died with its workers registered)', () => {
  test('waits for the earlier run\'s workers to leave /workers, and only its own master counts as ready', async () => {
    await setup(1);
    const old = { id: 'w1-old', pid: 42, startedAt: 0 };
    const oldSession = register(old, 'master');
    takeMaster(old);
    const booting = supervisor.bootstrap();
    await clock.advanceAsync(1000, 50);
    expect(runtime.started).toHaveLength(0);
    server.expire(oldSession); // the earlier master stopped (its parent was gone): its session ends
    await clock.advanceAsync(200, 50);
    expect(runtime.started).toHaveLength(1);
    const first = runtime.started[0];
    // A master of someone else's (an earlier run that came back, say) is not ours: the bootstrap keeps waiting.
    const stranger = register({ id: 'w9-stranger', pid: 7, startedAt: 0 }, 'master');
    await clock.advanceAsync(500, 50);
    expect(runtime.started).toHaveLength(1);
    server.expire(stranger);
    register(first, 'master');
    takeMaster(first);
    await clock.advanceAsync(100, 50);
    await booting;
    await settle();
    expect(runtime.started).toHaveLength(2);
  });
});
