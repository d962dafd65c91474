import { readyMaster } from '../../testing/topology';
import { defineFault } from '../fault';
import { BOTH } from '../../network/link-proxy';
import { cut, healCut, leavesWorkers, linksOf } from '../link-cuts';

/** The master cut from ZooKeeper both ways, its broker link intact: its lease lapses, its session expires, a slave is
 * elected; the old master must not acknowledge a write meanwhile (lease, epoch fence). */
export const cutMasterZookeeper = defineFault({
  kind: 'cut-master-zookeeper',
  order: 20,
  title: 'cut the master from ZooKeeper (both ways)',
  hits: 'master',
  needsLinks: true,
  async inject(ctx, before) {
    const master = readyMaster(before);
    if (!master) throw new Error('no ready master to cut');
    const links = linksOf(ctx).worker(master.pid);
    return cut(
      links.zookeeper.map((link) => ({ link, directions: BOTH })),
      { target: String(master.pid), hitPids: [master.pid], what: 'master' },
      { effect: leavesWorkers(master.pid) },
    );
  },
  heal: healCut,
});
