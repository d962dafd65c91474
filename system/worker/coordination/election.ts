import { EventEmitter } from 'node:events';
import type { Logger } from '../../common/logging/logger';
import { ZK_PATHS, type MasterInfo } from '../../common/zk/paths';
import { listWorkers } from '../../common/zk/workers-directory';
import { isNodeExists, zkErrorName, type ZkClient } from '../../common/zk/zk-client';
import type { MasterNode } from './lease';

/** What 'elected' carries: the new epoch, and /master as the election wrote it (where the lease starts from). */
export interface Elected {
  epoch: number;
  master: MasterNode;
}

/*
 * Master election. The master is whoever holds the ephemeral /master znode. When there is none, the live worker
 * with the lowest PID creates it (an atomic create: of two contenders one wins) and bumps the persistent epoch.
 * A worker that joins while a master is healthy never contends, whatever its PID.
 * Emits 'elected' (Elected: the new epoch and /master's version), once.
 */
export class Election extends EventEmitter {
  private running = false;
  private again = false;
  private elected = false;
  private stopped = false;
  private readonly wake = () => void this.evaluate();

  constructor(
    private readonly zk: ZkClient,
    private readonly me: { id: string; pid: number },
    private readonly log: Logger,
  ) {
    super();
  }

  start(): void {
    void this.evaluate();
  }

  stop(): void {
    this.stopped = true;
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
    if (await this.zk.exists(ZK_PATHS.master, this.wake)) return;
    const workers = (await listWorkers(this.zk, this.wake)).filter((w) => w.state !== 'stopping');
    const lowest = workers.reduce<(typeof workers)[number] | undefined>((a, w) => (a === undefined || w.pid < a.pid ? w : a), undefined);
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
