import type { FinalState, ReplicaState } from '../core/checker';
import { emptyHistory, type FaultWindow, type History, type Operation, type WorkerSample } from '../core/history';

/*
 * Builders for the checkers' unit tests: short histories written by hand, so that each test shows the exact
 * situation it judges. Times are small numbers of ms from T0.
 */

export const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

export function history(parts: Partial<History> = {}): History {
  return { ...emptyHistory(), ...parts };
}

/** Ops with sequential indexes; each part gives at least kind, start and duration. */
export function ops(...parts: (Partial<Operation> & { at: number; ms?: number })[]): Operation[] {
  return parts.map(({ at, ms = 5, ...rest }, index) => ({
    index,
    client: 0,
    kind: 'write',
    startedAt: T0 + at,
    endedAt: T0 + at + ms,
    outcome: 'ok',
    status: 200,
    ...rest,
  }));
}

export function worker(pid: number, role: WorkerSample['role'] = 'slave', state: WorkerSample['state'] = 'ready'): WorkerSample {
  return { id: `w${pid}`, pid, role, state, appliedLsn: 0 };
}

export function fault(kind: FaultWindow['kind'], at: number, ms: number, target?: number | string, before?: WorkerSample[]): FaultWindow {
  return { kind, startedAt: T0 + at, endedAt: T0 + at + ms, target: target === undefined ? undefined : String(target), before };
}

export function replica(pid: number, keyCounts: Record<string, number> = {}, extra: Partial<ReplicaState> = {}): ReplicaState {
  return {
    workerId: `w${pid}`,
    pid,
    role: 'slave',
    lsn: 10,
    checksums: [
      { table: 'users', rows: 3, sha: 'aaaa' },
      { table: 'rides', rows: 1, sha: 'bbbb' },
    ],
    keyCounts,
    ...extra,
  };
}

export function final(replicas: ReplicaState[], convergedAfterMs: number | null = 100): FinalState {
  return { replicas, convergedAfterMs };
}
