import { waitUntil } from '../../system/common/time/wait-until';
import type { WorkerView } from '../../system/common/protocol/worker-view';
import type { HttpClient } from './http-client';

/** The least a topology check needs of a worker: a `WorkerView` or a history's `WorkerSample` both fit. */
export type WorkerStatus = Pick<WorkerView, 'pid' | 'role' | 'state'>;

export async function workers(http: HttpClient): Promise<WorkerView[]> {
  const r = await http.get<WorkerView[]>('/api/v1/workers');
  if (r.status !== 200 || !Array.isArray(r.body)) throw new Error(`GET /api/v1/workers answered ${r.status}`);
  return r.body;
}

/** One ready master and `slaves` ready slaves, and nothing else. */
export function isComplete(list: WorkerStatus[], slaves: number): boolean {
  return list.length === slaves + 1 && list.every((w) => w.state === 'ready') && list.filter((w) => w.role === 'master').length === 1;
}

export const readyMaster = <W extends WorkerStatus>(list: W[]) => list.find((w) => w.role === 'master' && w.state === 'ready');
export const readySlaves = <W extends WorkerStatus>(list: W[]) => list.filter((w) => w.role === 'slave' && w.state === 'ready');

/** Waits until there is one ready master and `slaves` ready slaves, and nothing else; returns them. */
export async function waitForTopology(http: HttpClient, slaves: number, timeoutMs = 30000): Promise<WorkerView[]> {
  let last: WorkerView[] = [];
  await waitUntil(
    `1 master and ${slaves} slaves, all ready`,
    async () => isComplete((last = await workers(http)), slaves),
    timeoutMs,
    50,
  ).catch((err) => {
    throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)}`);
  });
  return last;
}
