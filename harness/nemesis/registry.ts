import type { FaultTarget } from './fault';
import { killMaster } from './faults/kill-master';
import { killRandom } from './faults/kill-random';
import { killSlave } from './faults/kill-slave';
import { pauseSlave } from './faults/pause-slave';
import { pauseWorker } from './faults/pause-worker';
import { restartRabbitMq } from './faults/restart-rabbitmq';
import { restartZookeeper } from './faults/restart-zookeeper';

/*
 * Every fault the nemesis can inject. The history's FaultKind, the CLI's --faults, the chaos scenario and the
 * election checker all take their lists from here, so adding a fault is a file in faults/ and an entry below.
 * Chaos picks among them in this order: a new fault goes at the end, or old seeds would replay other faults.
 */
export const FAULTS = [
  killMaster,
  killSlave,
  killRandom,
  pauseWorker,
  restartRabbitMq,
  restartZookeeper,
  pauseSlave,
] as const;

export type RegisteredFault = (typeof FAULTS)[number];
export type FaultKind = RegisteredFault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = FAULTS.map((f) => f.kind);

export function isFaultKind(kind: string): kind is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(kind);
}

/** Whom a fault of this kind hits; undefined for a kind no longer registered (a history read from an old report). */
export function targetOf(kind: string): FaultTarget | undefined {
  return FAULTS.find((f) => f.kind === kind)?.hits;
}
