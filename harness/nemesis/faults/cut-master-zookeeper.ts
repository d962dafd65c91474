import { defineFault } from '../fault';
import { cutTheMaster, healCut } from '../link-cuts';

/** The master cut from ZooKeeper both ways, its broker link intact: its lease lapses, its session expires, a slave is
 * elected; the old master must not acknowledge a write meanwhile (lease, epoch fence). */
export const cutMasterZookeeper = defineFault({
  kind: 'cut-master-zookeeper',
  order: 20,
  title: 'cut the master from ZooKeeper (both ways)',
  hits: 'master',
  needsLinks: true,
  inject: async (ctx, before) => cutTheMaster(ctx, before, (links) => links.zookeeper),
  heal: healCut,
});
