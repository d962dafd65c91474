import { mergeValidity, type Verdict } from '../core/checker';
import type { FaultWindow, Operation, TopologySample, WorkerSample } from '../core/history';
import { HistoryRecorder } from '../core/history';
import type { LoadRun } from '../core/load-run';
import type { ScenarioReport } from '../core/scenario-report';
import { summarizeHistory } from './summarize-history';

/*
 * A made-up but plausible ScenarioReport, to look at the report's layout without running the system (demo-report.ts)
 * and as a fixture for the report's tests. It is labelled synthetic in its description so that nobody mistakes it
 * for a measurement. Deterministic for a given seed.
 *
 * The story: 60 s, 4 closed-loop clients (70 % reads), master 1001 killed at 20 s and replaced by 1002 after 0.9 s
 * (writes in between fail, the one in flight is unknown), a replacement slave joins, the load rises at 25 s and the
 * autoscaler adds a slave at 40 s, then that slave is killed at 47 s and replaced.
 */

/** xorshift32: small, seedable, good enough to scatter synthetic latencies. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

/** A log-normal latency around `median` ms (sigma 0.45 gives p99 near 3 × median). */
function latency(rand: () => number, median: number): number {
  const u = Math.max(1e-9, rand());
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  return Number((median * Math.exp(0.45 * z)).toFixed(2));
}

const KILL_MASTER = 20_000;
const ELECTED = 20_900;
const KILL_SLAVE = 47_000;
const SLAVE_BACK = 48_900;

/** Who is there at relative time t (ms), and in which state. */
function workersAt(t: number): WorkerSample[] {
  const w = (pid: number, role: WorkerSample['role'], state: WorkerSample['state'] = 'ready'): WorkerSample => ({ id: `w-${pid}`, pid, role, state, appliedLsn: null });
  const out: WorkerSample[] = [];
  if (t < KILL_MASTER) out.push(w(1001, 'master'));
  out.push(t < ELECTED ? w(1002, 'slave') : w(1002, 'master'));
  out.push(w(1003, 'slave'));
  if (t >= 21_800) out.push(w(1010, 'slave', t < 23_200 ? 'catching-up' : 'ready'));
  if (t >= 40_300 && t < KILL_SLAVE) out.push(w(1011, 'slave', t < 41_600 ? 'catching-up' : 'ready'));
  if (t >= 47_600) out.push(w(1012, 'slave', t < SLAVE_BACK ? 'catching-up' : 'ready'));
  return out;
}

export interface SyntheticOptions {
  seed?: number;
  /** Epoch ms of the run's start. */
  startedAt?: number;
  durationMs?: number;
  clients?: number;
}

export function syntheticReport(options: SyntheticOptions = {}): ScenarioReport {
  const seed = options.seed ?? 7;
  const t0 = options.startedAt ?? Date.UTC(2025, 0, 15, 10, 0, 0);
  const duration = options.durationMs ?? 60_000;
  const clients = options.clients ?? 4;
  const rand = rng(seed);
  const rec = new HistoryRecorder();
  let lsn = 0;
  let writeNo = 0;

  const ops: Array<Omit<Operation, 'index'>> = [];
  for (let client = 0; client < clients; client++) {
    let t = client * 7;
    while (t < duration) {
      const kind = rand() < 0.7 ? 'read' : 'write';
      let outcome: Operation['outcome'] = 'ok';
      let status = 200;
      let lat: number;
      let error: string | undefined;
      if (kind === 'read') {
        const slow = t >= KILL_MASTER && t < 23_200 ? 1.8 : t >= KILL_SLAVE && t < SLAVE_BACK ? 1.4 : 1;
        lat = latency(rand, 2.6 * slow);
        // The killed slave held one read (prefetch 1): it times out.
        if (t >= KILL_SLAVE - 30 && t < KILL_SLAVE && client === 0) {
          outcome = 'unknown';
          status = 504;
          lat = 5000;
          error = 'rpc timeout';
        }
      } else {
        lat = latency(rand, t >= ELECTED && t < 22_500 ? 11 : 5.5);
        // Published before the kill, not yet answered: the master died holding it, so the client cannot know.
        if (t >= KILL_MASTER - 60 && t < KILL_MASTER) {
          outcome = 'unknown';
          status = 504;
          lat = 5000;
          error = 'rpc timeout: the master died holding the write';
        } else if (t >= KILL_MASTER && t < ELECTED) {
          outcome = 'failed';
          status = 503;
          lat = latency(rand, 3);
          error = 'no master';
        }
      }
      const key = kind === 'write' ? `c${client}-w${writeNo++}` : undefined;
      ops.push({
        client,
        kind,
        ...(key ? { key } : {}),
        startedAt: t0 + Math.round(t),
        endedAt: t0 + Math.round(t + lat),
        outcome,
        status: kind === 'write' && outcome === 'ok' ? 201 : status,
        ...(outcome === 'ok' ? { worker: kind === 'write' ? (t < KILL_MASTER ? 1001 : 1002) : 1003 } : {}),
        ...(kind === 'write' && outcome === 'ok' ? { lsn: ++lsn } : {}),
        ...(error ? { error } : {}),
      });
      // Clients think 20 ms, 12 ms once the load rises at 25 s; after a failure they back off 100 ms.
      t += lat + (outcome === 'ok' ? (t < 25_000 ? 20 : 12) : 100) + rand() * 4;
    }
  }
  ops.sort((a, b) => a.startedAt - b.startedAt).forEach((o) => rec.record(o));
  const history = rec.history;

  for (let t = 0; t <= duration; t += 500) {
    const at = Math.min(duration, t + Math.round(rand() * 40));
    history.topology.push({ at: t0 + at, workers: workersAt(at) } satisfies TopologySample);
  }
  const masterKill: FaultWindow = {
    kind: 'kill-master',
    startedAt: t0 + KILL_MASTER,
    endedAt: t0 + ELECTED,
    target: 'pid 1001',
    before: workersAt(KILL_MASTER - 1),
    note: 'SIGKILL via POST /api/v1/crash/master; healed when a new master was seen',
  };
  const slaveKill: FaultWindow = {
    kind: 'kill-slave',
    startedAt: t0 + KILL_SLAVE,
    endedAt: t0 + SLAVE_BACK,
    target: 'pid 1011',
    before: workersAt(KILL_SLAVE - 1),
    note: 'SIGKILL via POST /api/v1/crash/slave; healed when the replacement was ready',
  };
  history.faults.push(masterKill, slaveKill);
  history.elections.push({ at: t0 + ELECTED, fault: masterKill, newMasterPid: 1002 });
  for (const [at, observed] of [[20_000, 2], [40_000, 3]] as const) {
    const reads = history.ops.filter((o) => o.kind === 'read' && o.startedAt >= t0 + at - 20_000 && o.startedAt < t0 + at).length;
    history.scaleTicks.push({ at: t0 + at, reads, target: Math.max(1, Math.ceil(reads / 1200)), observedSlaves: observed });
  }

  const report: ScenarioReport = {
    scenario: 'master-crash-demo',
    description: 'SYNTHETIC demo data (no system was run): 4 clients for 60 s, the master killed at 20 s, a slave added by the autoscaler at 40 s and killed at 47 s.',
    environment: 'local',
    startedAt: t0,
    endedAt: t0 + duration,
    options: { durationS: duration / 1000, clients, readShare: 0.7, nemesis: 'kill-master@20s, kill-slave@47s', seed },
    settings: {
      INITIAL_SLAVES: '2',
      SCALE_INTERVAL_MS: '20000',
      READS_PER_SLAVE: '1200',
      ZK_SESSION_TIMEOUT_MS: '1000',
      RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672/harness-demo',
      DBAAS_TOKEN: 'demo-secret-token',
    },
    machine: { cores: 2, node: 'v20.20.0', platform: 'linux x64', memoryMb: 24_000 },
    history,
    load: syntheticLoad(rand),
    verdicts: [],
    valid: false,
  };
  report.verdicts = syntheticVerdicts(report);
  report.valid = mergeValidity(report.verdicts.map((v) => v.valid));
  return report;
}

function syntheticLoad(rand: () => number): LoadRun[] {
  const run = (label: string, rate: number | null, connections: number, mean: number, p50: number, p99: number): LoadRun => {
    const perSecond = Array.from({ length: 10 }, () => Math.round(mean * (0.97 + rand() * 0.06)));
    return {
      label,
      rate,
      connections,
      durationS: 10,
      requestsPerSec: { mean, p50: mean, min: Math.min(...perSecond), max: Math.max(...perSecond) },
      latencyMs: { p50, p90: p50 * 1.8, p97_5: p99 * 0.8, p99, max: p99 * 2.4 },
      requests: perSecond.reduce((a, b) => a + b, 0),
      errors: 0,
      timeouts: 0,
      non2xx: rate === null ? 3 : 0,
      perSecond,
    };
  };
  return [run('reads @ 200/s', 200, 10, 199.7, 2.1, 7.8), run('writes @ 100/s', 100, 10, 99.9, 5.3, 14.2), run('reads, saturation', null, 50, 1432, 31, 96)];
}

/** Verdicts in the shape the real checkers give, computed from the synthetic history so the figures agree. */
function syntheticVerdicts(report: ScenarioReport): Verdict[] {
  const s = summarizeHistory(report.history, { startedAt: report.startedAt, endedAt: report.endedAt });
  const gap = s.faults[0]?.maxOkWriteGapMs ?? 0;
  const readP99 = s.latencyMs.read.p99 ?? 0;
  const writeP99 = s.latencyMs.write.p99 ?? 0;
  const ticksOk = report.history.scaleTicks.every((t) => t.observedSlaves === t.target);
  return [
    {
      checker: 'no-lost-writes',
      valid: true,
      summary: `all ${s.counts.write.ok} acknowledged writes are on every replica exactly once; the ${s.counts.write.unknown} unknown write was applied`,
      thresholds: [
        { name: 'acknowledged writes lost', actual: 0, limit: '= 0', pass: true },
        { name: 'writes applied twice', actual: 0, limit: '= 0', pass: true },
      ],
    },
    {
      checker: 'election',
      valid: true,
      summary: 'after the master kill, 1002 (the lowest live PID) became master',
      thresholds: [
        { name: 'new master is the lowest live PID', actual: 'yes', limit: 'yes', pass: true },
        { name: 'time to new master', actual: ELECTED - KILL_MASTER, unit: 'ms', limit: '≤ 2000 ms', pass: true },
      ],
    },
    {
      checker: 'convergence',
      valid: true,
      summary: 'replica checksums identical 350 ms after the last fault healed',
      thresholds: [{ name: 'converged after', actual: 350, unit: 'ms', limit: '≤ 5000 ms', pass: true }],
    },
    {
      checker: 'scaling',
      valid: ticksOk,
      summary: ticksOk ? 'every interval ended with the slave count the rule asks for' : 'an interval ended with the wrong slave count',
      thresholds: report.history.scaleTicks.map((t) => ({
        name: `slaves after tick at ${Math.round((t.at - report.startedAt) / 1000)} s (${t.reads} reads)`,
        actual: t.observedSlaves,
        limit: `= ${t.target}`,
        pass: t.observedSlaves === t.target,
      })),
    },
    {
      checker: 'availability',
      valid: gap <= 2000 && readP99 <= 20 && writeP99 <= 15,
      summary: `writes unavailable for at most ${Math.round(gap)} ms; read p99 ${readP99} ms, write p99 ${writeP99} ms`,
      thresholds: [
        { name: 'longest write gap around a fault', actual: gap, unit: 'ms', limit: '≤ 2000 ms', pass: gap <= 2000 },
        { name: 'read p99', actual: readP99, unit: 'ms', limit: '≤ 20 ms', pass: readP99 <= 20 },
        { name: 'write p99', actual: writeP99, unit: 'ms', limit: '≤ 15 ms', pass: writeP99 <= 15 },
      ],
    },
  ];
}
