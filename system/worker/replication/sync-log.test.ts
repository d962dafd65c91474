import type { ChannelModel, ConsumeMessage } from 'amqplib';
import { SyncFollower, type FollowedRecord } from './sync-log';

/*
 * The follower's credit against a channel the test drives: which deliveries get acked (stream credit) and when.
 */

class FakeChannel {
  readonly acked: number[] = [];
  deliver: ((msg: ConsumeMessage | null) => void) | undefined;
  async prefetch(): Promise<void> {}
  async consume(_queue: string, onMessage: (msg: ConsumeMessage | null) => void): Promise<{ consumerTag: string }> {
    this.deliver = onMessage;
    return { consumerTag: 'c1' };
  }
  ack(msg: ConsumeMessage): void {
    this.acked.push(Number(msg.properties.headers!['x-stream-offset']));
  }
  async cancel(): Promise<void> {}
  async close(): Promise<void> {}
}

const message = (offset: number) =>
  ({ content: Buffer.from('{}'), properties: { headers: { 'x-stream-offset': offset } }, fields: {} }) as unknown as ConsumeMessage;

test('credit is withheld while the backlog is at the high-water mark, and given back in order as it drains', async () => {
  const channel = new FakeChannel();
  const follower = await SyncFollower.open({ createChannel: async () => channel } as unknown as ChannelModel, 10);
  const queue: FollowedRecord[] = [];
  await follower.follow(0, (r) => queue.push(r), () => undefined, { backlog: () => queue.length, highWater: 3 });
  for (let offset = 0; offset < 6; offset++) channel.deliver!(message(offset));
  // Queued after delivery: 1 and 2 are under the mark, the third fills it.
  expect(channel.acked).toEqual([0, 1]);
  // Still at the mark: nothing more. Below it: every withheld record, in order (prefetch bounds what comes next).
  queue.splice(0, 3);
  follower.release();
  expect(channel.acked).toEqual([0, 1]);
  queue.splice(0, 1);
  follower.release();
  expect(channel.acked).toEqual([0, 1, 2, 3, 4, 5]);
  // A record that fills the mark again waits; once stopped, nothing more is acked.
  channel.deliver!(message(6));
  expect(channel.acked).toEqual([0, 1, 2, 3, 4, 5]);
  await follower.stop();
  queue.splice(0);
  follower.release();
  expect(channel.acked).toEqual([0, 1, 2, 3, 4, 5]);
});
