import { z } from 'zod';

/** Znodes, relative to ZK_ROOT. */
export const ZK_PATHS = {
  /** One ephemeral child per live worker, named by worker id, holding WorkerInfo. */
  workers: '/workers',
  /** Ephemeral; held by the master, holding MasterInfo. */
  master: '/master',
  /** Persistent; the current epoch, bumped by every new master. */
  epoch: '/epoch',
  /** Persistent; the id of the replication log (syncQ), recorded by the first master once its genesis marker is in. */
  log: '/log',
  /** One ephemeral child (of the orchestrator's session) per worker started and not yet registered, holding StartingInfo. */
  starting: '/starting',
  /** Persistent; one child per verified snapshot in snapshotQ, holding its SnapshotInfo (worker/snapshots). */
  snapshots: '/snapshots',
  /** Ephemeral; held by the slave taking a snapshot, so that one slave at a time does. */
  snapshotLock: '/snapshot-lock',
} as const;

export const workerPath = (id: string) => `${ZK_PATHS.workers}/${id}`;
export const startingPath = (id: string) => `${ZK_PATHS.starting}/${id}`;

export const startingInfoSchema = z.object({ id: z.string(), pid: z.number().int() });
export type StartingInfo = z.infer<typeof startingInfoSchema>;

export const WORKER_ROLES = ['slave', 'master'] as const;
export const WORKER_STATES = ['starting', 'catching-up', 'ready', 'electing', 'stopping'] as const;

export const workerInfoSchema = z.object({
  id: z.string(),
  pid: z.number().int(),
  role: z.enum(WORKER_ROLES),
  state: z.enum(WORKER_STATES),
  appliedLsn: z.number().int(),
  epoch: z.number().int(),
  startedAt: z.number(),
  /** The worker's ZooKeeper session (hex): the ephemeralOwner of its znodes, /master included when it is master. */
  session: z.string(),
  /** The LSN of the snapshot its database started from; absent when it replayed the log from the beginning. */
  seededLsn: z.number().int().optional(),
});
export type WorkerInfo = z.infer<typeof workerInfoSchema>;

export const masterInfoSchema = z.object({ id: z.string(), pid: z.number().int(), epoch: z.number().int() });
export type MasterInfo = z.infer<typeof masterInfoSchema>;
