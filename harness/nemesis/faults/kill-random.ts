import { defineFault } from '../fault';
import { pickAtRandom, readyWorkers } from '../hits';

/** SIGKILL sent by the harness itself (not the crash API) to a ready worker chosen at random, master or slave. */
export const killRandom = defineFault({
  kind: 'kill-random',
  order: 3,
  title: 'kill a random worker',
  hits: 'any-worker',
  async inject(ctx, before) {
    const victim = pickAtRandom(ctx, readyWorkers(before));
    await ctx.cluster.signalWorker(victim.pid, 'SIGKILL');
    return { target: String(victim.pid), hitPids: [victim.pid], note: victim.role };
  },
});
