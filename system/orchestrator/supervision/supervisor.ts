import { NotFoundError, UnavailableError } from '../../common/errors/errors';
import type { Logger } from '../../common/logging/logger';
import { ZK_PATHS, startingPath, workerPath, type StartingInfo, type WorkerInfo } from '../../common/zk/paths';
import { countsAsWorker, listWorkers, readMaster } from '../../common/zk/workers-directory';
import type { ZkClient } from '../../common/zk/zk-client';
import { sleepOn, systemClock, type Clock } from '../../common/time/clock';
import { waitUntil } from '../../common/time/wait-until';
import type { WorkerExit, WorkerHandle, WorkerRuntime } from '../runtime/worker-runtime';
import type { WorkerView } from '../../common/protocol/worker-view';
import { exponentialBackoff } from '../../common/retry/backoff';
import type { ZkSession } from './session-keeper';

/** Pause before starting workers again after failed starts: a worker that cannot start must not be respawned in a tight loop. */
const RESTART_BACKOFF = exponentialBackoff(200, 5000);
/** How often the bootstrap says how far the first worker has replayed the log. */
const BOOT_PROGRESS_MS = 5000;

export interface SupervisorOptions {
  runtime: WorkerRuntime;
  /** The orchestrator's ZooKeeper session: renewed when lost, the workers kept (see session-keeper.ts). */
  session: ZkSession;
  log: Logger;
  initialSlaves: number;
  maxSlaves: number;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  /** Kill a worker whose ZooKeeper session is gone while its process still runs (it may be paused). */
  killLostWorkers: boolean;
  /** Extra environment for one worker, asked for just before it starts (its link-proxy addresses: WORKER_LINK_PROXY). */
  workerEnv?: (id: string) => Promise<Record<string, string>>;
  /** Default: the system clock. */
  clock?: Clock;
}

/*
 * The one owner of the worker count. It keeps one master plus the wanted number of slaves running: it replaces
 * workers that die, starts and stops slaves when the wanted count changes, and kills workers on the crash APIs.
 * All changes go through one serialized reconcile pass, so scaling and crash recovery cannot race into a wrong count.
 * The master itself is not chosen here: the workers elect it among themselves through ZooKeeper.
 *
 * Its own ZooKeeper session may be lost (it was paused, cut off): the workers it started keep running, with sessions of
 * their own. While it has no session it changes nothing (it cannot know what is true); with the new one it reads
 * /workers again, sets its watch, announces again in /starting the workers it started that have not registered, cleans
 * up after the workers that exited meanwhile, and carries on with the same runtime handles.
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
  private readonly announcingIds = new Set<string>();
  /** Exited workers whose znodes could not be removed yet (no session): done again with the next session. */
  private readonly uncleaned = new Set<string>();
  /** Abandons the running pass when the session is lost (its requests may never be answered). */
  private abortPass: ((err: Error) => void) | undefined;
  private readonly clock: Clock;
  private readonly wake = () => this.reconcile();
  /** When each worker was first seen starting (monotonic clock): the start bound counts from here... */
  private readonly startSeen = new Map<string, number>();
  /** ...or from when ZooKeeper was last back for us, if later: during an outage no worker can register. */
  private zookeeperBackAt: number;

  constructor(private readonly o: SupervisorOptions) {
    this.wanted = o.initialSlaves;
    this.clock = o.clock ?? systemClock;
    this.zookeeperBackAt = this.clock.now();
    o.runtime.on('exit', (exit: WorkerExit) => void this.onExit(exit));
    o.session.on('lost', () => this.onSessionLost());
    o.session.on('renewed', () => {
      this.zookeeperBackAt = this.clock.now();
      void this.onSessionRenewed();
    });
    o.session.on('reconnected', () => {
      this.zookeeperBackAt = this.clock.now();
      this.reconcile();
    });
  }

  /** The current session's client; an UnavailableError (503) while there is none. */
  private get zk(): ZkClient {
    return this.o.session.zk();
  }

  private onSessionLost(): void {
    // The /starting announcements were ephemeral nodes of the lost session: gone with it.
    this.announced.clear();
    this.abortPass?.(new UnavailableError('the ZooKeeper session was lost during a reconcile pass'));
  }

  private async onSessionRenewed(): Promise<void> {
    if (this.closed) return;
    this.o.log.info({ workers: this.o.runtime.list().length }, 'new ZooKeeper session: adopting the running workers');
    for (const id of [...this.uncleaned]) await this.cleanUp(id);
    this.reconcile();
  }

  get wantedSlaves(): number {
    return this.wanted;
  }

  /**
   * Waits (bounded by the start timeout) for the workers of an earlier run to leave /workers: they stop by themselves
   * when their orchestrator is gone (process runtime: the parent watchdog) or are removed with their containers
   * (docker runtime), and their sessions end. Then starts the first worker, waits until it is an elected, ready master,
   * then starts the slaves.
   */
  async bootstrap(): Promise<void> {
    let deadline = this.clock.now() + this.o.startTimeoutMs;
    const existing = await listWorkers(this.zk);
    if (existing.length > 0) {
      this.o.log.warn({ pids: existing.map((w) => w.pid) }, 'workers of an earlier run are still registered; waiting for them to go');
      while ((await listWorkers(this.zk)).length > 0) {
        if (this.clock.now() > deadline) {
          this.o.log.warn('workers of an earlier run are still registered; starting anyway');
          break;
        }
        await sleepOn(this.clock, 100);
      }
    }
    await this.startWorker();
    deadline = this.clock.now() + this.o.startTimeoutMs;
    // Our own master: a master of an earlier run that has not gone yet does not count.
    const mine = (w: WorkerInfo) => this.o.runtime.list().some((h) => h.id === w.id);
    const ours = (w: WorkerInfo) => w.role === 'master' && w.state === 'ready' && mine(w);
    // Replaying a long log is progress, not a hang: the start bound counts from the last LSN the first worker reached.
    let reached = -1;
    let said = this.clock.now();
    for (;;) {
      const found = await listWorkers(this.zk).catch(() => []);
      if (found.some(ours)) break;
      const lsn = Math.max(-1, ...found.filter(mine).map((w) => w.appliedLsn));
      if (lsn > reached) {
        reached = lsn;
        deadline = this.clock.now() + this.o.startTimeoutMs;
      }
      if (reached >= 0 && this.clock.now() - said >= BOOT_PROGRESS_MS) {
        said = this.clock.now();
        this.o.log.info({ appliedLsn: reached }, 'the first worker is replaying the log');
      }
      if (this.clock.now() > deadline) {
        throw new Error(`timed out after ${this.o.startTimeoutMs} ms without progress waiting for the first worker to become master` + (reached >= 0 ? ` (it had applied LSN ${reached})` : ' (it never registered)'));
      }
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
    void this.reconcileNow().catch((err) => {
      // Without a session a pass cannot run; the new session starts one.
      if (err instanceof UnavailableError) this.o.log.warn({ err: err.message }, 'reconcile put off');
      else this.o.log.error({ err: (err as Error).message }, 'reconcile failed');
    });
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
        await this.abortable(this.pass());
      } while (this.again && !this.closed);
    } finally {
      this.reconciling = false;
      // A pass asked for while a failing one ran (a new session, a watch) must not be lost with the failure.
      if (this.again && !this.closed) {
        this.again = false;
        this.reconcile();
      }
    }
  }

  /** A pass, abandoned when the session is lost meanwhile: requests of a lost session may never be answered. */
  private async abortable(pass: Promise<void>): Promise<void> {
    const aborted = new Promise<never>((_, reject) => (this.abortPass = reject));
    try {
      await Promise.race([pass, aborted]);
    } finally {
      this.abortPass = undefined;
    }
  }

  private async pass(): Promise<void> {
    const infos = await listWorkers(this.zk, this.wake);
    const byId = new Map(infos.map((i) => [i.id, i]));
    for (const i of infos) this.sessions.set(i.id, i.session);
    const live = this.o.runtime.list().filter((h) => !this.stopping.has(h.id));
    for (const h of live) {
      if (byId.has(h.id)) {
        this.registered.add(h.id);
        // Registered: the /workers entry speaks for it now.
        if (this.announced.delete(h.id)) await this.zk.remove(startingPath(h.id)).catch(() => undefined);
      }
      else if (this.registered.has(h.id) && this.o.killLostWorkers) {
        // It was registered and its session is gone: ZooKeeper considers it dead, so it must be (it may be paused).
        this.o.log.warn({ id: h.id, pid: h.pid }, 'worker lost its ZooKeeper session; killing it');
        await this.o.runtime.signal(h.id, 'SIGKILL').catch(() => undefined);
      } else if (!this.registered.has(h.id) && this.startingFor(h.id) > this.o.startTimeoutMs) {
        // Never registered within the start bound: it hangs (a connection that neither opens nor fails, such as one to
        // a broker that was restarting). Counted as a slave while it starts, it would stand in for a working one forever.
        this.o.log.warn({ id: h.id, pid: h.pid, ms: this.startingFor(h.id) }, 'worker did not register within WORKER_START_TIMEOUT_MS; killing it');
        await this.o.runtime.signal(h.id, 'SIGKILL').catch(() => undefined);
      } else if (!this.registered.has(h.id) && !this.announced.has(h.id) && !this.announcingIds.has(h.id)) {
        // Started, not registered, not announced: its announcement failed or went with a lost session.
        await this.announce(h);
      }
    }
    const running = live.filter((h) => !this.registered.has(h.id) || byId.has(h.id));
    const want = 1 + this.wanted;
    if (running.length < want) {
      if (this.recentFailures > 0) await sleepOn(this.clock, RESTART_BACKOFF(this.recentFailures));
      await Promise.all(Array.from({ length: want - running.length }, () => this.startWorker()));
    } else if (running.length > want) {
      const masterId = (await readMaster(this.zk))?.id;
      const victims = running
        .filter((h) => h.id !== masterId && byId.get(h.id)?.role !== 'master')
        .sort((a, b) => b.pid - a.pid)
        .slice(0, running.length - want);
      for (const v of victims) this.o.log.info({ id: v.id, pid: v.pid }, 'scaling in: stopping slave');
      await Promise.all(victims.map((v) => this.stopWorker(v)));
    }
  }

  /** How long worker `id` has been starting, as the start bound counts it. */
  private startingFor(id: string): number {
    const now = this.clock.now();
    if (!this.startSeen.has(id)) this.startSeen.set(id, now);
    return now - Math.max(this.startSeen.get(id)!, this.zookeeperBackAt);
  }

  private async startWorker(): Promise<void> {
    const id = `w${++this.counter}-${this.clock.wall().toString(36)}`;
    const env = (await this.o.workerEnv?.(id)) ?? {};
    // A pass that was waiting (a restart backoff, ZooKeeper) when close() came must not start a worker after it: the
    // worker would outlive the orchestrator's stop (found as "reconcile failed: ENOENT" on a removed log directory).
    if (this.closed) return;
    const handle = await this.o.runtime.start(id, env);
    if (this.closed) {
      await this.o.runtime.stop(id, this.o.stopTimeoutMs);
      return;
    }
    this.startSeen.set(id, this.clock.now());
    this.o.log.info({ id, pid: handle.pid }, 'started worker');
    const announcing = this.announce(handle);
    this.announcing.add(announcing);
    await announcing.finally(() => this.announcing.delete(announcing));
  }

  /**
   * A started worker is a worker (a slave) at once, registered or not (see `electorate`): /starting tells the
   * workers' election about it until its /workers entry does. Ephemeral in our session: gone with the orchestrator.
   */
  private async announce(h: WorkerHandle): Promise<void> {
    this.announcingIds.add(h.id);
    try {
      const zk = this.zk;
      await zk.mkdirp(ZK_PATHS.starting);
      await zk.create(startingPath(h.id), { id: h.id, pid: h.pid } satisfies StartingInfo, 'ephemeral');
      // Only if that session is still the one: an announcement of a lost session went with it.
      if (this.o.session.available && this.o.session.zk() === zk) this.announced.add(h.id);
    } catch (err) {
      this.o.log.warn({ id: h.id, err: (err as Error).message }, 'could not announce a starting worker');
    } finally {
      this.announcingIds.delete(h.id);
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
    this.startSeen.delete(exit.id);
    if (this.closed) return;
    this.uncleaned.add(exit.id);
    await this.cleanUp(exit.id);
    if (!this.closed) this.reconcile();
  }

  /** An exited worker is certainly dead: its znodes go now instead of when its session expires (again, if it fails). */
  private async cleanUp(id: string): Promise<void> {
    try {
      await this.removeMasterOf(id);
      await this.zk.remove(workerPath(id));
      if (this.announced.has(id)) await this.zk.remove(startingPath(id));
      this.announced.delete(id);
      this.sessions.delete(id);
      this.uncleaned.delete(id);
    } catch (err) {
      this.o.log.warn({ id, err: (err as Error).message }, 'could not remove the znodes of an exited worker; trying again with the next session');
    }
  }

  /**
   * Removes /master when it belongs to the dead worker: when its ephemeralOwner is the session that worker
   * registered with (its /workers entry says which). The name in /master's data proves nothing (any session can
   * write it), and a /master of another session is a live master's. The removal names the version just seen, so a
   * node that changed meanwhile is left to ZooKeeper's session expiry.
   */
  private async removeMasterOf(id: string): Promise<void> {
    const zk = this.zk;
    const session = this.sessions.get(id) ?? (await zk.getData<{ session?: string }>(workerPath(id)))?.data?.session;
    const stat = await zk.exists(ZK_PATHS.master);
    if (!stat || !session) return;
    const owner = stat.ephemeralOwner.toString('hex');
    if (owner !== session) return;
    this.o.log.info({ id, session }, 'removing /master of an exited worker');
    await zk.remove(ZK_PATHS.master, stat.version);
  }

  /** Kills the master (role 'master') or the slave with the highest PID (role 'slave') with SIGKILL. */
  async crash(role: 'master' | 'slave'): Promise<number> {
    // A worker being announced is already a slave for the election: let the announcement land first.
    await Promise.all(this.announcing);
    // Among the workers worker/list shows (one definition: starting ones are slaves, stopping ones are not listed).
    const listed = new Set((await this.workers()).filter((w) => countsAsWorker(w.state)).map((w) => w.id));
    const handles = this.o.runtime.list().filter((h) => listed.has(h.id));
    const master = await readMaster(this.zk);
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
    const infos = new Map((await listWorkers(this.zk)).map((i) => [i.id, i]));
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
          seededLsn: i?.seededLsn ?? null,
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
