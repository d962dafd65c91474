import { QUEUES } from '../../../system/common/protocol/messages';
import { inspectQueue } from '../broker-admin';
import { defineFault } from '../fault';
import { readyWorkers } from '../hits';

/** The broker restarted with the system's data wiped (every queue and message of its vhost, the replication log
 * included; see Cluster.wipeRabbitMq). Like a deleted syncQ, by design the system stops: the log is gone, and
 * replacements find an empty syncQ while ZooKeeper's /log remembers the log, so they refuse rather than serve an
 * incomplete log. The fault proves it took effect: syncQ existed before and is missing or empty right after. */
export const wipeRabbitMq = defineFault({
  kind: 'wipe-rabbitmq',
  order: 34,
  title: 'restart RabbitMQ with its data wiped',
  hits: 'service',
  stopsTheSystem: 'the broker was wiped with the replication log in it: the system refuses to go on without its log (docs/write-path.md)',
  async inject(ctx, before) {
    const url = ctx.cluster.rabbitmqUrl;
    const had = await inspectQueue(url, QUEUES.sync);
    if (!had) throw new Error('syncQ does not exist: nothing to wipe');
    await ctx.cluster.wipeRabbitMq();
    // Workers may declare syncQ again at once; an empty one is what the wipe leaves.
    const after = await inspectQueue(url, QUEUES.sync);
    const effect = after === undefined ? 'syncQ gone after the wipe' : after.messages === 0 ? 'syncQ empty after the wipe' : `NOT taken effect: syncQ still holds ${after.messages} messages`;
    return { target: 'rabbitmq', hitPids: readyWorkers(before).map((w) => w.pid), note: `vhost deleted, broker restarted, vhost created again; ${effect}` };
  },
});
