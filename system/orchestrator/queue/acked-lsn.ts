/*
 * The newest LSN the DBaaS has acknowledged, as far as this orchestrator can tell. A read may ask for any minLsn up
 * to it (a slave reaches it within the replication lag), never beyond: a slave would hold it for MIN_LSN_WAIT_MS
 * waiting for a write that does not exist, so such a read is refused at once.
 *
 * Every reply moves it on: a write's LSN, and a read's (a replica never holds an LSN the master has not committed).
 * A minLsn beyond it is checked with `ask` before the read is refused: the orchestrator asks the master, which commits
 * before it answers, so its applied LSN is at least every acknowledged one, whichever way the write reached it (this
 * orchestrator before a restart, another client of the same queues). Only when the master cannot be asked (during a
 * failover) does `ask` fall back to the highest LSN the workers published in ZooKeeper, at most ZNODE_UPDATE_MS old:
 * a read-your-writes read in that window may be refused wrongly, and a retry succeeds once a master answers.
 */
export class AckedLsn {
  private known = 0;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  /** `ask`: the newest LSN the master has applied (see above); a failure leaves what is known unchanged. */
  constructor(private readonly ask: () => Promise<number>) {}

  get highest(): number {
    return this.known;
  }

  /** Takes note of an LSN a worker answered with; only moves forward. */
  observe(lsn: number | undefined): void {
    if (lsn !== undefined && Number.isSafeInteger(lsn) && lsn > this.known) this.known = lsn;
  }

  /** Whether a read may ask for `minLsn`: at once when it is known, else after asking (see above). */
  async admits(minLsn: number): Promise<boolean> {
    if (minLsn <= this.known) return true;
    await this.refresh();
    return minLsn <= this.known;
  }

  /**
   * One question at a time, however many reads ask: a read arriving while one runs waits for the next, which starts
   * after that read arrived (the running one may have been answered before the write the read follows).
   */
  private refresh(): Promise<void> {
    if (!this.running) return this.start();
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<void> {
    const asked: Promise<void> = this.ask()
      .then((lsn) => this.observe(lsn))
      .catch(() => undefined)
      .finally(() => {
        if (this.running === asked) this.running = undefined;
      });
    this.running = asked;
    return asked;
  }
}
