import { defineFault } from '../fault';
import { pickAtRandom, readyWorkers, resumeAfterThePause, stopForAPause } from '../hits';

/** SIGSTOP of a ready worker chosen at random, then SIGCONT: a paused master is replaced by an election. */
export const pauseWorker = defineFault({
  kind: 'pause-worker',
  order: 4,
  title: 'pause a worker (SIGSTOP/SIGCONT)',
  hits: 'any-worker',
  inject: (ctx, before) => stopForAPause(ctx, pickAtRandom(ctx, readyWorkers(before))),
  heal: resumeAfterThePause,
});
