import { waitUntil } from '../../system/common/services/wait-for';
import type { HttpClient } from './http-client';

export interface WorkerRow {
  id: string;
  pid: number;
  role: 'master' | 'slave' | 'unknown';
  state: string;
  appliedLsn: number | null;
  epoch: number | null;
}

export async function workers(http: HttpClient): Promise<WorkerRow[]> {
  return (await http.get<WorkerRow[]>('/api/v1/workers')).body;
}

/** Waits until there is one ready master and `slaves` ready slaves, and nothing else; returns them. */
export async function waitForTopology(http: HttpClient, slaves: number, timeoutMs = 30000): Promise<WorkerRow[]> {
  let last: WorkerRow[] = [];
  await waitUntil(
    `1 master and ${slaves} slaves, all ready`,
    async () => {
      last = await workers(http);
      return (
        last.length === slaves + 1 &&
        last.every((w) => w.state === 'ready') &&
        last.filter((w) => w.role === 'master').length === 1
      );
    },
    timeoutMs,
    50,
  ).catch((err) => {
    throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)}`);
  });
  return last;
}
