import { defineFault } from '../fault';
import { pickAtRandom, readyWorkers } from '../hits';
import { BOTH } from '../../network/link-proxy';
import { allOf, cut, healCut, leavesWorkers, linksOf } from '../link-cuts';

/** A ready worker, master or slave, cut from everything both ways: the network's version of a paused process, except
 * that the process runs on and may act on what it still believes. */
export const isolateWorker = defineFault({
  kind: 'isolate-worker',
  order: 23,
  title: 'isolate a worker (every link, both ways)',
  hits: 'any-worker',
  needsLinks: true,
  async inject(ctx, before) {
    const victim = pickAtRandom(ctx, readyWorkers(before));
    const links = allOf(linksOf(ctx).worker(victim.pid));
    return cut(links.map((link) => ({ link, directions: BOTH })), { target: String(victim.pid), hitPids: [victim.pid], what: victim.role }, { effect: leavesWorkers(victim.pid) });
  },
  heal: healCut,
});
