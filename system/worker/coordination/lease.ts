import type { Logger } from '../../common/logging/logger';
import { ZK_PATHS } from '../../common/zk/paths';
import type { ZkClient } from '../../common/zk/zk-client';

export type Clock = () => number;
const monotonic: Clock = () => performance.now();

/*
 * The master's own view of whether its ZooKeeper session can still be alive. ZooKeeper expires a session no earlier
 * than `sessionTimeout` after it last heard from the client, so a request that was *sent* at time s and answered
 * proves the session lives until at least s + sessionTimeout. Using the send time (not the answer time) matters:
 * after a SIGSTOP, answers queued during the pause arrive late but prove nothing new.
 * A master acts only while the lease holds: a new master can only be elected after it lapsed.
 */
export class ZkLease {
  private lastProof = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly zk: ZkClient,
    private readonly log: Logger,
    private readonly clock: Clock = monotonic,
    /** Share of the session timeout the lease may use; the rest is margin for clock and tick granularity. */
    private readonly safety = 0.8,
  ) {}

  async start(): Promise<void> {
    await this.renew();
    const every = Math.max(50, Math.floor(this.zk.sessionTimeoutMs / 5));
    this.timer = setInterval(() => void this.renew(), every);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    const sentAt = this.clock();
    try {
      await this.zk.exists(ZK_PATHS.master);
      this.lastProof = Math.max(this.lastProof, sentAt);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'ZooKeeper did not answer a lease renewal');
    }
  }

  /** True while the session is certainly alive. */
  valid(): boolean {
    return this.clock() - this.lastProof < this.zk.sessionTimeoutMs * this.safety;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
