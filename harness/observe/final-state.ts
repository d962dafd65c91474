import { isDeepStrictEqual } from 'node:util';
import { constantBackoff } from '../../system/common/retry/backoff';
import { retry } from '../../system/common/retry/retry';
import { sleep } from '../../system/common/time/sleep';
import type { FinalState, ReplicaState } from '../core/checker';
import type { History } from '../core/history';
import type { HttpClient } from '../testing/http-client';
import { ReplicaInspector } from '../testing/replica-inspector';
import { HARNESS_USER } from '../workload/db-client';
import { isComplete } from '../testing/topology';
import { readTopology } from './topology-sampler';

export interface FinalStateOptions {
  /** Slaves the system should have once healed. */
  slaves: number;
  /** How long to wait for a complete topology and identical checksums after the faults stopped. */
  timeoutMs: number;
  /** Convergence time is counted from here (the end of the last fault, or of the workload). */
  since: number;
}

/*
 * After the run: waits until every replica reports the same checksums (or the bound passes), then asks each replica,
 * through its own control queue, how many rows carry each write key of the history.
 */
export async function collectFinalState(http: HttpClient, rabbitmqUrl: string, history: History, o: FinalStateOptions): Promise<FinalState> {
  const deadline = Date.now() + o.timeoutMs;
  let convergedAfterMs: number | null = null;
  let workers = await readTopology(http);
  let sums: Array<{ id: string; pid: number; role: string; lsn: number; tables: unknown[] }> = [];
  const inspector = await ReplicaInspector.connect(rabbitmqUrl);
  try {
    while (Date.now() < deadline) {
      workers = await readTopology(http).catch(() => workers);
      if (isComplete(workers, o.slaves)) {
        sums = await Promise.all(workers.map(async (w) => ({ id: w.id, pid: w.pid, role: w.role, ...(await checksum(inspector, w.id)) })));
        if (sums.every((s) => s.lsn >= 0 && isDeepStrictEqual(s.tables, sums[0].tables) && s.lsn === sums[0].lsn)) {
          convergedAfterMs = Math.max(0, Date.now() - o.since);
          break;
        }
      }
      await sleep(200);
    }
    if (sums.length === 0) {
      sums = await Promise.all(workers.map(async (w) => ({ id: w.id, pid: w.pid, role: w.role, ...(await checksum(inspector, w.id)) })));
    }
    const keys = new Set(history.ops.filter((op) => op.kind === 'write' && op.key).map((op) => op.key!));
    const replicas: ReplicaState[] = [];
    for (const s of sums) {
      const keyCounts: Record<string, number> = {};
      for (const k of keys) keyCounts[k] = 0;
      const read = await harnessRows(inspector, s.id);
      if ('error' in read) {
        replicas.push({ workerId: s.id, pid: s.pid, role: s.role, lsn: s.lsn, checksums: s.tables, keyCounts, unreadable: read.error });
        continue;
      }
      for (const row of read.rows) {
        const k = String(row.timestamp);
        keyCounts[k] = (keyCounts[k] ?? 0) + 1;
      }
      replicas.push({ workerId: s.id, pid: s.pid, role: s.role, lsn: s.lsn, checksums: s.tables, keyCounts });
    }
    return { replicas, convergedAfterMs };
  } finally {
    await inspector.close();
  }
}

/** The harness's rides on one replica; a few tries, since one slow answer on a busy machine proves nothing. */
async function harnessRows(inspector: ReplicaInspector, id: string): Promise<{ rows: Record<string, unknown>[] } | { error: string }> {
  return retry(async () => ({ rows: await inspector.rows(id, { table: 'rides', columns: ['timestamp'], where: { created_by: HARNESS_USER } }, 15000) }), {
    backoff: constantBackoff(0),
    attempts: 3,
  }).catch((err) => ({ error: (err as Error).message }));
}

async function checksum(inspector: ReplicaInspector, id: string): Promise<{ lsn: number; tables: unknown[] }> {
  try {
    return await inspector.checksum(id, 3000);
  } catch (err) {
    return { lsn: -1, tables: [{ error: (err as Error).message }] };
  }
}
