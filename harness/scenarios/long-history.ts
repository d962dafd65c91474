import { abortableSleep } from '../core/abortable-sleep';
import { runFault } from '../nemesis/nemesis';
import { killAllWorkers } from '../nemesis/faults/kill-all-workers';
import { restartSystem } from '../nemesis/faults/restart-system';
import { firstSyncOffset } from '../observe/sync-log-probe';
import { workers } from '../testing/topology';
import { DbClient } from '../workload/db-client';
import { waitUntil } from '../../system/common/time/wait-until';
import { faultCheckers, startMixedLoad } from './faults-under-load';
import { FIXED_TWO_SLAVES, type Scenario, type ScenarioContext } from './scenario';

/** Writes of the fill, through the API like every other write of the run, so that the checkers hold them to account. */
const FILL_WRITES = 1500;
/** Bound on the fill: it ends after FILL_WRITES writes, or after this long on a slow machine. */
const FILL_MAX_MS = 180_000;
/** Clients of the fill: each writes one at a time, so the rate needs many of them. */
const FILL_CLIENTS = 32;
/** Ids of the fill's clients, apart from the run's own. */
const FILL_CLIENT_IDS = 1000;

/*
 * A small log, so that a short run has a long history in the sense that matters: retention (whole 50 kB segments of
 * a 400 kB stream) drops the log's beginning after some 700 records, and slaves snapshot every 300 records, so that
 * every replica built after the fill can only come from a snapshot.
 */
const SMALL_LOG = {
  // Sessions that a busy machine does not lose while every replica is rebuilt at once.
  ZK_SESSION_TIMEOUT_MS: '3000',
  // The mixed load's first reads read every harness row, the fill's included (more than READ_DEFAULT_LIMIT's 1000).
  READ_DEFAULT_LIMIT: '10000',
  SYNC_MAX_BYTES: '400000',
  SYNC_SEGMENT_BYTES: '50000',
  SNAPSHOT_EVERY_RECORDS: '300',
  SNAPSHOT_CHUNK_BYTES: '16384',
};

/** Fills the log past its retention and checks that its beginning is really gone. */
async function fill(ctx: ScenarioContext): Promise<void> {
  ctx.progress(`fill: ${FILL_WRITES} writes from ${FILL_CLIENTS} clients`);
  const clients = Array.from({ length: FILL_CLIENTS }, (_, i) => new DbClient(ctx.cluster.http, ctx.recorder, FILL_CLIENT_IDS + i));
  // Keys of their own and no write numbers: write integrity holds the fill to account, the read checkers (which judge
  // the mixed load's reads by write number) leave it alone.
  const deadline = Date.now() + FILL_MAX_MS;
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < FILL_WRITES && Date.now() < deadline && !ctx.signal.aborted) await client.write(`${ctx.keyPrefix}fill-${next++}`);
    }),
  );
  let first: number | undefined;
  await waitUntil('retention to drop the beginning of syncQ', async () => ((first = await firstSyncOffset(ctx.cluster.rabbitmqUrl)) ?? 0) > 0, 30000, 500).catch(() => {
    throw new Error(`the log was not truncated (syncQ still begins at offset ${first}): the scenario would not test what it should`);
  });
  ctx.progress(`log truncated: syncQ now begins at offset ${first}`);
}

/** After a fault that rebuilt every replica: they must have come from a snapshot, since the log alone no longer can. */
async function expectSeeded(ctx: ScenarioContext, after: string): Promise<void> {
  const list = await workers(ctx.cluster.http);
  const seeded = list.filter((w) => w.seededLsn !== null);
  ctx.progress(`  after ${after}: ${seeded.length} of ${list.length} workers started from a snapshot (LSNs ${seeded.map((w) => w.seededLsn).join(', ')})`);
  if (seeded.length === 0) throw new Error(`after ${after} no worker started from a snapshot`);
}

export const longHistory: Scenario = {
  name: 'long-history',
  description:
    `A log longer than its retention (${FILL_WRITES} writes into a 400 kB syncQ), then the mixed load while the master ` +
    'and every slave are killed at once and the whole system is restarted: every replica must come back from a ' +
    'snapshot and the log after it. Checks: the log really lost its beginning, no acknowledged write lost or applied ' +
    'twice, reads show a prefix, replicas converge.',
  settings: () => ({ ...FIXED_TWO_SLAVES, ...SMALL_LOG }),
  async run(ctx) {
    await fill(ctx);
    const durationMs = ctx.options.durationS * 1000;
    const load = startMixedLoad(ctx);
    ctx.progress(`load: ${ctx.options.clients} clients, ${ctx.options.rate} ops/s for ${ctx.options.durationS} s; kill every worker, then restart the system`);
    try {
      const start = Date.now();
      for (const [i, fault] of [killAllWorkers, restartSystem].entries()) {
        await abortableSleep(start + ((i + 1) * durationMs) / 3 - Date.now(), ctx.signal);
        if (ctx.signal.aborted) break;
        await runFault(ctx.nemesis, fault);
        await expectSeeded(ctx, fault.kind);
      }
    } finally {
      await load.done;
    }
  },
  // A whole-system restart leaves no worker up for a while: availability is reported, not judged.
  checkers: (o) => faultCheckers({ maxElectionMs: 30000, maxConvergenceMs: 30000, maxUnavailableDuringFault: 1, maxStaleMs: o.maxStaleMs }),
  collectsFinalState: true,
};
