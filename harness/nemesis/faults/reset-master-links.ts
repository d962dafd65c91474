import { readyMaster } from '../../testing/topology';
import { defineFault } from '../fault';
import { sleep } from '../../../system/common/time/sleep';
import { allOf, CUT_MAX_MS, leavesWorkers, linksOf } from '../link-cuts';

/** TCP resets (RST) of every connection the master has, to the broker and to ZooKeeper. A worker that loses its broker
 * connection stops (crash-only), so the master must be replaced, without losing an acknowledged write. */
export const resetMasterLinks = defineFault({
  kind: 'reset-master-links',
  order: 28,
  title: "reset the master's connections",
  hits: 'master',
  needsLinks: true,
  async inject(ctx, before) {
    const master = readyMaster(before);
    if (!master) throw new Error('no ready master to reset');
    const startedAt = Date.now();
    const resets = allOf(linksOf(ctx).worker(master.pid)).map((l) => `${l.name}: ${l.reset()}`);
    const effect = leavesWorkers(master.pid);
    let seen: string | undefined;
    while (seen === undefined && Date.now() - startedAt < CUT_MAX_MS) {
      seen = await effect.seen(ctx, startedAt).catch(() => undefined);
      if (seen === undefined) await sleep(100);
    }
    return {
      target: String(master.pid),
      hitPids: [master.pid],
      inEffect: seen !== undefined && resets.length > 0,
      note: `master; connections reset (${resets.join(', ')}); ${seen ?? `effect NOT seen within ${CUT_MAX_MS} ms: ${effect.what}`}`,
    };
  },
});
