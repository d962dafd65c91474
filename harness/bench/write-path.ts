import { waitForTopology } from '../testing/topology';
import type { BenchOptions } from './bench-options';
import { emptySection, type SectionReport } from './bench-report';
import { BenchSystem, type BenchContext } from './bench-system';
import { BaselineServer } from './baseline/baseline-server';
import { describeLoad, loadFigures, medianOf, runLoad, type LoadResult } from './load';
import { rideInsert, seed } from './workload';

const PATH = '/api/v1/db/write';
const MODES = [
  { name: 'sequential', connections: 1 },
  { name: 'concurrent', connections: 16 },
] as const;

type Log = (msg: string) => void;

async function measure(label: string, url: string, o: BenchOptions, log: Log): Promise<Map<string, LoadResult[]>> {
  const body = rideInsert(0, 'write-bench');
  await runLoad({ url, path: PATH, body, connections: 4, durationS: 1 });
  const out = new Map<string, LoadResult[]>();
  for (const mode of MODES) {
    const runs: LoadResult[] = [];
    for (let t = 1; t <= o.loadTrials; t++) {
      const r = await runLoad({ url, path: PATH, body, connections: mode.connections, durationS: o.durationS });
      runs.push(r);
      log(`${label}, ${mode.name} (${mode.connections} connection(s)), trial ${t}/${o.loadTrials}: ${describeLoad(r)}`);
    }
    out.set(mode.name, runs);
  }
  return out;
}

/** Write path: inserts through the orchestrator, the master and the replication log, against the one-process baseline. */
export async function runWritePath(ctx: BenchContext, o: BenchOptions, log: Log): Promise<SectionReport> {
  const section = emptySection(
    'write',
    'Write path',
    `autocannon POSTs one ride insert (${JSON.stringify(rideInsert(0, 'write-bench'))}) to ${PATH}: sequential writes over ` +
      `1 connection and concurrent writes over 16, ${o.durationS} s per trial, ${o.loadTrials} trial(s) each, after a 1 s ` +
      'warm-up. Each insert is a new row (the key is assigned by the database). Ours: the orchestrator publishes to ' +
      'writeQ with a confirm, the master applies the write in a transaction with its bookkeeping, appends it to syncQ ' +
      "and waits for the broker's confirm before committing and answering. Baseline: the same request applied in a " +
      'Sequelize transaction by a plain Express server in one process.',
  );
  const env = { INITIAL_SLAVES: '1', MAX_SLAVES: '1' };
  section.config = { modes: MODES, durationS: o.durationS, trials: o.loadTrials, 'system env': env };

  log('baseline: starting the one-process Express + Sequelize server');
  const baseline = await BaselineServer.start(ctx, 'write-baseline');
  let base: Map<string, LoadResult[]>;
  try {
    await seed(baseline.http, 0);
    base = await measure('baseline', baseline.url, o, log);
  } finally {
    await baseline.stop();
  }
  log('ours: starting the system (1 master, 1 slave)');
  const sys = await BenchSystem.start(ctx, 'write-1-slave', env);
  let ours: Map<string, LoadResult[]>;
  try {
    await waitForTopology(sys.http, 1, 120000);
    await seed(sys.http, 0);
    ours = await measure('ours', sys.url, o, log);
  } finally {
    await sys.stop();
  }
  const rows: Array<Array<string | number>> = [];
  for (const mode of MODES) {
    const b = base.get(mode.name)!;
    const w = ours.get(mode.name)!;
    section.figures.push(...loadFigures(`baseline, ${mode.name}`, b), ...loadFigures(`ours, ${mode.name}`, w));
    const oursRps = medianOf(w, (r) => r.requestsPerSec);
    const baseRps = medianOf(b, (r) => r.requestsPerSec);
    rows.push([mode.name, mode.connections, oursRps, baseRps, oursRps / baseRps, medianOf(w, (r) => r.latencyMs.p50), medianOf(b, (r) => r.latencyMs.p50)]);
  }
  section.tables.push({
    title: 'Ours / baseline (medians over trials)',
    header: ['mode', 'connections', 'ours writes/s', 'baseline writes/s', 'ratio ours/baseline', 'ours p50 ms', 'baseline p50 ms'],
    rows,
  });
  return section;
}
