import { AvailabilityChecker } from '../checkers/availability-checker';
import { LatencyChecker } from '../checkers/latency-checker';
import { ScalingChecker } from '../checkers/scaling-checker';
import { awaitDecision, observeSettled } from '../observe/scaling-observer';
import { readBurst } from '../workload/generators';
import type { Scenario } from './scenario';

/** Reads per interval, and the slaves each must lead to with READS_PER_SLAVE=20 (the last interval is idle). */
const BURSTS = [25, 45, 65, 0];
const EXPECTED = [2, 3, 4, 1];

export const readBurstScenario: Scenario = {
  name: 'read-burst',
  description: `Bursts of ${BURSTS.slice(0, -1).join(', ')} reads in successive autoscaling intervals, then an idle one. ` +
    `Checks: the slave count after each tick is ${EXPECTED.join(', ')}, and every read succeeds meanwhile.`,
  settings: (o) => ({ SCALE_INTERVAL_MS: String(o.intervalMs), READS_PER_SLAVE: '20', INITIAL_SLAVES: '1', MAX_SLAVES: '6' }),
  async run(ctx) {
    const { cluster, sampler, recorder } = ctx;
    ctx.progress(`interval ${ctx.options.intervalMs} ms; bursts ${BURSTS.join(', ')}`);
    // The first read starts the autoscaler's clock; each later burst goes out right after a decision, so that it
    // falls entirely into the next interval.
    await readBurst(ctx.clients, BURSTS[0]);
    for (let i = 0; i < BURSTS.length && !ctx.signal.aborted; i++) {
      const decision = await awaitDecision(cluster.http, i);
      const next = i + 1 < BURSTS.length ? readBurst(ctx.clients, BURSTS[i + 1]) : Promise.resolve();
      const tick = await observeSettled(sampler, decision, recorder.history.scaleTicks);
      ctx.progress(`tick ${i + 1}: ${tick.reads} reads -> target ${tick.target}, ${tick.observedSlaves} ready slave(s)`);
      await next;
    }
  },
  checkers: () => [new ScalingChecker({ expected: EXPECTED }), new AvailabilityChecker(), new LatencyChecker()],
  collectsFinalState: false,
};
