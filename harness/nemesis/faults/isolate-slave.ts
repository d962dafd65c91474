import { readySlaves } from '../../testing/topology';
import { defineFault } from '../fault';
import { pickAtRandom } from '../hits';
import { BOTH } from '../../network/link-proxy';
import { allOf, cut, healCut, leavesWorkers, linksOf } from '../link-cuts';

/** A slave cut from everything (broker and ZooKeeper, both ways): it is lost and replaced; the master stays. */
export const isolateSlave = defineFault({
  kind: 'isolate-slave',
  order: 22,
  title: 'isolate a slave (every link, both ways)',
  hits: 'slave',
  needsLinks: true,
  async inject(ctx, before) {
    const victim = pickAtRandom(ctx, readySlaves(before), 'slave');
    const links = allOf(linksOf(ctx).worker(victim.pid));
    return cut(links.map((link) => ({ link, directions: BOTH })), { target: String(victim.pid), hitPids: [victim.pid], what: 'slave' }, { effect: leavesWorkers(victim.pid) });
  },
  heal: healCut,
});
