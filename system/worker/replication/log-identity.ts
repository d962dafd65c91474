import { randomUUID } from 'node:crypto';
import { ZK_PATHS } from '../../common/zk/paths';
import { isNodeExists, type ZkClient } from '../../common/zk/zk-client';
import type { LogPosition } from './log-rules';

/*
 * The log's identity. Workers start with empty databases and rebuild from syncQ, so an empty syncQ looks the same
 * whether the system is new or the log was deleted (and re-declared by whoever connected next): only something
 * outside the log can tell. That is ZooKeeper's /log, holding the id of the log once its genesis marker is in it.
 * A master that finds /log marks with that id and never writes a genesis: in a recreated syncQ its marker is then the
 * first record, which no replica accepts (log-rules.ts), so the system stops instead of starting over from nothing.
 */

/** The log id ZooKeeper remembers; undefined when no master ever recorded one (a new system). */
export async function readLogId(zk: ZkClient): Promise<string | undefined> {
  const node = await zk.getData<{ logId?: unknown }>(ZK_PATHS.log);
  const logId = node?.data?.logId;
  return typeof logId === 'string' ? logId : undefined;
}

/** Records the log id after the genesis marker came back; a different id already recorded is a broken system. */
export async function recordLogId(zk: ZkClient, logId: string): Promise<void> {
  try {
    await zk.create(ZK_PATHS.log, { logId }, 'persistent');
  } catch (err) {
    if (!isNodeExists(err)) throw err;
    const recorded = await readLogId(zk);
    if (recorded !== logId) throw new Error(`ZooKeeper records log ${recorded} but syncQ is log ${logId}`);
  }
}

/**
 * The id the next marker names: ZooKeeper's, else the one the replica read from the log (ZooKeeper's data was
 * reset), else a new one, and only then is the marker a genesis. A genesis in a log that turns out to have begun
 * is ignored by every replica, and the takeover marks again with the id it has read by then.
 */
export function markerLogId(remembered: string | undefined, replica: LogPosition): { logId: string; genesis: boolean } {
  if (remembered !== undefined) return { logId: remembered, genesis: false };
  if (replica.logId !== null) return { logId: replica.logId, genesis: false };
  return { logId: randomUUID(), genesis: true };
}
