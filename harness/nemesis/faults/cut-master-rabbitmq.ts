import { defineFault } from '../fault';
import { cutTheMaster, healCut } from '../link-cuts';

/** The master cut from the broker both ways, its ZooKeeper session intact: it can neither take writes nor append to
 * syncQ, and holds /master until it notices (AMQP heartbeats) and steps down; then a slave is elected. */
export const cutMasterRabbitmq = defineFault({
  kind: 'cut-master-rabbitmq',
  order: 21,
  title: 'cut the master from RabbitMQ (both ways)',
  hits: 'master',
  needsLinks: true,
  inject: async (ctx, before) => cutTheMaster(ctx, before, (links) => [links.rabbitmq]),
  heal: healCut,
});
