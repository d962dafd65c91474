import { NotFoundError } from '../../common/errors/errors';
import type { Logger } from '../../common/logging/logger';
import { ZK_PATHS, startingPath, workerPath, type StartingInfo, type WorkerInfo } from '../../common/zk/paths';
import { countsAsWorker, listWorkers, readMaster } from '../../common/zk/workers-directory';
import type { ZkClient } from '../../common/zk/zk-client';
import { sleepOn, systemClock, type Clock } from '../../common/time/clock';
import { waitUntil } from '../../common/time/wait-until';
import type { WorkerExit, WorkerHandle, WorkerRuntime } from '../runtime/worker-runtime';
import type { WorkerView } from '../../common/protocol/worker-view';
import { exponentialBackoff } from '../../common/retry/backoff';

/** Pause before starting workers again after failed starts: a worker that cannot start must not be respawned in a tight loop. */
const RESTART_BACKOFF = exponentialBackoff(200, 5000);

export interface SupervisorOptions {
  runtime: WorkerRuntime;
  zk: ZkClient;
  log: Logger;
  initialSlaves: number;
  maxSlaves: number;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  /** Kill a worker whose ZooKeeper session is gone while its process still runs (it may be paused). */
  killLostWorkers: boolean;
  /** Default: the system clock. */
  clock?: Clock;
}

/*
 * The one owner of the worker count. It keeps one master plus the wanted number of slaves running: it replaces
 * workers that die, starts and stops slaves when the wanted count changes, and kills workers on the crash APIs.
 * All changes go through one serialized reconcile pass, so scaling and crash recovery cannot race into a wrong count.
 * The master itself is not chosen here: the workers elect it among themselves through ZooKeeper.
 */
export class Supervisor {
  private wanted: number;
  private readonly stopping = new Set<string>();
  private readonly registered = new Set<string>();
  private reconciling = false;
  private again = false;
  private closed = false;
  private counter = 0;
  private backstop: unknown;
  private recentFailures = 0;
  /** Each registered worker's ZooKeeper session, kept after its exit until its znodes are dealt with. */
  private readonly sessions = new Map<string, string>();
  /** Workers announced in /starting and not seen registered yet; the announcements being written. */
  private readonly announced = new Set<string>();
  private readonly announcing = new Set<Promise<void>>();
  private readonly clock: Clock;
  private readonly wake = () => this.reconcile();

  constructor(private readonly o: SupervisorOptions) {
    this.wanted = o.initialSlaves;
    this.clock = o.clock ?? systemClock;
    o.runtime.on('exit', (exit: WorkerExit) => void this.onExit(exit));
  }

  get wantedSlaves(): number {
    return this.wanted;
  }

  /** Starts the first worker, waits until it is an elected, ready master, then starts the slaves. */
  async bootstrap(): Promise<void> {
    const existing = await listWorkers(this.o.zk);
    if (existing.length > 0) {
      this.o.log.warn({ count: existing.length }, 'workers of an earlier run are still registered; they will expire with their sessions');
    }
    await this.startWorker();
    const deadline = this.clock.now() + this.o.startTimeoutMs;
    while (!(await listWorkers(this.o.zk).catch(() => [])).some((w) => w.role === 'master' && w.state === 'ready')) {
      if (this.clock.now() > deadline) throw new Error(`timed out after ${this.o.startTimeoutMs} ms waiting for the first worker to become master`);
      await sleepOn(this.clock, 50);
    }
    // The pass sets the watch on /workers (listWorkers with this.wake).
    await this.reconcileNow();
    // Watches drive reconciliation; this slow pass is the backstop for a watch lost with a failed pass.
    const backstop = () => {
      if (this.closed) return;
      this.reconcile();
      this.backstop = this.clock.setTimeout(backstop, this.o.startTimeoutMs / 10);
    };
    this.backstop = this.clock.setTimeout(backstop, this.o.startTimeoutMs / 10);
  }

  /** Sets the wanted slave count (clamped to 1..maxSlaves) and converges to it. */
  async setWantedSlaves(n: number): Promise<void> {
    this.wanted = Math.max(1, Math.min(this.o.maxSlaves, n));
    await this.reconcileNow();
  }

  reconcile(): void {
    void this.reconcileNow().catch((err) => this.o.log.error({ err: (err as Error).message }, 'reconcile failed'));
  }

  private async reconcileNow(): Promise<void> {
    if (this.closed) return;
    if (this.reconciling) {
      this.again = true;
      return;
    }
    this.reconciling = true;
    try {
      do {
        this.again = false;
        await this.pass();
      } while (this.again && !this.closed);
    } finally {
      this.reconciling = false;
    }
  }

  private async pass(): Promise<void> {
    const infos = await listWorkers(this.o.zk, this.wake);
    const byId = new Map(infos.map((i) => [i.id, i]));
    for (const i of infos) this.sessions.set(i.id, i.session);
    const live = this.o.runtime.list().filter((h) => !this.stopping.has(h.id));
    for (const h of live) {
      if (byId.has(h.id)) {
        this.registered.add(h.id);
        // Registered: the /workers entry speaks for it now.
        if (this.announced.delete(h.id)) await this.o.zk.remove(startingPath(h.id)).catch(() => undefined);
      }
      else if (this.registered.has(h.id) && this.o.killLostWorkers) {
        // It was registered and its session is gone: ZooKeeper considers it dead, so it must be (it may be paused).
        this.o.log.warn({ id: h.id, pid: h.pid }, 'worker lost its ZooKeeper session; killing it');
        await this.o.runtime.signal(h.id, 'SIGKILL').catch(() => undefined);
      }
    }
    const running = live.filter((h) => !this.registered.has(h.id) || byId.has(h.id));
    const want = 1 + this.wanted;
    if (running.length < want) {
      if (this.recentFailures > 0) await sleepOn(this.clock, RESTART_BACKOFF(this.recentFailures));
      await Promise.all(Array.from({ length: want - running.length }, () => this.startWorker()));
    } else if (running.length > want) {
      const masterId = (await readMaster(this.o.zk))?.id;
      const victims = running
        .filter((h) => h.id !== masterId && byId.get(h.id)?.role !== 'master')
        .sort((a, b) => b.pid - a.pid)
        .slice(0, running.length - want);
      for (const v of victims) this.o.log.info({ id: v.id, pid: v.pid }, 'scaling in: stopping slave');
      await Promise.all(victims.map((v) => this.stopWorker(v)));
    }
  }

  private async startWorker(): Promise<WorkerHandle> {
    const id = `w${++this.counter}-${this.clock.wall().toString(36)}`;
    const handle = await this.o.runtime.start(id, {});
    this.o.log.info({ id, pid: handle.pid }, 'started worker');
    const announcing = this.announce(handle);
    this.announcing.add(announcing);
    await announcing.finally(() => this.announcing.delete(announcing));
    return handle;
  }

  /**
   * A started worker is a worker (a slave) at once, registered or not (see `electorate`): /starting tells the
   * workers' election about it until its /workers entry does. Ephemeral in our session: gone with the orchestrator.
   */
  private async announce(h: WorkerHandle): Promise<void> {
    try {
      await this.o.zk.mkdirp(ZK_PATHS.starting);
      await this.o.zk.create(startingPath(h.id), { id: h.id, pid: h.pid } satisfies StartingInfo, 'ephemeral');
      this.announced.add(h.id);
    } catch (err) {
      this.o.log.warn({ id: h.id, err: (err as Error).message }, 'could not announce a starting worker');
    }
  }

  private async stopWorker(h: WorkerHandle): Promise<void> {
    this.stopping.add(h.id);
    try {
      await this.o.runtime.stop(h.id, this.o.stopTimeoutMs);
    } finally {
      this.stopping.delete(h.id);
    }
  }

  private async onExit(exit: WorkerExit): Promise<void> {
    const planned = this.stopping.has(exit.id) || this.closed;
    // startedAt is the runtime's wall-clock time.
    const lifetime = this.clock.wall() - exit.startedAt;
    this.recentFailures = !planned && lifetime < 3000 ? this.recentFailures + 1 : 0;
    this.registered.delete(exit.id);
    if (this.closed) return;
    // An exited worker is certainly dead: remove its znodes now instead of waiting for its session to expire.
    const warn = (err: unknown) => this.o.log.warn({ id: exit.id, err: (err as Error).message }, 'could not remove a znode of an exited worker');
    await this.removeMasterOf(exit.id).catch(warn);
    await this.o.zk.remove(workerPath(exit.id)).catch(warn);
    if (this.announced.delete(exit.id)) await this.o.zk.remove(startingPath(exit.id)).catch(warn);
    this.sessions.delete(exit.id);
    if (!this.closed) this.reconcile();
  }

  /**
   * Removes /master when it belongs to the dead worker: when its ephemeralOwner is the session that worker
   * registered with (its /workers entry says which). The name in /master's data proves nothing (any session can
   * write it), and a /master of another session is a live master's. The removal names the version just seen, so a
   * node that changed meanwhile is left to ZooKeeper's session expiry.
   */
  private async removeMasterOf(id: string): Promise<void> {
    const session = this.sessions.get(id) ?? (await this.o.zk.getData<{ session?: string }>(workerPath(id)))?.data?.session;
    const stat = await this.o.zk.exists(ZK_PATHS.master);
    if (!stat || !session) return;
    const owner = stat.ephemeralOwner.toString('hex');
    if (owner !== session) return;
    this.o.log.info({ id, session }, 'removing /master of an exited worker');
    await this.o.zk.remove(ZK_PATHS.master, stat.version);
  }

  /** Kills the master (role 'master') or the slave with the highest PID (role 'slave') with SIGKILL. */
  async crash(role: 'master' | 'slave'): Promise<number> {
    // A worker being announced is already a slave for the election: let the announcement land first.
    await Promise.all(this.announcing);
    // Among the workers worker/list shows (one definition: starting ones are slaves, stopping ones are not listed).
    const listed = new Set((await this.workers()).filter((w) => countsAsWorker(w.state)).map((w) => w.id));
    const handles = this.o.runtime.list().filter((h) => listed.has(h.id));
    const master = await readMaster(this.o.zk);
    let victim: WorkerHandle | undefined;
    if (role === 'master') victim = handles.find((h) => h.id === master?.id);
    else victim = handles.filter((h) => h.id !== master?.id).sort((a, b) => b.pid - a.pid)[0];
    if (!victim) throw new NotFoundError(`there is no ${role} worker to crash`);
    this.o.log.warn({ role, id: victim.id, pid: victim.pid }, 'crash API: killing worker');
    // Answer once the worker is gone, so that worker/list read after the crash call no longer shows it.
    const gone = new Promise<void>((resolve) => {
      const onExit = (exit: WorkerExit) => {
        if (exit.id !== victim!.id) return;
        this.o.runtime.off('exit', onExit);
        resolve();
      };
      this.o.runtime.on('exit', onExit);
    });
    await this.o.runtime.signal(victim.id, 'SIGKILL');
    await Promise.race([gone, sleepOn(this.clock, this.o.stopTimeoutMs)]);
    return victim.pid;
  }

  async workers(): Promise<WorkerView[]> {
    const infos = new Map((await listWorkers(this.o.zk)).map((i) => [i.id, i]));
    return this.o.runtime
      .list()
      .map((h) => {
        const i = infos.get(h.id);
        return {
          id: h.id,
          pid: h.pid,
          role: i?.role ?? 'unknown',
          state: this.stopping.has(h.id) ? 'stopping' : (i?.state ?? 'unregistered'),
          appliedLsn: i?.appliedLsn ?? null,
          epoch: i?.epoch ?? null,
        } satisfies WorkerView;
      })
      .sort((a, b) => a.pid - b.pid);
  }

  /** The sorted PIDs of the master and every slave (starting ones included, stopping ones not): worker/list. */
  async pids(): Promise<number[]> {
    return (await this.workers()).filter((w) => countsAsWorker(w.state)).map((w) => w.pid);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.backstop !== undefined) this.clock.clearTimeout(this.backstop);
    await this.o.runtime.close(this.o.stopTimeoutMs);
  }
}
