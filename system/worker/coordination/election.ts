import { EventEmitter } from 'node:events';
import type { Logger } from '../../common/logging/logger';
import { ZK_PATHS, type MasterInfo } from '../../common/zk/paths';
import { systemClock, type Clock } from '../../common/time/clock';
import { electorate, listStarting, listWorkers } from '../../common/zk/workers-directory';
import { isNodeExists, zkErrorName, type ZkClient } from '../../common/zk/zk-client';
import type { MasterNode } from './lease';

/** What 'elected' carries: the new epoch, and /master as the election wrote it (where the lease starts from). */
export interface Elected {
  epoch: number;
  master: MasterNode;
}

export interface ElectionOptions {
  /** How long to wait for a lower-PID worker that is still starting (ELECTION_WAIT_FOR_STARTING_MS). */
  waitForStartingMs: number;
  clock?: Clock;
}

/** What an Election emits; typed so that a misspelled event name fails to compile. */
export interface ElectionEvents {
  elected: [Elected];
}

/*
 * Master election. The master is whoever holds the ephemeral /master znode. When there is none, the worker with the
 * lowest PID (see `electorate`: registered and not stopping, or still starting) creates it (an atomic create: of two
 * contenders one wins) and bumps the persistent epoch. When the lowest is still starting (announced in /starting, not
 * yet in /workers), the others wait for it, up to `waitForStartingMs` from when they first saw it lowest; past that,
 * it is left out. A worker that joins while a master is healthy never contends, whatever its PID.
 * Emits 'elected' (Elected: the new epoch and /master's version), once.
 */
export class Election extends EventEmitter<ElectionEvents> {
  private running = false;
  private again = false;
  private elected = false;
  private stopped = false;
  private readonly wake = () => void this.evaluate();
  /** Starting workers waited for, with the (monotonic) time the wait for each began. */
  private readonly waitingSince = new Map<string, number>();
  private timer: unknown;
  private readonly clock: Clock;

  constructor(
    private readonly zk: ZkClient,
    private readonly me: { id: string; pid: number },
    private readonly log: Logger,
    private readonly o: ElectionOptions,
  ) {
    super();
    this.clock = o.clock ?? systemClock;
  }

  start(): void {
    void this.evaluate();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
  }

  private async evaluate(): Promise<void> {
    if (this.elected || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.attempt();
      } while (this.again && !this.elected && !this.stopped);
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'election step failed; retrying');
      setTimeout(this.wake, 200).unref();
    } finally {
      this.running = false;
    }
  }

  private async attempt(): Promise<void> {
    if (await this.zk.exists(ZK_PATHS.master, this.wake)) {
      this.waitingSince.clear();
      return;
    }
    const registered = await listWorkers(this.zk, this.wake);
    const starting = await listStarting(this.zk, this.wake);
    const now = this.clock.now();
    const candidates = electorate(registered, starting).filter((c) => c.registered || this.stillWaitingFor(c.id, now));
    const lowest = candidates.reduce<(typeof candidates)[number] | undefined>((a, c) => (a === undefined || c.pid < a.pid ? c : a), undefined);
    if (lowest && !lowest.registered) {
      this.log.info({ pid: lowest.pid, id: lowest.id }, 'election: waiting for a lower-PID worker that is still starting');
      this.wakeAt(this.waitingSince.get(lowest.id)! + this.o.waitForStartingMs);
    }
    if (lowest?.id !== this.me.id) return;
    let version = 0;
    try {
      await this.zk.create(ZK_PATHS.master, { id: this.me.id, pid: this.me.pid, epoch: -1 } satisfies MasterInfo, 'ephemeral');
    } catch (err) {
      // A create retried after a lost reply fails with NODE_EXISTS on our own node: then we did win.
      if (!isNodeExists(err)) throw err;
      const stat = await this.zk.exists(ZK_PATHS.master, this.wake);
      if (!stat || stat.ephemeralOwner.toString('hex') !== this.zk.sessionId) return;
      version = stat.version;
    }
    const epoch = await this.bumpEpoch(1);
    const data: MasterInfo = { id: this.me.id, pid: this.me.pid, epoch };
    // Conditional, like every later write of /master (the lease's): it names the version we created.
    const stat = await this.zk.setData(ZK_PATHS.master, data, version);
    this.elected = true;
    this.log.info({ epoch }, 'elected master');
    this.emit('elected', { epoch, master: { version: stat.version, data } } satisfies Elected);
  }

  /** True while the wait for this starting worker lasts (it begins now when it had not begun). */
  private stillWaitingFor(id: string, now: number): boolean {
    if (!this.waitingSince.has(id)) this.waitingSince.set(id, now);
    return now - this.waitingSince.get(id)! < this.o.waitForStartingMs;
  }

  private wakeAt(at: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(this.wake, Math.max(0, at - this.clock.now()) + 1);
  }

  /** Sets the persistent epoch to at least `atLeast` and above its current value; returns it. Master only. */
  async bumpEpoch(atLeast = 1): Promise<number> {
    for (;;) {
      const node = await this.zk.getData<{ epoch: number }>(ZK_PATHS.epoch);
      if (!node) {
        try {
          await this.zk.create(ZK_PATHS.epoch, { epoch: atLeast }, 'persistent');
          return atLeast;
        } catch (err) {
          if (isNodeExists(err)) continue;
          throw err;
        }
      }
      const next = Math.max(atLeast, (node.data?.epoch ?? 0) + 1);
      try {
        await this.zk.setData(ZK_PATHS.epoch, { epoch: next }, node.stat.version);
        return next;
      } catch (err) {
        if (zkErrorName(err) === 'BAD_VERSION') continue;
        throw err;
      }
    }
  }
}
