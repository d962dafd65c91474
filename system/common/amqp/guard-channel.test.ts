import { EventEmitter } from 'node:events';
import { guardChannel, type Channel } from './amqp';

class FakeChannel extends EventEmitter {
  close = jest.fn(async () => void this.emit('close'));
}

test('a channel the broker closes is a loss, with the broker’s reason', () => {
  const channel = new FakeChannel();
  const onLost = jest.fn();
  guardChannel(channel as unknown as Channel, 'readQ', onLost);
  channel.emit('error', new Error('Channel closed by server: 406 (PRECONDITION-FAILED) with message "message size 20000000 is larger than configured max size"'));
  channel.emit('close');
  expect(onLost).toHaveBeenCalledTimes(1);
  expect(onLost.mock.calls[0][0]).toMatch(/^the broker closed the readQ channel: Channel closed by server: 406/);
});

test('closing it ourselves is no loss', async () => {
  const channel = new FakeChannel();
  const onLost = jest.fn();
  const close = guardChannel(channel as unknown as Channel, 'writeQ', onLost);
  await close();
  expect(channel.close).toHaveBeenCalled();
  expect(onLost).not.toHaveBeenCalled();
});
