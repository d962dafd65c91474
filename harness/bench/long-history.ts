import { sleep } from '../../system/common/time/sleep';
import { waitUntil } from '../../system/common/time/wait-until';
import type { WorkerView } from '../../system/common/protocol/worker-view';
import { waitForTopology, workers } from '../testing/topology';
import type { BenchOptions } from './bench-options';
import { emptySection, type SectionReport } from './bench-report';
import { BenchSystem, type BenchContext } from './bench-system';
import { readProcMemory } from './memory';
import { round, summarize } from './stats';
import { fillSyncLog, type LogPosition } from './sync-log-filler';
import { BENCH_USER, mustWrite } from './workload';

type Log = (msg: string) => void;

const ZNODE_UPDATE_MS = 20;
const LIMIT_MS = 900000;

interface Trial {
  fromStartMs: number;
  seededLsn: number | null;
  peakRssKb: number | undefined;
}

/** One more slave, timed until its applied LSN reaches `tail`; its peak RSS is read before it is stopped again. */
async function catchUpTrial(sys: BenchSystem, tail: number): Promise<Trial> {
  const before = new Set((await workers(sys.http)).map((w) => w.id));
  const startedAt = Date.now();
  await sys.scale(2);
  let fresh: WorkerView | undefined;
  await waitUntil(
    `a new slave to reach LSN ${tail}`,
    async () => (fresh = (await workers(sys.http)).find((w) => !before.has(w.id)))?.appliedLsn! >= tail,
    LIMIT_MS,
    ZNODE_UPDATE_MS,
  );
  const fromStartMs = Date.now() - startedAt;
  const peakRssKb = readProcMemory(fresh!.pid)?.hwmKb;
  await sys.scale(1);
  await waitForTopology(sys.http, 1, 120000);
  return { fromStartMs, seededLsn: fresh!.seededLsn, peakRssKb };
}

/*
 * A system with a long history: catch-up of a new slave from a snapshot, and a restart of the whole system over
 * the same data. The history is filled as the catch-up section fills it (records appended to syncQ in the live
 * master's name); a slave that replays them takes snapshots on the way (SNAPSHOT_EVERY_RECORDS), as it would have
 * over months of writes.
 */
export async function runLongHistory(ctx: BenchContext, o: BenchOptions, log: Log): Promise<SectionReport> {
  // The workers' production session (the test systems' 1 s one expires while a busy machine replays a long log).
  const env = { INITIAL_SLAVES: '1', MAX_SLAVES: '2', ZNODE_UPDATE_MS: String(ZNODE_UPDATE_MS), ZK_SESSION_TIMEOUT_MS: '2000' };
  const size = o.historyWrites;
  const section = emptySection(
    'history',
    'Long history: snapshots and restart',
    `Method: with the system stopped, ${size} writes are appended to syncQ in its last master's name (as in the ` +
      'catch-up section); the system is started again and its workers replay them, the slaves taking snapshots on the ' +
      'way (SNAPSHOT_EVERY_RECORDS, default). Then, per trial, one more slave is started and timed from the scale ' +
      'request until its applied LSN (znode, every 20 ms) reaches the tail: it starts from the newest snapshot and ' +
      "replays the log after it. Its peak RSS (VmHWM) is read at the end. Then the whole system is stopped (every " +
      'worker) and started again over the same broker, ZooKeeper and data: timed from the start until the first ' +
      'worker is a ready master (the orchestrator answers) and until one slave is ready too.',
  );
  section.config = { writes: size, trials: o.catchupTrials, 'system env': env };
  log(`history: starting the system (1 master, 1 slave) for ${size} writes`);
  const sys = await BenchSystem.start(ctx, 'long-history', env);
  try {
    await waitForTopology(sys.http, 1, 120000);
    const first = await mustWrite(sys.http, { op: 'insert', table: 'users', values: { username: BENCH_USER, password: 'a'.repeat(40) } });
    await sleep(4 * ZNODE_UPDATE_MS);
    const master = (await workers(sys.http)).find((w) => w.role === 'master' && w.state === 'ready')!;
    const pos: LogPosition = { lsn: first.lsn, epoch: master.epoch ?? 1, master: master.pid };
    const tail = first.lsn + size;
    // The system is stopped while the log is filled: a master running meanwhile would stop at the first record it did
    // not write, and its successor's marker would land in the middle of the fill, making the rest an older epoch's.
    await sys.stopOrchestrator();
    const fillStart = Date.now();
    let reported = 0;
    await fillSyncLog(sys.rabbitmqUrl, pos, first.lsn + 1, tail, (lsn) => {
      if (lsn - reported >= 100000 || lsn === tail) {
        reported = lsn;
        log(`history: appended records up to LSN ${lsn} of ${tail}`);
      }
    });
    log(`history: filled ${size} records in ${Date.now() - fillStart} ms; starting the system again (its first worker replays the whole log, taking snapshots)`);
    const settleStart = Date.now();
    await sys.startOrchestrator(LIMIT_MS);
    await waitUntil(
      `a slave at LSN ${tail}`,
      async () => (await workers(sys.http)).some((w) => w.role === 'slave' && w.state === 'ready' && (w.appliedLsn ?? 0) >= tail),
      LIMIT_MS,
      200,
    );
    log(`history: a master and a slave at the tail after ${Date.now() - settleStart} ms`);

    const trials: Trial[] = [];
    for (let t = 1; t <= o.catchupTrials; t++) {
      const r = await catchUpTrial(sys, tail);
      trials.push(r);
      log(`history: catch-up trial ${t}/${o.catchupTrials}: ${r.fromStartMs} ms from start, seeded at LSN ${r.seededLsn ?? 'none'}, peak RSS ${r.peakRssKb ?? '?'} kB`);
    }
    const catchUp = summarize(trials.map((r) => r.fromStartMs));
    const rss = summarize(trials.flatMap((r) => (r.peakRssKb === undefined ? [] : [r.peakRssKb / 1024])));
    section.figures.push(
      { name: `catch-up of a new slave with ${size} writes in history, from start`, unit: 'ms', summary: catchUp },
      { name: 'records replayed after the snapshot', unit: 'records', summary: summarize(trials.map((r) => tail - (r.seededLsn ?? 0))) },
      { name: 'peak RSS of the new slave', unit: 'MiB', summary: rss },
    );
    const restarts: Array<{ masterMs: number; slaveMs: number; stopMs: number }> = [];
    for (let t = 1; t <= o.catchupTrials; t++) {
      const stopStart = Date.now();
      await sys.stopOrchestrator();
      const stopMs = Date.now() - stopStart;
      const start = Date.now();
      await sys.startOrchestrator(LIMIT_MS);
      const masterMs = Date.now() - start;
      await waitForTopology(sys.http, 1, LIMIT_MS);
      const slaveMs = Date.now() - start;
      restarts.push({ masterMs, slaveMs, stopMs });
      log(`history: restart ${t}/${o.catchupTrials}: stopped in ${stopMs} ms; master ready ${masterMs} ms, and a slave ${slaveMs} ms after the start`);
    }
    const toMaster = summarize(restarts.map((r) => r.masterMs));
    const toSlave = summarize(restarts.map((r) => r.slaveMs));
    section.figures.push(
      { name: `restart with ${size} writes in history: start to a ready master`, unit: 'ms', summary: toMaster },
      { name: `restart with ${size} writes in history: start to master and slave ready`, unit: 'ms', summary: toSlave },
      { name: 'stop of the whole system', unit: 'ms', summary: summarize(restarts.map((r) => r.stopMs)) },
    );
    if (size >= 1000000) {
      section.targets.push(
        { target: 'catch-up from a snapshot with 1,000,000 writes in history under 5 s', measured: `median ${round(catchUp.median / 1000)} s, max ${round(catchUp.max / 1000)} s`, met: catchUp.n > 0 ? catchUp.max < 5000 : null },
        { target: 'restart with 1,000,000 writes in history under 10 s', measured: `median ${round(toSlave.median / 1000)} s to master and slave ready`, met: toSlave.n > 0 ? toSlave.max < 10000 : null },
      );
    }
    section.targets.push({ target: 'worker peak RSS during catch-up under 150 MiB', measured: `max ${round(rss.max)} MiB`, met: rss.n > 0 ? rss.max < 150 : null });
  } finally {
    await sys.stop();
  }
  return section;
}
