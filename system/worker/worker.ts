import { Election, type Elected } from './coordination/election';
import { ControlServer } from './roles/control-server';
import { MasterRole } from './roles/master-role';
import { SlaveRole } from './roles/slave-role';
import { EXIT, WorkerContext, type WorkerContextOptions } from './worker-context';

export { EXIT };
export type WorkerOptions = WorkerContextOptions;

/*
 * One worker, master or slave: the same code, and the role switch happens inside the running process.
 * The context (database, broker, ZooKeeper, syncQ follower, /workers entry) is opened once; the worker starts as a
 * slave (catch up, then serve reads) and, if the election picks it, the master role takes over (see master-role.ts).
 * This file only wires the parts together.
 */
export class Worker {
  private constructor(
    private readonly ctx: WorkerContext,
    private readonly control: ControlServer,
    private readonly election: Election,
    private readonly slave: SlaveRole,
    private readonly master: MasterRole,
  ) {}

  static async start(o: WorkerOptions): Promise<Worker> {
    const ctx = await WorkerContext.open(o);
    const { id, pid, log } = ctx;
    const control = new ControlServer(id, pid, ctx.db, ctx.replicator);
    await control.start(ctx.connection, ctx.onChannelLost);

    const election = new Election(ctx.zk, { id, pid }, log, { waitForStartingMs: ctx.config.electionWaitForStartingMs });
    const slave = new SlaveRole({ context: ctx });
    const master = new MasterRole({ context: ctx, election, stopServingReads: () => slave.stop() });
    election.once('elected', (elected: Elected) =>
      // A graceful stop during a takeover closes the channels under it: that is not a failure (ctx.fatal knows).
      master.takeOver(elected).catch((err) => ctx.fatal(`could not take over as master: ${(err as Error).message}`, EXIT.failed)),
    );
    election.start();
    slave.start().catch((err) => ctx.fatal(`could not start serving reads: ${(err as Error).message}`, EXIT.failed));
    log.info({ id, pid }, 'worker started');
    return new Worker(ctx, control, election, slave, master);
  }

  /** Graceful stop: leave the election, finish in-flight requests, close everything. */
  async stop(): Promise<void> {
    if (!this.ctx.beginStop()) return;
    this.election.stop();
    await this.ctx.membership.set({ state: 'stopping' }).catch(() => undefined);
    await this.slave.stop();
    await this.master.stop();
    await this.control.stop();
    await this.ctx.close();
  }
}
