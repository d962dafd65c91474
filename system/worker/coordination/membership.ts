import type { Logger } from '../../common/logging/logger';
import { ZK_PATHS, workerPath, type WorkerInfo } from '../../common/zk/paths';
import type { ZkClient } from '../../common/zk/zk-client';

/*
 * The worker's entry under /workers: an ephemeral znode that lives as long as its ZooKeeper session, carrying PID,
 * role, state and applied LSN. LSN changes are written at most once per `updateMs`; role and state changes at once.
 */
export class Membership {
  private info: WorkerInfo;
  private timer: NodeJS.Timeout | undefined;
  private written = '';

  constructor(
    private readonly zk: ZkClient,
    initial: WorkerInfo,
    private readonly updateMs: number,
    private readonly log: Logger,
  ) {
    this.info = initial;
  }

  get current(): WorkerInfo {
    return this.info;
  }

  async register(): Promise<void> {
    await this.zk.mkdirp(ZK_PATHS.workers);
    this.written = JSON.stringify(this.info);
    await this.zk.create(workerPath(this.info.id), this.info, 'ephemeral');
    this.timer = setInterval(() => void this.flush(), this.updateMs);
    this.timer.unref();
  }

  /** Changes role or state: published at once. */
  async set(change: Partial<Pick<WorkerInfo, 'role' | 'state' | 'epoch'>>): Promise<void> {
    this.info = { ...this.info, ...change };
    await this.flush();
  }

  /** Notes a new applied LSN: published with the next periodic flush. */
  noteLsn(appliedLsn: number, epoch: number): void {
    this.info = { ...this.info, appliedLsn, epoch };
  }

  private async flush(): Promise<void> {
    const text = JSON.stringify(this.info);
    if (text === this.written) return;
    try {
      await this.zk.setData(workerPath(this.info.id), this.info);
      this.written = text;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not update the worker znode');
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
