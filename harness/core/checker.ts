import type { History } from './history';
import type { LoadRun } from './load-run';

/** A named limit a checker applied, shown in the report's thresholds table. */
export interface Threshold {
  name: string;
  /** What was measured, in `unit`. */
  actual: number | string;
  limit: string;
  unit?: string;
  pass: boolean;
}

/**
 * Jepsen's three answers: the history satisfies the property (true), violates it (false), or is too thin to decide
 * ('unknown', e.g. no read answered that could show the property). An unknown is not a pass: nothing was shown.
 */
export type Validity = true | false | 'unknown';

/** The validity of several verdicts together: one violation decides, else one undecided, else valid. An empty list
 * is false, since a run that judged nothing proved nothing. */
export function mergeValidity(all: readonly Validity[]): Validity {
  if (all.length === 0 || all.includes(false)) return false;
  return all.includes('unknown') ? 'unknown' : true;
}

/** The word the tables print for a validity. */
export function validityWord(v: Validity): 'PASS' | 'FAIL' | 'UNKNOWN' {
  return v === true ? 'PASS' : v === false ? 'FAIL' : 'UNKNOWN';
}

export interface Verdict {
  checker: string;
  valid: Validity;
  /** One line a person reads first: why it passed or failed. */
  summary: string;
  thresholds: Threshold[];
  /** Machine-readable evidence (lost keys, duplicate keys, mismatching checksums...). */
  details?: Record<string, unknown>;
}

/** Facts gathered after the run that are not in the history: what each replica holds at the end. */
export interface FinalState {
  /** Per worker: checksum reply and the write keys it holds with their counts. */
  replicas: ReplicaState[];
  /** How long after the last fault the replicas were first seen identical (ms), or null when never. */
  convergedAfterMs: number | null;
}

export interface ReplicaState {
  workerId: string;
  pid: number;
  role: string;
  lsn: number;
  checksums: unknown[];
  /** Count of rows carrying each write key, for every key the run wrote. */
  keyCounts: Record<string, number>;
  /** Set when the replica's rows could not be read: its keyCounts then say nothing (not "lost"). */
  unreadable?: string;
}

export interface CheckContext {
  history: History;
  final?: FinalState;
  /** autocannon runs of the `load` scenario. */
  load?: LoadRun[];
}

export interface Checker {
  readonly name: string;
  check(ctx: CheckContext): Verdict;
}
