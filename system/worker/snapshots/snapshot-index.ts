import { z } from 'zod';
import { ZK_PATHS } from '../../common/zk/paths';
import { isNoNode, type ZkClient } from '../../common/zk/zk-client';

/*
 * The index of snapshots, in ZooKeeper under /snapshots: one persistent child per snapshot that was read back whole
 * from snapshotQ after it was written (so only verified ones are listed), named so that names sort by LSN. The index
 * is small and says where each snapshot starts in the stream; the bytes themselves stay in the broker.
 */

export const snapshotInfoSchema = z.object({
  id: z.string().min(1).max(64),
  /** The replica's replication state in the copy: the applied LSN, syncQ offset, epoch, log and bytes of log. */
  lsn: z.number().int().min(0),
  offset: z.number().int().min(-1),
  epoch: z.number().int().min(0),
  epochMaster: z.number().int().nullable(),
  logId: z.string().min(1),
  logBytes: z.number().int().min(0),
  /** The SQLite file: size, SHA-256 and how it was cut into messages. */
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  chunks: z.number().int().positive(),
  /** Offset in snapshotQ of the first chunk. */
  streamOffset: z.number().int().min(0),
  takenBy: z.number().int(),
  takenAt: z.number(),
});
export type SnapshotInfo = z.infer<typeof snapshotInfoSchema>;

const childName = (s: Pick<SnapshotInfo, 'lsn' | 'id'>) => `s-${String(s.lsn).padStart(15, '0')}-${s.id}`;
const childPath = (name: string) => `${ZK_PATHS.snapshots}/${name}`;

/**
 * Every indexed snapshot of log `logId`, newest (highest LSN) first; entries that cannot be read or parsed are left
 * out. Snapshots of another log (one an operator started over from) are never a replica's start, nor its cover.
 */
export async function listSnapshots(zk: ZkClient, logId: string): Promise<SnapshotInfo[]> {
  return (await listAllSnapshots(zk)).filter((s) => s.logId === logId);
}

async function listAllSnapshots(zk: ZkClient): Promise<SnapshotInfo[]> {
  await zk.mkdirp(ZK_PATHS.snapshots);
  const names = (await zk.getChildren(ZK_PATHS.snapshots)).sort().reverse();
  const infos = await Promise.all(
    names.map(async (name) => {
      const node = await zk.getData<unknown>(childPath(name)).catch(() => null);
      const parsed = snapshotInfoSchema.safeParse(node?.data);
      return parsed.success ? parsed.data : undefined;
    }),
  );
  return infos.filter((i): i is SnapshotInfo => i !== undefined);
}

/** The newest snapshot of log `logId`, or undefined when there is none. */
export async function newestSnapshot(zk: ZkClient, logId: string): Promise<SnapshotInfo | undefined> {
  return (await listSnapshots(zk, logId))[0];
}

/** Lists a verified snapshot, then forgets all but the newest `keep` of its log, and every one of another log. */
export async function indexSnapshot(zk: ZkClient, info: SnapshotInfo, keep: number): Promise<void> {
  await zk.mkdirp(ZK_PATHS.snapshots);
  await zk.create(childPath(childName(info)), info, 'persistent');
  const names = (await zk.getChildren(ZK_PATHS.snapshots)).sort().reverse();
  let kept = 0;
  for (const name of names) {
    const node = await zk.getData<unknown>(childPath(name)).catch(() => null);
    const parsed = snapshotInfoSchema.safeParse(node?.data);
    if (parsed.success && parsed.data.logId === info.logId && kept < keep) {
      kept++;
      continue;
    }
    await zk.remove(childPath(name)).catch((err) => {
      if (!isNoNode(err)) throw err;
    });
  }
}
