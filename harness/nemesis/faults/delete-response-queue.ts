import { defineFault } from '../fault';
import { deleteUnderLoad } from '../queue-deletion';
import { QUEUES } from '../../../system/common/protocol/messages';

/** responseQ deleted: replies in it are gone (their clients time out; a write among them may have been applied: unknown).
 * Only the orchestrator consumes it: it declares and consumes it again on a new connection. No worker is hit and the
 * master stays. Expected: the system recovers by itself within a second or so. */
export const deleteResponseQueue = defineFault({
  kind: 'delete-response-queue',
  order: 32,
  title: 'delete responseQ',
  hits: 'slave',
  inject: (ctx) => deleteUnderLoad(ctx, QUEUES.response, []),
});
