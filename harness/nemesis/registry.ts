import type { FaultTarget } from './fault';
import * as ALL from './faults';

/*
 * Every fault the nemesis can inject. The history's FaultKind, the CLI's --faults, the chaos scenario and the
 * election checker all take their lists from here, so adding a fault is a file in faults/ and one line in
 * faults/index.ts. Chaos picks among them in the order the faults declare (`order`), so that old seeds replay the same.
 */
export type RegisteredFault = (typeof ALL)[keyof typeof ALL];

export const FAULTS: readonly RegisteredFault[] = Object.values(ALL).sort((a, b) => a.order - b.order);

export type FaultKind = RegisteredFault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = FAULTS.map((f) => f.kind);

/** The network faults: they need the system's links to go through link proxies. */
export const NETWORK_FAULTS: readonly RegisteredFault[] = FAULTS.filter((f) => f.needsLinks);

/** Whether any of `kinds` is a network fault, so that the system must be started with link proxies. */
export function needsLinkProxies(kinds: readonly string[]): boolean {
  return NETWORK_FAULTS.some((f) => kinds.includes(f.kind));
}

export function isFaultKind(kind: string): kind is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(kind);
}

/** Whom a fault of this kind hits; undefined for a kind no longer registered (a history read from an old report). */
export function targetOf(kind: string): FaultTarget | undefined {
  return FAULTS.find((f) => f.kind === kind)?.hits;
}

/** The faults the system heals from; the others stop it by design (`stopsTheSystem`), so a random schedule draws them
 * only when asked to by name. */
export const RECOVERABLE_FAULT_KINDS: readonly FaultKind[] = FAULTS.filter((f) => !f.stopsTheSystem).map((f) => f.kind);
