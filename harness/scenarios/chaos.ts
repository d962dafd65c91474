import { FAULTS, needsLinkProxies } from '../nemesis/registry';
import { randomSchedule } from '../nemesis/schedule';
import { faultCheckers, startMixedLoad } from './faults-under-load';
import { FIXED_TWO_SLAVES, type Scenario } from './scenario';
import { faultSettings } from './soak';

/** Quiet time between faults, so that each window can be told apart in the report. */
const GAP_MS = 3000;
const MAX_FAULTS = 12;

export const chaos: Scenario = {
  name: 'chaos',
  description:
    `Random faults one after another under a mixed load for a bounded time: ${FAULTS.map((f) => f.title).join(', ')}. ` +
    'Checks: no acknowledged write lost or applied twice, replicas converge, elections pick the lowest live PID.',
  // The orchestrator's own session (ORCHESTRATOR_ZK_SESSION_TIMEOUT_MS) outlives a ZooKeeper restart; workers' may not.
  settings: (o) => ({ ...FIXED_TWO_SLAVES, ...faultSettings(o.faults) }),
  // Network faults among --faults need the links to go through proxies.
  linkProxies: (o) => needsLinkProxies(o.faults),
  async run(ctx) {
    const { options } = ctx;
    const durationMs = options.durationS * 1000;
    const load = startMixedLoad(ctx);
    ctx.progress(`load: ${options.clients} clients, ${options.rate} ops/s for ${options.durationS} s; random faults every ~${GAP_MS / 1000} s`);
    try {
      // In the registry's order, not the user's: a seed then replays the same faults however --faults is written.
      await randomSchedule(ctx.nemesis, FAULTS.filter((f) => options.faults.includes(f.kind)), {
        untilMs: durationMs - GAP_MS,
        gapMs: GAP_MS,
        maxFaults: MAX_FAULTS,
      });
    } finally {
      await load.done;
    }
  },
  // Broker and ZooKeeper restarts take every worker down at once: availability is reported, not judged.
  checkers: (o) => faultCheckers({ maxElectionMs: 15000, maxConvergenceMs: 30000, maxUnavailableDuringFault: 1, maxStaleMs: o.maxStaleMs }),
  collectsFinalState: true,
};
