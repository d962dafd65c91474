import { readyMaster } from '../../testing/topology';
import { defineFault } from '../fault';
import { BOTH } from '../../network/link-proxy';
import { cut, healCut, leavesWorkers, linksOf } from '../link-cuts';

/** The master cut from the broker both ways, its ZooKeeper session intact: it can neither take writes nor append to
 * syncQ, and holds /master until it notices (AMQP heartbeats) and steps down; then a slave is elected. */
export const cutMasterRabbitmq = defineFault({
  kind: 'cut-master-rabbitmq',
  order: 21,
  title: 'cut the master from RabbitMQ (both ways)',
  hits: 'master',
  needsLinks: true,
  async inject(ctx, before) {
    const master = readyMaster(before);
    if (!master) throw new Error('no ready master to cut');
    const links = linksOf(ctx).worker(master.pid);
    return cut([{ link: links.rabbitmq, directions: BOTH }], { target: String(master.pid), hitPids: [master.pid], what: 'master' }, { effect: leavesWorkers(master.pid) });
  },
  heal: healCut,
});
