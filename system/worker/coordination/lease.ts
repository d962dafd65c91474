import type { Logger } from '../../common/logging/logger';
import { systemClock, type Clock } from '../../common/time/clock';
import { ZK_PATHS, type MasterInfo } from '../../common/zk/paths';
import { zkErrorName, type ZkClient } from '../../common/zk/zk-client';

/** /master as its owner last wrote it: the version its next conditional write must name. */
export interface MasterNode {
  version: number;
  data: MasterInfo;
}

export interface ZkLeaseOptions {
  /** Called once, when a write shows that /master is no longer this worker's: it must stop acting as master. */
  onLost: (reason: string) => void;
  clock?: Clock;
  /** Share of the session timeout the lease may use; the rest is margin for clock and tick granularity. */
  safety?: number;
}

/*
 * The master's proof that it still is the master, renewed by writes.
 *
 * Ownership: every renewal is a conditional setData of /master naming the version this worker last wrote. A write
 * goes through ZooKeeper's leader, so its success proves what a read cannot (a follower cut off from its leader keeps
 * answering reads): /master exists, is the node this worker last wrote, and (the stat the write returns says so) is
 * an ephemeral of this worker's session. NO_NODE, or a node of another session, means the worker is no longer
 * master: `onLost` is called and the lease never holds again. BAD_VERSION on a node of our own session can only be
 * one of our writes whose answer was lost: the version is taken from a read, and the next write proves again.
 *
 * Time: ZooKeeper expires a session no earlier than `sessionTimeout` after it last heard from the client, so a write
 * *sent* at time s and answered proves the session lives until at least s + sessionTimeout (the send time, not the
 * answer time: after a SIGSTOP, answers queued during the pause arrive late but prove nothing new). The lease is
 * judged on two clocks and lapses when either says so: the monotonic clock (immune to wall-clock steps, but on Linux
 * it stands still while the machine is suspended) and the wall clock (keeps counting through a suspend, but can
 * jump; a forward jump lapses the lease, which costs availability, never safety).
 * A master acts only while the lease holds: a new master can only be elected after it lapsed.
 */
export class ZkLease {
  private proof: { mono: number; wall: number } | undefined;
  private node: MasterNode | undefined;
  private lost: string | undefined;
  private timer: unknown;
  private busy: Promise<void> = Promise.resolve();
  private inFlight = false;
  private stopped = false;
  private readonly clock: Clock;
  private readonly safety: number;

  constructor(
    private readonly zk: ZkClient,
    private readonly log: Logger,
    private readonly o: ZkLeaseOptions,
  ) {
    this.clock = o.clock ?? systemClock;
    this.safety = o.safety ?? 0.8;
  }

  /** Renewals happen this often: five per session timeout, so that one or two lost ones do not lapse the lease. */
  get renewEveryMs(): number {
    return Math.max(50, Math.floor(this.zk.sessionTimeoutMs / 5));
  }

  /** Starts from /master as the election left it; the first renewal must prove ownership, or this rejects. */
  async start(held: MasterNode): Promise<void> {
    this.node = held;
    await this.write(held.data);
    if (!this.valid()) throw new Error(this.lost ?? 'the first lease renewal was not answered');
    this.schedule();
  }

  /** The data /master holds now (as this worker last wrote it). */
  get master(): MasterInfo | undefined {
    return this.node?.data;
  }

  /** Writes new data into /master (a raised epoch), conditionally like a renewal; rejects when it did not prove. */
  async update(data: MasterInfo): Promise<void> {
    await this.write(data);
    if (this.lost) throw new Error(this.lost);
  }

  private schedule(): void {
    if (this.stopped || this.lost) return;
    this.timer = this.clock.setTimeout(() => {
      // One write at a time: two conditional writes naming one version would fail each other.
      if (!this.inFlight) void this.write(this.node!.data);
      this.schedule();
    }, this.renewEveryMs);
  }

  /** One conditional write of /master, serialized with the others. */
  private write(data: MasterInfo): Promise<void> {
    const run = this.busy.then(() => this.writeNow(data));
    this.busy = run.catch(() => undefined);
    return run;
  }

  private async writeNow(data: MasterInfo): Promise<void> {
    if (this.lost || !this.node) return;
    this.inFlight = true;
    const sent = { mono: this.clock.now(), wall: this.clock.wall() };
    try {
      const stat = await this.zk.setData(ZK_PATHS.master, data, this.node.version);
      if (stat.ephemeralOwner.toString('hex') !== this.zk.sessionId) {
        return this.lose(`/master belongs to session ${stat.ephemeralOwner.toString('hex')}, not ours`);
      }
      this.node = { version: stat.version, data };
      if (!this.proof || sent.mono > this.proof.mono) this.proof = sent;
    } catch (err) {
      const name = zkErrorName(err);
      if (name === 'NO_NODE') return this.lose('/master is gone (NO_NODE)');
      if (name === 'BAD_VERSION') return this.resync();
      this.log.warn({ err: (err as Error).message }, 'ZooKeeper did not answer a lease renewal');
    } finally {
      this.inFlight = false;
    }
  }

  /** After BAD_VERSION: still our node (one of our writes landed unanswered)? Then take its version; else lost. */
  private async resync(): Promise<void> {
    try {
      const node = await this.zk.getData<MasterInfo>(ZK_PATHS.master);
      if (!node) return this.lose('/master is gone (NO_NODE)');
      if (node.stat.ephemeralOwner.toString('hex') !== this.zk.sessionId) {
        return this.lose(`/master was re-created by session ${node.stat.ephemeralOwner.toString('hex')} (BAD_VERSION)`);
      }
      this.log.warn({ had: this.node?.version, now: node.stat.version }, 'a lease write of ours landed unanswered; taking its version');
      this.node = { version: node.stat.version, data: this.node!.data };
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not read /master after BAD_VERSION');
    }
  }

  private lose(reason: string): void {
    if (this.lost) return;
    this.lost = `no longer the owner of /master: ${reason}`;
    this.proof = undefined;
    this.log.error({ reason }, 'lost /master');
    this.o.onLost(this.lost);
  }

  /** True while this worker certainly owns /master: proven by a write, recently enough on both clocks. */
  valid(): boolean {
    if (this.lost || !this.proof) return false;
    const limit = this.zk.sessionTimeoutMs * this.safety;
    return this.clock.now() - this.proof.mono < limit && this.clock.wall() - this.proof.wall < limit;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
  }
}
