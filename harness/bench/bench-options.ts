import path from 'node:path';
import { parseArgs } from 'node:util';

export const SECTIONS = ['read', 'write', 'lag', 'failover', 'catchup', 'history', 'memory'] as const;
export type SectionId = (typeof SECTIONS)[number];

export interface BenchOptions {
  sections: SectionId[];
  quick: boolean;
  /** Trials of each load run (read and write path). */
  loadTrials: number;
  /** Seconds of each load run. */
  durationS: number;
  /** Connections of the read path's saturation runs. */
  connections: number[];
  /** Slave counts of the read path. */
  slaves: number[];
  /** Target rate of the read path's latency run, reads/s. */
  readRate: number;
  failoverTrials: number;
  catchupTrials: number;
  /** Log sizes the catch-up measures, in writes. */
  catchupSizes: number[];
  /** Writes in the history of the snapshot catch-up and restart section. */
  historyWrites: number;
  /** Steady write rate of the replication lag run, writes/s, and its length in seconds. */
  lagRate: number;
  lagDurationS: number;
  /** Report directory. */
  out: string;
  /** Configuration overrides for every system the bench starts (README's variables). */
  env: Record<string, string>;
}

export const HELP = `Usage: npm run bench -- [options]

Brings up the DBaaS on this machine (local RabbitMQ and ZooKeeper, orchestrator and worker processes) and measures:
  read      POST /api/v1/db/read with autocannon at several connection counts, with 1 and 3 slaves, against a
            baseline (the same query on a plain Express + Sequelize + SQLite server in one process); then the
            latency at a fixed read rate
  write     sequential (1 connection) and concurrent (16 connections) writes, against the same kind of baseline
  lag       replication lag: a write's acknowledgement to its visibility on every slave, at a steady write rate
  failover  kill -9 of the master to the first acknowledged write, over many trials
  catchup   a new slave catching up on a log of 10,000 and 100,000 writes
  history   with 1,000,000 writes in history: a new slave starting from a snapshot, and a restart of the whole system
  memory    peak RSS of the orchestrator and of each worker, sampled during the sections above
Writes reports/bench-<timestamp>/bench.json and bench.md. Targets are reported, never asserted; the command
fails only when a measurement could not be made.

Options:
  --only LIST          sections to run, comma-separated (default: all): ${SECTIONS.join(',')}
  --quick              a short smoke run (about 2-3 minutes): 1 trial per load run, short runs, 3 failovers
  --trials N           trials of every load run, failover and catch-up (default 3 load, 10 failover, 3 catch-up)
  --duration S         seconds of each load run (default 5; --quick 2)
  --connections LIST   read path connection counts (default 1,16,64)
  --slaves LIST        read path slave counts (default 1,3)
  --read-rate N        reads/s of the fixed-rate latency run (default 1000)
  --lag-rate N         writes/s of the replication lag run (default 200)
  --lag-duration S     seconds of the replication lag run (default 10; --quick 3)
  --catchup-sizes LIST log sizes for catch-up (default 10000,100000)
  --history N          writes in history for the history section (default 1000000; --quick 50000)
  --env KEY=VALUE      configuration override for every system started (repeatable), e.g. --env ZK_SESSION_TIMEOUT_MS=1000
  --out DIR            report directory (default reports/bench-<timestamp>)
  -h, --help           this text`;

export class UsageError extends Error {}

function int(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not "${text}"`);
  return n;
}

function intList(name: string, text: string, min: number, max: number): number[] {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw new UsageError(`--${name} needs at least one value`);
  return parts.map((p) => int(name, p, min, max));
}

/** A timestamp usable in a directory name: 2025-01-31T12-00-00Z. */
export function stamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/** Parses the command line; returns 'help' for --help. Throws UsageError with the reason on bad input. */
export function parseBenchArgs(argv: string[], now = new Date(), cwd = process.cwd()): BenchOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        only: { type: 'string' },
        quick: { type: 'boolean' },
        trials: { type: 'string' },
        duration: { type: 'string' },
        connections: { type: 'string' },
        slaves: { type: 'string' },
        'read-rate': { type: 'string' },
        'lag-rate': { type: 'string' },
        'lag-duration': { type: 'string' },
        'catchup-sizes': { type: 'string' },
        history: { type: 'string' },
        env: { type: 'string', multiple: true },
        out: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const quick = v.quick ?? false;
  let sections: SectionId[] = [...SECTIONS];
  if (v.only !== undefined) {
    const asked = v.only.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = asked.filter((s) => !(SECTIONS as readonly string[]).includes(s));
    if (unknown.length || asked.length === 0) throw new UsageError(`--only takes a list of ${SECTIONS.join(', ')}; got "${v.only}"`);
    sections = SECTIONS.filter((s) => asked.includes(s));
  }
  const trials = v.trials === undefined ? undefined : int('trials', v.trials, 1, 100);
  const env: Record<string, string> = {};
  for (const pair of v.env ?? []) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!m) throw new UsageError(`--env takes KEY=VALUE with an upper-case key, not "${pair}"`);
    env[m[1]] = m[2];
  }
  return {
    sections,
    quick,
    loadTrials: trials ?? (quick ? 1 : 3),
    durationS: v.duration === undefined ? (quick ? 2 : 5) : int('duration', v.duration, 1, 600),
    connections: v.connections === undefined ? [1, 16, 64] : intList('connections', v.connections, 1, 1000),
    slaves: v.slaves === undefined ? [1, 3] : intList('slaves', v.slaves, 1, 8),
    readRate: v['read-rate'] === undefined ? 1000 : int('read-rate', v['read-rate'], 1, 100000),
    failoverTrials: trials ?? (quick ? 3 : 10),
    catchupTrials: trials ?? (quick ? 1 : 3),
    // Ascending and distinct: the log is filled up to each size in turn.
    catchupSizes: [...new Set(v['catchup-sizes'] === undefined ? [10000, 100000] : intList('catchup-sizes', v['catchup-sizes'], 1, 1000000))].sort(
      (a, b) => a - b,
    ),
    historyWrites: v.history === undefined ? (quick ? 50000 : 1000000) : int('history', v.history, 1000, 10000000),
    lagRate: v['lag-rate'] === undefined ? 200 : int('lag-rate', v['lag-rate'], 1, 10000),
    lagDurationS: v['lag-duration'] === undefined ? (quick ? 3 : 10) : int('lag-duration', v['lag-duration'], 1, 600),
    out: path.resolve(cwd, v.out ?? path.join('reports', `bench-${stamp(now)}`)),
    env,
  };
}
