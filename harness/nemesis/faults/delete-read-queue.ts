import { readySlaves } from '../../testing/topology';
import { defineFault } from '../fault';
import { deleteUnderLoad } from '../queue-deletion';
import { QUEUES } from '../../../system/common/protocol/messages';

/** readQ deleted: reads waiting in it are gone (their clients time out). Every slave's consumer is cancelled, so every
 * slave exits and is replaced; the first replacement declares readQ again. The master stays. Expected: the system
 * recovers by itself; reads pause meanwhile. */
export const deleteReadQueue = defineFault({
  kind: 'delete-read-queue',
  order: 31,
  title: 'delete readQ',
  hits: 'slave',
  inject: (ctx, before) => deleteUnderLoad(ctx, QUEUES.read, readySlaves(before)),
});
