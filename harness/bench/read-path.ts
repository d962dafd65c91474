import { waitForTopology } from '../testing/topology';
import type { HttpClient } from '../testing/http-client';
import type { BenchOptions } from './bench-options';
import { emptySection, type SectionReport } from './bench-report';
import { BenchSystem, type BenchContext } from './bench-system';
import { BaselineServer } from './baseline/baseline-server';
import { describeLoad, loadFigures, medianOf, runLoad, type LoadResult } from './load';
import { round } from './stats';
import { runSteady } from './steady-load';
import { READ_QUERY, seed } from './workload';

const SEED_RIDES = 400;
const PATH = '/api/v1/db/read';

type Log = (msg: string) => void;

interface Series {
  /** Saturation runs by connection count. */
  byConnections: Map<number, LoadResult[]>;
  /** Runs at the fixed read rate. */
  atRate: LoadResult[];
}

/** Warm-up, then every connection count `trials` times, then the fixed-rate run: the same for ours and the baseline. */
async function measure(label: string, url: string, o: BenchOptions, log: Log): Promise<Series> {
  await runLoad({ url, path: PATH, body: READ_QUERY, connections: 16, durationS: 1 });
  const byConnections = new Map<number, LoadResult[]>();
  for (const connections of o.connections) {
    const runs: LoadResult[] = [];
    for (let t = 1; t <= o.loadTrials; t++) {
      const r = await runLoad({ url, path: PATH, body: READ_QUERY, connections, durationS: o.durationS });
      runs.push(r);
      log(`${label}, ${connections} connections, trial ${t}/${o.loadTrials}: ${describeLoad(r)}`);
    }
    byConnections.set(connections, runs);
  }
  const rateConnections = Math.max(...o.connections);
  const atRate: LoadResult[] = [];
  for (let t = 1; t <= o.loadTrials; t++) {
    const r = await runSteady({ url, path: PATH, body: READ_QUERY, connections: rateConnections, durationS: o.durationS, rate: o.readRate });
    atRate.push(r);
    log(`${label}, ${o.readRate} reads/s over ${rateConnections} connections, trial ${t}/${o.loadTrials}: ${describeLoad(r)}`);
  }
  return { byConnections, atRate };
}

async function seeded(http: HttpClient, label: string, log: Log): Promise<void> {
  const started = Date.now();
  await seed(http, SEED_RIDES);
  log(`${label}: seeded 1 user and ${SEED_RIDES} rides in ${Date.now() - started} ms`);
}

/** Read path: ours with each slave count against the one-process baseline, same query, same load. */
export async function runReadPath(ctx: BenchContext, o: BenchOptions, log: Log): Promise<SectionReport> {
  const section = emptySection(
    'read',
    'Read path',
    `autocannon POSTs the same read (${JSON.stringify(READ_QUERY)}) to ${PATH} for ${o.durationS} s per trial, ` +
      `${o.loadTrials} trial(s) per configuration, after a 1 s warm-up; figures are over trials. The baseline is a plain ` +
      'Express server in one process answering the same request from a SQLite file through Sequelize with the same ' +
      `query code (no broker, no workers). Both hold the same data: 1 user and ${SEED_RIDES} rides. The fixed-rate run ` +
      `sends ${o.readRate} reads/s evenly spaced (open loop, up to ${Math.max(...o.connections)} keep-alive connections), ` +
      "each latency counted from the request's scheduled start; autocannon's own rate limit is not used for it, " +
      'because it fires each second\'s whole quota at once and then pauses. The load generator runs on the same ' +
      'machine as the servers.',
  );
  section.config = { slaves: o.slaves, connections: o.connections, durationS: o.durationS, trials: o.loadTrials, readRate: o.readRate, seedRides: SEED_RIDES };

  log('baseline: starting the one-process Express + Sequelize server');
  const baseline = await BaselineServer.start(ctx, 'read-baseline');
  let base: Series;
  try {
    await seeded(baseline.http, 'baseline', log);
    base = await measure('baseline', baseline.url, o, log);
  } finally {
    await baseline.stop();
  }
  for (const [c, runs] of base.byConnections) section.figures.push(...loadFigures(`baseline, ${c} conn`, runs));
  section.figures.push(...loadFigures(`baseline, ${o.readRate} reads/s`, base.atRate));

  const ratioRows: Array<Array<string | number>> = [];
  const rateRows: Array<Array<string | number>> = [
    ['baseline', o.readRate, medianOf(base.atRate, (r) => r.requestsPerSec), medianOf(base.atRate, (r) => r.latencyMs.p50), medianOf(base.atRate, (r) => r.latencyMs.p99)],
  ];
  const topConnections = Math.max(...o.connections);
  for (const slaves of o.slaves) {
    const env = { INITIAL_SLAVES: String(slaves), MAX_SLAVES: String(slaves) };
    section.config[`system env (${slaves} slaves)`] = env;
    log(`ours, ${slaves} slave(s): starting the system`);
    const sys = await BenchSystem.start(ctx, `read-${slaves}-slaves`, env);
    let ours: Series;
    try {
      await waitForTopology(sys.http, slaves, 120000);
      await seeded(sys.http, `ours, ${slaves} slave(s)`, log);
      ours = await measure(`ours, ${slaves} slave(s)`, sys.url, o, log);
    } finally {
      await sys.stop();
    }
    for (const [c, runs] of ours.byConnections) {
      section.figures.push(...loadFigures(`ours, ${slaves} slave(s), ${c} conn`, runs));
      const b = base.byConnections.get(c)!;
      const oursRps = medianOf(runs, (r) => r.requestsPerSec);
      const baseRps = medianOf(b, (r) => r.requestsPerSec);
      ratioRows.push([slaves, c, oursRps, baseRps, oursRps / baseRps, medianOf(runs, (r) => r.latencyMs.p99), medianOf(b, (r) => r.latencyMs.p99)]);
      if (c === topConnections) {
        section.targets.push({
          target: `read path at ${c} connections, ${slaves} slave(s): at least half of the baseline's requests/s`,
          measured: `${round(oursRps)} vs ${round(baseRps)} req/s: ratio ${round(oursRps / baseRps)}`,
          met: oursRps >= baseRps / 2,
        });
      }
    }
    section.figures.push(...loadFigures(`ours, ${slaves} slave(s), ${o.readRate} reads/s`, ours.atRate));
    const achieved = medianOf(ours.atRate, (r) => r.requestsPerSec);
    const p99 = medianOf(ours.atRate, (r) => r.latencyMs.p99);
    rateRows.push([`ours, ${slaves} slave(s)`, o.readRate, achieved, medianOf(ours.atRate, (r) => r.latencyMs.p50), p99]);
    section.targets.push({
      target: `read p99 under 20 ms at ${o.readRate} reads/s, ${slaves} slave(s)`,
      measured: `p99 ${round(p99)} ms at ${round(achieved)} reads/s achieved (median of trials)`,
      // The rate must actually be reached: a server that cannot keep up has not shown its latency at that rate.
      met: p99 < 20 && achieved >= 0.95 * o.readRate,
    });
  }
  section.tables.push({
    title: 'Ours / baseline (medians over trials)',
    header: ['slaves', 'connections', 'ours req/s', 'baseline req/s', 'ratio ours/baseline', 'ours p99 ms', 'baseline p99 ms'],
    rows: ratioRows,
  });
  section.tables.push({
    title: `Latency at a steady rate (medians over trials)`,
    header: ['server', 'asked reads/s', 'achieved reads/s', 'p50 ms', 'p99 ms'],
    rows: rateRows,
  });
  return section;
}
