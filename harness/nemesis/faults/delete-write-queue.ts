import { readyMaster } from '../../testing/topology';
import { defineFault } from '../fault';
import { deleteUnderLoad } from '../queue-deletion';
import { QUEUES } from '../../../system/common/protocol/messages';

/** writeQ deleted: writes waiting in it are gone unanswered (their clients time out: unknown, never acknowledged).
 * The master's consumer is cancelled, so it exits and an election follows; the next worker to start declares writeQ
 * again. Expected: the system recovers by itself, no acknowledged write lost. */
export const deleteWriteQueue = defineFault({
  kind: 'delete-write-queue',
  order: 30,
  title: 'delete writeQ',
  hits: 'master',
  inject: (ctx, before) => deleteUnderLoad(ctx, QUEUES.write, [readyMaster(before)].filter((w) => w !== undefined)),
});
