import { waitUntil } from '../../system/common/time/wait-until';
import type { HttpClient } from './http-client';

export interface WorkerRow {
  id: string;
  pid: number;
  role: 'master' | 'slave' | 'unknown';
  state: string;
  appliedLsn: number | null;
  epoch: number | null;
}

type Worker = Pick<WorkerRow, 'pid' | 'role' | 'state'>;

export async function workers(http: HttpClient): Promise<WorkerRow[]> {
  const r = await http.get<WorkerRow[]>('/api/v1/workers');
  if (r.status !== 200 || !Array.isArray(r.body)) throw new Error(`GET /api/v1/workers answered ${r.status}`);
  return r.body;
}

/** One ready master and `slaves` ready slaves, and nothing else. */
export function isComplete(list: Worker[], slaves: number): boolean {
  return list.length === slaves + 1 && list.every((w) => w.state === 'ready') && list.filter((w) => w.role === 'master').length === 1;
}

export const readyMaster = <W extends Worker>(list: W[]) => list.find((w) => w.role === 'master' && w.state === 'ready');
export const readySlaves = <W extends Worker>(list: W[]) => list.filter((w) => w.role === 'slave' && w.state === 'ready');

/** Waits until there is one ready master and `slaves` ready slaves, and nothing else; returns them. */
export async function waitForTopology(http: HttpClient, slaves: number, timeoutMs = 30000): Promise<WorkerRow[]> {
  let last: WorkerRow[] = [];
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
