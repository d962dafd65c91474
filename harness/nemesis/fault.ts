import type { Cluster } from '../environment/environment';
import type { WorkerStatus } from '../testing/topology';

/*
 * What one fault is, declared in a file of its own under faults/ and exported by faults/index.ts. This module and the fault
 * files must not import the history: the history's FaultKind is derived from the registry, so that would be a cycle.
 */

/** What a fault needs to hit: the system, and the run's seeded random so that a seed replays the same victims. */
export interface FaultContext {
  cluster: Cluster;
  random: () => number;
}

export interface Hit {
  target?: string;
  /** PIDs of the workers the fault hit: healed means none of them is among the workers any more. */
  hitPids: number[];
  note?: string;
  /** Whether the fault was seen to take effect (bytes stopped, the worker's session expired...): set by faults that
   * check it; false fails the run (the effect checker), since a fault that did nothing proves nothing. */
  inEffect?: boolean;
  /** Wait this long before judging the topology (after a server restart the old workers look whole for a moment). */
  settleMs?: number;
  /** Set when the fault could not be injected on this machine (e.g. mount not permitted): why, in one line. The
   * window is recorded with it as its note, and nothing is waited for. */
  skipped?: string;
}

/*
 * Whom a fault hits, which also says whether it may move the master (what the election checker needs):
 * - 'master': it takes the master away, so an election must follow;
 * - 'slave': the master must stay where it was;
 * - 'any-worker': one ready worker at random, so it moves the master exactly when the victim was the master;
 * - 'service': a shared server every worker depends on; it may or may not move the master (ZooKeeper sessions can
 *   expire), which the system does not promise, so no election is judged.
 */
export type FaultTarget = 'master' | 'slave' | 'any-worker' | 'service';

export interface Fault<K extends string = string> {
  /** Its name in histories, reports and --faults: written here and nowhere else. */
  readonly kind: K;
  /** Its place in the registry, and so in the chaos scenario's draw: a new fault takes the next number, so that a
   * seed of an older run replays the same faults. */
  readonly order: number;
  /** A few words for the chaos scenario's description, e.g. "kill master". */
  readonly title: string;
  readonly hits: FaultTarget;
  /** A network fault: it needs the system started with link proxies (environment option `linkProxies`). */
  readonly needsLinks?: boolean;
  /** Set on a fault after which the system stops by design (the reason, as a person reads it): the nemesis then
   * checks that it did stop rather than wait for it to heal, and schedules no further fault. */
  readonly stopsTheSystem?: string;
  /** Hits the system, given the topology just before; says what it hit. */
  inject(ctx: FaultContext, before: WorkerStatus[]): Promise<Hit>;
  /** Undoes the hit where the system cannot (SIGCONT after SIGSTOP). Absent when the system heals by itself (a killed
   * worker is replaced, a restarted server comes back); either way the nemesis then waits for the full topology. */
  heal?(ctx: FaultContext, hit: Hit): Promise<void>;
}

/** Keeps the kind's string literal type, from which the registry derives FaultKind. */
export function defineFault<K extends string>(fault: Fault<K>): Fault<K> {
  return fault;
}
