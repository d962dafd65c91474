import { ZK_PATHS, masterInfoSchema, startingInfoSchema, startingPath, workerInfoSchema, workerPath, type MasterInfo, type StartingInfo, type WorkerInfo } from './paths';
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

/** Every worker the orchestrator started that has not registered yet (or whose announcement was not cleaned up yet). */
export async function listStarting(zk: ZkClient, watcher?: () => void): Promise<StartingInfo[]> {
  await zk.mkdirp(ZK_PATHS.starting);
  const children = await zk.getChildren(ZK_PATHS.starting, watcher);
  const infos = await Promise.all(
    children.map(async (child) => {
      const node = await zk.getData<unknown>(startingPath(child));
      const parsed = startingInfoSchema.safeParse(node?.data);
      return parsed.success ? parsed.data : undefined;
    }),
  );
  return infos.filter((i): i is StartingInfo => i !== undefined);
}

/*
 * What "a worker" is, once for the whole project: every worker the orchestrator started and has not begun to stop,
 * whether it has registered in ZooKeeper yet or is still starting. The master is one of them; every other one is a
 * slave, from the moment it is started. So `worker/list` lists them, `crash/slave` picks among them, the election
 * counts them (it waits, bounded by ELECTION_WAIT_FOR_STARTING_MS, for a lower-PID one still starting) and the
 * harness's election checker expects the lowest of them to win.
 */

/** True for a worker in this state (as /workers or the orchestrator's view reports it): all but a stopping one. */
export const countsAsWorker = (state: string): boolean => state !== 'stopping';

export interface Candidate {
  id: string;
  pid: number;
  /** False while it is only announced in /starting. */
  registered: boolean;
}

/** The workers an election chooses among: registered ones that are not stopping, and those still starting. */
export function electorate(registered: WorkerInfo[], starting: StartingInfo[]): Candidate[] {
  const known = new Set(registered.map((w) => w.id));
  return [
    ...registered.filter((w) => countsAsWorker(w.state)).map((w) => ({ id: w.id, pid: w.pid, registered: true })),
    ...starting.filter((s) => !known.has(s.id)).map((s) => ({ id: s.id, pid: s.pid, registered: false })),
  ];
}
