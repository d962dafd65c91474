import { sleep } from '../../system/common/time/sleep';
import { waitUntil } from '../../system/common/time/wait-until';
import { waitForTopology, workers } from '../testing/topology';
import type { BenchOptions } from './bench-options';
import { emptySection, type SectionReport } from './bench-report';
import { BenchSystem, type BenchContext } from './bench-system';
import { round, summarize } from './stats';
import { fillSyncLog, waitForTakeoverAtTail, type LogPosition } from './sync-log-filler';
import { BENCH_USER, mustWrite } from './workload';
import type { WorkerView } from '../../system/common/protocol/worker-view';

type Log = (msg: string) => void;

/** How often the workers publish their applied LSN here, and so the resolution of the figures. */
const ZNODE_UPDATE_MS = 20;
const CATCH_UP_LIMIT_MS = 600000;

interface CatchUpTrial {
  fromStartMs: number;
  fromRegistrationMs: number;
}

/** Starts one more slave and times it until its applied LSN reaches `tail`; then scales back in. */
async function trial(sys: BenchSystem, tail: number): Promise<CatchUpTrial> {
  const before = new Set((await workers(sys.http)).map((w) => w.id));
  const startedAt = Date.now();
  await sys.scale(2);
  let registeredAt = 0;
  let fresh: WorkerView | undefined;
  await waitUntil(
    `a new slave to reach LSN ${tail}`,
    async () => {
      fresh = (await workers(sys.http)).find((w) => !before.has(w.id) && w.state !== 'unregistered');
      if (fresh && !registeredAt) registeredAt = Date.now();
      return (fresh?.appliedLsn ?? -1) >= tail;
    },
    CATCH_UP_LIMIT_MS,
    ZNODE_UPDATE_MS,
  );
  const doneAt = Date.now();
  await sys.scale(1);
  await waitForTopology(sys.http, 1, 120000);
  return { fromStartMs: doneAt - startedAt, fromRegistrationMs: doneAt - registeredAt };
}

async function readyMaster(sys: BenchSystem): Promise<WorkerView> {
  let master: WorkerView | undefined;
  await waitUntil('a ready master', async () => !!(master = (await workers(sys.http)).find((w) => w.role === 'master' && w.state === 'ready')), 120000, 50);
  return master as WorkerView;
}

/** Catch-up: a new slave replaying a log of N writes, for each N, over several trials. */
export async function runCatchUp(ctx: BenchContext, o: BenchOptions, log: Log): Promise<SectionReport> {
  const env = { INITIAL_SLAVES: '1', MAX_SLAVES: '2', ZNODE_UPDATE_MS: String(ZNODE_UPDATE_MS) };
  const section = emptySection(
    'catchup',
    'Catch-up',
    'Method: the log is filled by appending well-formed replication records (ride inserts, each with the key a ' +
      'master would have assigned) straight to the syncQ stream, continuing the live master\'s LSN sequence and epoch, ' +
      'with publisher confirms, as a master appends them; 100,000 writes through the HTTP API would take minutes. ' +
      'Then, per trial, one more slave is started through the supervisor (as autoscaling does) and timed until its ' +
      `applied LSN, as published in its ZooKeeper znode every ${ZNODE_UPDATE_MS} ms and read through GET /api/v1/workers, ` +
      'reaches the tail of the log; the slave is then stopped again. The filled records are appended in the live ' +
      "master's name; that master reads its log back, refuses records it did not write and stops, and a slave that " +
      'applied them takes over, so the trials replay a log a real history could have written. "From start" counts from the scale request ' +
      '(process start, Node and tsx boot, connections, replay); "from registration" from the first sight of its znode ' +
      '(replay only, minus the little it did before registering).',
  );
  section.config = { sizes: o.catchupSizes, trials: o.catchupTrials, 'system env': env };
  log('catch-up: starting the system (1 master, 1 slave)');
  const sys = await BenchSystem.start(ctx, 'catch-up', env);
  try {
    await waitForTopology(sys.http, 1, 120000);
    const first = await mustWrite(sys.http, { op: 'insert', table: 'users', values: { username: BENCH_USER, password: 'a'.repeat(40) } });
    let tail = first.lsn;
    let held = 0;
    for (const size of o.catchupSizes) {
      await sleep(4 * ZNODE_UPDATE_MS);
      const master = await readyMaster(sys);
      // The records continue the live master's sequence, in its name: replicas take them as its writes. The master
      // itself reads its log back and stops on records it did not write (#18), so a slave that applied them takes
      // over (and the supervisor starts a new slave, which replays everything): the log is then one that a real
      // history could have written.
      const pos: LogPosition = { lsn: tail, epoch: master.epoch ?? 1, master: master.pid };
      const from = tail + 1;
      const to = tail + (size - held);
      const fillStart = Date.now();
      let reported = 0;
      await fillSyncLog(sys.rabbitmqUrl, pos, from, to, (lsn) => {
        if (lsn - reported >= 20000 || lsn === to) {
          reported = lsn;
          log(`catch-up: appended records up to LSN ${lsn} of ${to}`);
        }
      });
      tail = to;
      held = size;
      const fillMs = Date.now() - fillStart;
      // Let the takeover and the replacement slave finish, so that they do not compete with the trials.
      const settleStart = Date.now();
      await waitForTakeoverAtTail(sys.http, master.pid, tail, CATCH_UP_LIMIT_MS, 50);
      log(`catch-up: log holds ${size} writes (filled ${to - from + 1} in ${fillMs} ms; takeover and a replayed slave in ${Date.now() - settleStart} ms)`);
      const trials: CatchUpTrial[] = [];
      for (let t = 1; t <= o.catchupTrials; t++) {
        const r = await trial(sys, tail);
        trials.push(r);
        log(`catch-up of ${size} writes, trial ${t}/${o.catchupTrials}: ${r.fromStartMs} ms from start, ${r.fromRegistrationMs} ms from registration`);
      }
      const fromStart = summarize(trials.map((r) => r.fromStartMs));
      section.figures.push(
        { name: `catch-up of ${size} writes, from start`, unit: 'ms', summary: fromStart },
        { name: `catch-up of ${size} writes, from registration`, unit: 'ms', summary: summarize(trials.map((r) => r.fromRegistrationMs)) },
        { name: `catch-up of ${size} writes, replay rate from start`, unit: 'writes/s', summary: summarize(trials.map((r) => (size * 1000) / r.fromStartMs)) },
      );
      if (size === 100000) {
        section.targets.push({ target: 'catch-up of 100,000 writes under 10 s', measured: `median ${round(fromStart.median / 1000)} s, max ${round(fromStart.max / 1000)} s from start`, met: fromStart.n > 0 ? fromStart.max < 10000 : null });
      }
    }
  } finally {
    await sys.stop();
  }
  return section;
}
