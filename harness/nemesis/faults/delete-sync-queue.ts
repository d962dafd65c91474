import { defineFault } from '../fault';
import { readyWorkers } from '../hits';
import { deleteUnderLoad } from '../queue-deletion';
import { QUEUES } from '../../../system/common/protocol/messages';

/** syncQ, the replication log, deleted. By design (docs/write-path.md) the system stops: every worker's follower is
 * cancelled, so all exit; replacements find syncQ declared again empty while ZooKeeper's /log remembers the log, and
 * refuse it. Nothing more is acknowledged, no acknowledged write is lost from the replicas that held it... and there
 * are none left: the run's verdict says the system stopped, and why. */
export const deleteSyncQueue = defineFault({
  kind: 'delete-sync-queue',
  order: 33,
  title: 'delete syncQ',
  hits: 'service',
  stopsTheSystem: 'syncQ (the replication log) was deleted: the system refuses to go on without its log (docs/write-path.md)',
  inject: (ctx, before) => deleteUnderLoad(ctx, QUEUES.sync, readyWorkers(before)),
});
