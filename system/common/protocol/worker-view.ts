import type { WorkerInfo } from '../zk/paths';

/*
 * A worker as the orchestrator reports it (GET /api/v1/workers): what the runtime runs, joined with what the worker
 * registered in ZooKeeper. The one type for that row, in the orchestrator and in the harness that reads it. Kept apart
 * on purpose, because they hold something else:
 * - `WorkerInfo` (zk/paths.ts): what a worker writes into its own znode (no 'unknown' role: it always knows);
 * - `WorkerHandle` (orchestrator/runtime): what the runtime knows of a process or container it started (no role);
 * - `WorkerSample` (harness/core/history.ts): this row as the history records it over time (without the epoch).
 */
export interface WorkerView {
  id: string;
  pid: number;
  role: WorkerInfo['role'] | 'unknown';
  state: WorkerInfo['state'] | 'unregistered';
  appliedLsn: number | null;
  epoch: number | null;
  /** The LSN of the snapshot the worker's database started from; null when it replayed the whole log (or is unregistered). */
  seededLsn: number | null;
}
