import { performance } from 'node:perf_hooks';
import type { ControlRequest } from '../../system/common/protocol/messages';
import { sleep } from '../../system/common/time/sleep';
import { waitUntil } from '../../system/common/time/wait-until';
import type { HttpClient } from '../testing/http-client';
import { ReplicaInspector } from '../testing/replica-inspector';
import { waitForTopology } from '../testing/topology';
import type { BenchOptions } from './bench-options';
import { emptySection, type SectionReport } from './bench-report';
import { BenchSystem, type BenchContext } from './bench-system';
import { visibilityLags, type Ack, type Observation } from './lag-calc';
import { round, summarize } from './stats';
import { openLoop } from '../workload/open-loop';
import { BENCH_USER, mustWrite, rideInsert } from './workload';

type Log = (msg: string) => void;

const SLAVES = 2;
/** Pause between two polls of one replica: the figures' resolution is this plus a control round trip. */
const POLL_PAUSE_MS = 1;
/** Writes allowed in flight before the writer skips a beat (a stalled system must not pile up requests). */
const MAX_IN_FLIGHT = 500;
const PROBE: ControlRequest = { cmd: 'read', request: { table: 'users', columns: ['username'], limit: 1 } };

/** Polls one replica's applied LSN through its control queue until stopped; keeps the first sight of each LSN. */
class LsnPoller {
  readonly seen: Observation[] = [];
  polls = 0;
  /** Set when a poll failed (the replica stopped answering); polling stops there. */
  failure: Error | undefined;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly inspector: ReplicaInspector,
    readonly workerId: string,
  ) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        const r = await this.inspector.ask(this.workerId, PROBE, 5000);
        this.polls++;
        const at = performance.now();
        if (this.seen.length === 0 || r.lsn > this.seen.at(-1)!.lsn) this.seen.push({ at, lsn: r.lsn });
        await sleep(POLL_PAUSE_MS);
      }
    })().catch((err) => {
      this.failure = err as Error;
    });
  }

  get last(): number {
    return this.seen.at(-1)?.lsn ?? -1;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    if (this.failure) throw new Error(`polling slave ${this.workerId} failed: ${this.failure.message}`);
  }
}

/** Sends `total` inserts at an even rate (open loop) and notes each acknowledged write's LSN and arrival. */
async function steadyWrites(http: HttpClient, rate: number, total: number) {
  const acks: Ack[] = [];
  const r = await openLoop(rate, total, MAX_IN_FLIGHT, async (i) => {
    const res = await http.post<{ lsn: number }>('/api/v1/db/write', rideInsert(i, 'lag'));
    if (res.status !== 201) return false;
    acks.push({ lsn: res.body.lsn, ackAt: performance.now() });
    return true;
  });
  return { ...r, acks };
}

/** Replication lag: acknowledgement to visibility on every slave, under a steady write rate. */
export async function runReplicationLag(ctx: BenchContext, o: BenchOptions, log: Log): Promise<SectionReport> {
  const env = { INITIAL_SLAVES: String(SLAVES), MAX_SLAVES: String(SLAVES) };
  const total = o.lagRate * o.lagDurationS;
  const section = emptySection(
    'lag',
    'Replication lag',
    `A client sends ${total} ride inserts at a steady ${o.lagRate} writes/s (open loop) to a master with ${SLAVES} slaves. ` +
      "Meanwhile each slave's applied LSN is polled continuously through its own control queue (a one-row read that " +
      'answers with the LSN the replica has applied and committed). A write\'s lag is the time from its acknowledgement ' +
      'to the first poll answer showing its LSN on the last of the slaves; a write visible before its acknowledgement ' +
      'arrived counts as 0. Resolution: one poll round trip (see the notes). Figures are over writes.',
  );
  section.config = { rate: o.lagRate, durationS: o.lagDurationS, writes: total, slaves: SLAVES, pollPauseMs: POLL_PAUSE_MS, 'system env': env };
  log(`lag: starting the system (1 master, ${SLAVES} slaves)`);
  const sys = await BenchSystem.start(ctx, 'replication-lag', env);
  const inspector = await ReplicaInspector.connect(sys.rabbitmqUrl).catch(async (err) => {
    await sys.stop();
    throw err;
  });
  try {
    const slaves = (await waitForTopology(sys.http, SLAVES, 120000)).filter((w) => w.role === 'slave');
    await mustWrite(sys.http, { op: 'insert', table: 'users', values: { username: BENCH_USER, password: 'a'.repeat(40) } });
    const pollers = slaves.map((w) => new LsnPoller(inspector, w.id));
    for (const p of pollers) p.start();
    log(`lag: writing ${total} rides at ${o.lagRate}/s while polling ${pollers.length} slaves`);
    const pollStart = performance.now();
    const w = await steadyWrites(sys.http, o.lagRate, total);
    const top = Math.max(0, ...w.acks.map((a) => a.lsn));
    // A failed poller ends the wait too; stopping it below reports why.
    await waitUntil(`every slave to show LSN ${top}`, async () => pollers.every((p) => p.last >= top || p.failure !== undefined), 30000, 10);
    const pollSeconds = (performance.now() - pollStart) / 1000;
    await Promise.all(pollers.map((p) => p.stop()));
    const lags = visibilityLags(w.acks, pollers.map((p) => p.seen));
    const s = summarize(lags);
    const achieved = w.acks.length / w.seconds;
    log(`lag: ${w.acks.length} writes acknowledged at ${round(achieved)}/s; lag p50 ${round(s.median)} ms, p99 ${round(s.p99)} ms, max ${round(s.max)} ms`);
    section.figures.push(
      { name: 'acknowledgement to visibility on every slave', unit: 'ms', summary: s },
      { name: 'write latency (scheduled send to acknowledgement)', unit: 'ms', summary: summarize(w.latencies) },
    );
    section.tables.push({
      title: 'Run',
      header: ['asked writes/s', 'achieved writes/s', 'acknowledged', 'failed', 'skipped (too many in flight)', 'lag p99 ms'],
      rows: [[o.lagRate, achieved, w.acks.length, w.failed, w.skipped, s.p99]],
    });
    for (const p of pollers) {
      section.notes.push(`slave ${p.workerId}: ${p.polls} polls in ${round(pollSeconds)} s, one every ${round((pollSeconds * 1000) / Math.max(1, p.polls))} ms on average (the lag's resolution)`);
    }
    section.targets.push({
      target: `replication lag p99 under 50 ms at ${o.lagRate} writes/s`,
      measured: `p99 ${round(s.p99)} ms over ${s.n} writes at ${round(achieved)} writes/s achieved`,
      met: s.n > 0 ? s.p99 < 50 && achieved >= 0.95 * o.lagRate : null,
    });
  } finally {
    await inspector.close();
    await sys.stop();
  }
  return section;
}
