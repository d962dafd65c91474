import { LoadChecker } from '../checkers/load-checker';
import { runAutocannon } from '../workload/autocannon-load';
import { runFixedRate } from '../workload/fixed-rate-load';
import { FIXED_TWO_SLAVES, type Scenario } from './scenario';

/** What the harness holds the read path to: (almost) no errors, and keeping up with the asked rate. Latency is
 * reported; its targets are measured by `npm run bench`, where a baseline of the same run gives them meaning. */
const MAX_ERROR_SHARE = 0.01;
const MIN_RATE_SHARE = 0.9;
/** Both phases may use as many connections, so that a fixed rate the server can serve at saturation is not refused
 * by the client's own connection limit (requests beyond 4 waiting per connection are skipped and count as failed). */
const CONNECTIONS = 64;

export const load: Scenario = {
  name: 'load',
  description:
    'Reads on POST /api/v1/db/read: half the duration at a fixed rate (--rate, evenly spaced, open loop: latency from ' +
    "each request's scheduled start, up to 64 connections), half at saturation (autocannon, 64 connections, closed " +
    `loop). Checks: under ${MAX_ERROR_SHARE * 100}% errors in both, at least ${MIN_RATE_SHARE * 100}% of the fixed ` +
    'rate achieved; latency percentiles reported (open- and closed-loop for the fixed rate).',
  settings: () => FIXED_TWO_SLAVES,
  async run(ctx) {
    const half = Math.max(1, Math.round(ctx.options.durationS / 2));
    const body = { table: 'users', columns: ['username'], where: { username: 'harness' } };
    const target = { url: `${ctx.cluster.url}/api/v1/db/read`, body, token: ctx.cluster.token, recorder: ctx.loadRecorder };
    ctx.progress(`fixed rate: ${ctx.options.rate} reads/s for ${half} s (open loop)`);
    ctx.load.push(await runFixedRate({ ...target, label: 'fixed rate', rate: ctx.options.rate, connections: CONNECTIONS, durationS: half, signal: ctx.signal }));
    if (ctx.signal.aborted) return;
    ctx.progress(`saturation: ${CONNECTIONS} connections for ${half} s`);
    ctx.load.push(await runAutocannon({ ...target, label: 'saturation', rate: null, connections: CONNECTIONS, durationS: half }));
    for (const r of ctx.load) {
      const closed = r.closedLoopLatencyMs ? ` (closed loop: p50 ${r.closedLoopLatencyMs.p50} ms, p99 ${r.closedLoopLatencyMs.p99} ms)` : '';
      ctx.progress(`  ${r.label}: ${r.requestsPerSec.mean.toFixed(0)} req/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms${closed}, ${r.errors + r.non2xx} errors`);
    }
  },
  checkers: () => [
    new LoadChecker({ run: 'fixed rate', maxErrorShare: MAX_ERROR_SHARE, minRateShare: MIN_RATE_SHARE }),
    new LoadChecker({ run: 'saturation', maxErrorShare: MAX_ERROR_SHARE }),
  ],
  collectsFinalState: false,
};
