import { waitUntil } from '../../system/common/time/wait-until';
import type { WorkerStatus } from '../testing/topology';
import { deleteQueue, inspectQueue } from './broker-admin';
import type { FaultContext, Hit } from './fault';

/** Bound on the evidence that a deletion took effect (the consumers' workers exit, or the orchestrator consumes again). */
export const DELETION_EFFECT_MS = 10000;

/*
 * An operator deletes one of the system's queues under it (rabbitmqctl delete_queue, the management UI). The broker
 * cancels every consumer of the queue; what must follow depends on the queue (see each fault file). The fault proves it
 * took effect: the queue existed with its consumers before, and afterwards the workers that consumed it are gone
 * (`consumers`), or, for responseQ, which only the orchestrator consumes, someone consumes it again.
 */
export async function deleteUnderLoad(ctx: FaultContext, queue: string, consumers: WorkerStatus[]): Promise<Hit> {
  const url = ctx.cluster.rabbitmqUrl;
  const before = await inspectQueue(url, queue);
  if (!before) throw new Error(`${queue} does not exist: nothing to delete`);
  const startedAt = Date.now();
  const dropped = await deleteQueue(url, queue);
  const hitPids = consumers.map((w) => w.pid);
  const what = `${queue} deleted (${before.consumers} consumer(s), ${dropped} message(s) went with it)`;
  let effect: string;
  if (hitPids.length > 0) {
    // A worker whose consumer was cancelled must stop: one that stays looks alive and serves nothing.
    effect = await waitUntil(
      `PIDs ${hitPids.join(', ')} to exit`,
      async () => {
        const running = await ctx.cluster.runningWorkerPids();
        return !hitPids.some((p) => running.includes(p));
      },
      DELETION_EFFECT_MS,
      50,
    ).then(
      () => `its consumers (PIDs ${hitPids.join(', ')}) exited within ${Date.now() - startedAt} ms`,
      () => `NOT taken effect: PIDs ${hitPids.join(', ')} still running after ${DELETION_EFFECT_MS} ms`,
    );
  } else {
    effect = await waitUntil(
      `${queue} to be consumed again`,
      async () => ((await inspectQueue(url, queue))?.consumers ?? 0) > 0,
      DELETION_EFFECT_MS,
      50,
    ).then(
      () => `consumed again after ${Date.now() - startedAt} ms`,
      () => `NOT consumed again within ${DELETION_EFFECT_MS} ms`,
    );
  }
  return { target: queue, hitPids, note: `${what}; ${effect}` };
}
