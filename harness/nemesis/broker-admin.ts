import amqp from 'amqplib';

/*
 * What an operator does to the broker by hand, with the admin's AMQP URL (every right on the system's vhost): the
 * queue-deletion faults use it to hit and to look.
 */

export interface QueueState {
  messages: number;
  consumers: number;
}

/** The queue's message and consumer counts, or undefined when it does not exist. */
export async function inspectQueue(url: string, queue: string): Promise<QueueState | undefined> {
  const connection = await amqp.connect(url);
  try {
    // A passive declare of a missing queue closes its channel (404): one channel per question.
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    const ok = await channel.checkQueue(queue).catch(() => undefined);
    return ok ? { messages: ok.messageCount, consumers: ok.consumerCount } : undefined;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** Deletes the queue as `rabbitmqctl delete_queue` or the management UI would (consumers or not, empty or not);
 * answers how many messages went with it. */
export async function deleteQueue(url: string, queue: string): Promise<number> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    const { messageCount } = await channel.deleteQueue(queue);
    return messageCount;
  } finally {
    await connection.close().catch(() => undefined);
  }
}
