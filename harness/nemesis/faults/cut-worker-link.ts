import { defineFault } from '../fault';
import { pickAtRandom, readyWorkers } from '../hits';
import { cut, healCut, leavesWorkers, linksOf, randomDirections } from '../link-cuts';

/*
 * One link of a ready worker (to the broker or to ZooKeeper, at random) cut one way or both: up (its requests,
 * heartbeats and lease renewals get lost) or down (it hears nothing back). Either way the worker is lost: ZooKeeper
 * expires a session it hears nothing from, or that cannot answer; the broker or the worker gives up after two missed
 * heartbeats. So it must leave /workers, and the master be replaced when it was the master.
 */
export const cutWorkerLink = defineFault({
  kind: 'cut-worker-link',
  order: 26,
  title: "cut one of a worker's links (one way or both)",
  hits: 'any-worker',
  needsLinks: true,
  async inject(ctx, before) {
    const victim = pickAtRandom(ctx, readyWorkers(before));
    const links = linksOf(ctx).worker(victim.pid);
    const link = ctx.random() < 0.5 ? links.rabbitmq : links.zookeeper[0];
    const directions = randomDirections(ctx.random);
    return cut([{ link, directions }], { target: String(victim.pid), hitPids: [victim.pid], what: victim.role }, { effect: leavesWorkers(victim.pid) });
  },
  heal: healCut,
});
