import amqp from 'amqplib';
import { QUEUES } from '../../system/common/protocol/messages';

/**
 * The first offset syncQ still holds, read as a consumer from 'first' with the admin's URL: 0 while the log keeps its
 * beginning, more once retention dropped whole segments. Undefined when the stream holds nothing within `timeoutMs`.
 */
export async function firstSyncOffset(adminUrl: string, timeoutMs = 5000): Promise<number | undefined> {
  const connection = await amqp.connect(adminUrl);
  try {
    const channel = await connection.createChannel();
    await channel.prefetch(1);
    return await new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      void channel.consume(
        QUEUES.sync,
        (msg) => {
          if (!msg) return;
          clearTimeout(timer);
          resolve(Number(msg.properties.headers?.['x-stream-offset']));
        },
        { noAck: false, arguments: { 'x-stream-offset': 'first' } },
      );
    });
  } finally {
    await connection.close().catch(() => undefined);
  }
}
