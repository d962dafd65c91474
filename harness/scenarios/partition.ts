import { FaultEffectChecker } from '../checkers/fault-effect-checker';
import { OutageChecker } from '../checkers/outage-checker';
import type { FaultKind } from '../core/history';
import type { Fault } from '../nemesis/fault';
import { runFault } from '../nemesis/nemesis';
import { NETWORK_FAULTS } from '../nemesis/registry';
import { randomSchedule } from '../nemesis/schedule';
import { abortableSleep } from '../core/abortable-sleep';
import { DbClient } from '../workload/db-client';
import { MixedLoad } from '../workload/generators';
import { faultCheckers, startMixedLoad } from './faults-under-load';
import { FIXED_TWO_SLAVES, type Scenario } from './scenario';

/** Quiet time between faults, so that each window can be told apart in the report. */
const GAP_MS = 3000;
const MAX_FAULTS = 16;
/** The load goes on this long after the last fault healed: the outage checker's grace, so that the window's end has
 * clients in it. */
const TAIL_MS = 5000;
/** Bound on the load beyond --duration: the required faults run even when they outlast it (on a busy machine a fault's
 * healing, replacements included, can take 20 s). */
const OVERRUN_MS = 240_000;
/** Read-only clients beside the mixed load's. */
const READERS = 2;

/** The link faults every run goes through first, in this order; then random link faults while time is left. */
export const REQUIRED_PARTITIONS: readonly FaultKind[] = ['cut-master-zookeeper', 'cut-master-rabbitmq', 'isolate-slave', 'cut-orchestrator-zookeeper'];

/*
 * The partition scenario's system: two slaves; the orchestrator's session short enough to be cut past it; the workers'
 * session at the production default (2000 ms, not the 1000 ms the other scenarios use): every worker's ZooKeeper
 * traffic goes through the link proxies in the harness's own process, whose event loop a busy machine stalls now and
 * then, and a stall is no partition.
 */
export const PARTITION_SETTINGS: Record<string, string> = {
  ...FIXED_TWO_SLAVES,
  ZK_SESSION_TIMEOUT_MS: '2000',
  ORCHESTRATOR_ZK_SESSION_TIMEOUT_MS: '4000',
  // Every read of the mixed load reads back all the rows it wrote: past 1000 writes (a few minutes of load) the default
  // bound refuses them (400), which a run of --duration 180 showed as 1,472 failed reads. Still bounded, still explicit.
  READ_DEFAULT_LIMIT: '10000',
};

export const partition: Scenario = {
  name: 'partition',
  description:
    `Network faults under a mixed load: first ${REQUIRED_PARTITIONS.join(', ')}, then random ones of ` +
    `${NETWORK_FAULTS.map((f) => f.kind).join(', ')} for the rest of --duration. Every link of the orchestrator and of each worker goes ` +
    'through a TCP proxy that cuts it per direction, slows or resets it. Checks: no acknowledged write lost or applied twice, reads, ' +
    'no two masters acknowledging in one period (fencing), elections, convergence, and how long writes and reads stopped per fault.',
  settings: () => PARTITION_SETTINGS,
  linkProxies: () => true,
  async run(ctx) {
    const { options } = ctx;
    const durationMs = options.durationS * 1000;
    const start = Date.now();
    // Bounded, and stopped once the faults are over: the load must cover every fault window, however long they took.
    const load = startMixedLoad(ctx, durationMs + OVERRUN_MS);
    // Clients of the mixed load wait for their writes: while writes stall (a cut master) they issue no reads either.
    // Readers of their own keep asking, so that the time without reads is the system's, not the workload's.
    const readers = new MixedLoad(
      Array.from({ length: READERS }, (_, i) => new DbClient(ctx.cluster.http, ctx.recorder, options.clients + i)),
      { readRatio: 1, rate: Math.max(1, options.rate / 4), durationMs: durationMs + OVERRUN_MS, maxOps: Math.ceil(((options.rate / 4) * (durationMs + OVERRUN_MS) * 1.5) / 1000), seed: options.seed + 1000, keyPrefix: ctx.keyPrefix, signal: ctx.signal },
    );
    ctx.progress(`load: ${options.clients} clients, ${options.rate} ops/s for ${options.durationS} s; link faults every ~${GAP_MS / 1000} s`);
    try {
      for (const kind of REQUIRED_PARTITIONS) {
        await abortableSleep(GAP_MS, ctx.signal);
        if (ctx.signal.aborted) break;
        await runFault(ctx.nemesis, NETWORK_FAULTS.find((f) => f.kind === kind) as Fault<FaultKind>);
      }
      const left = durationMs - (Date.now() - start) - GAP_MS;
      const random = NETWORK_FAULTS.filter((f) => options.faults.includes(f.kind));
      if (left < 0) ctx.progress(`the required faults took ${Math.round((Date.now() - start) / 1000)} s, longer than --duration: no random ones`);
      else if (random.length > 0) await randomSchedule(ctx.nemesis, random, { untilMs: left, gapMs: GAP_MS, maxFaults: MAX_FAULTS - REQUIRED_PARTITIONS.length });
      await abortableSleep(TAIL_MS, ctx.signal);
    } finally {
      load.stop();
      readers.stop();
      await Promise.all([load.done, readers.done]);
    }
  },
  checkers: (o) => [
    ...faultCheckers({ maxElectionMs: 15000, maxConvergenceMs: 30000, maxUnavailableDuringFault: 1, maxStaleMs: o.maxStaleMs }),
    new OutageChecker({ maxOutageMs: 20000 }),
    new FaultEffectChecker(),
  ],
  collectsFinalState: true,
};
