import { readySlaves } from '../../testing/topology';
import { defineFault } from '../fault';
import { pickAtRandom, resumeAfterThePause, stopForAPause } from '../hits';

/** SIGSTOP of a ready slave chosen at random, then SIGCONT: the lost slave is replaced and the master must stay. */
export const pauseSlave = defineFault({
  kind: 'pause-slave',
  order: 7,
  title: 'pause a slave (SIGSTOP/SIGCONT)',
  hits: 'slave',
  inject: (ctx, before) => stopForAPause(ctx, pickAtRandom(ctx, readySlaves(before), 'slave')),
  heal: resumeAfterThePause,
});
