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

export interface Verdict {
  checker: string;
  valid: boolean;
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
