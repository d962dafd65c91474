import { ZK_PATHS, masterInfoSchema, workerInfoSchema, workerPath, type MasterInfo, type WorkerInfo } from './paths';
import type { ZkClient } from './zk-client';

/** Every live worker as registered in ZooKeeper (entries that cannot be read or parsed are left out). */
export async function listWorkers(zk: ZkClient, watcher?: () => void): Promise<WorkerInfo[]> {
  await zk.mkdirp(ZK_PATHS.workers);
  const children = await zk.getChildren(ZK_PATHS.workers, watcher);
  const infos = await Promise.all(
    children.map(async (child) => {
      const node = await zk.getData<unknown>(workerPath(child));
      const parsed = workerInfoSchema.safeParse(node?.data);
      return parsed.success ? parsed.data : undefined;
    }),
  );
  return infos.filter((i): i is WorkerInfo => i !== undefined);
}

/** The current master as recorded in /master, or null when there is none. */
export async function readMaster(zk: ZkClient, watcher?: () => void): Promise<MasterInfo | null> {
  const node = await zk.getData<unknown>(ZK_PATHS.master, watcher);
  const parsed = masterInfoSchema.safeParse(node?.data);
  return parsed.success ? parsed.data : null;
}
