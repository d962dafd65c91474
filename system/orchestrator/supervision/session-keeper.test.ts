import { EventEmitter } from 'node:events';
import { createLogger } from '../../common/logging/logger';
import { FakeClock } from '../../common/time/fake-clock';
import type { ZkClient } from '../../common/zk/zk-client';
import { SessionKeeper } from './session-keeper';

/** Stands in for a ZooKeeper client: the test emits its connection events. */
class FakeZk extends EventEmitter {
  closed = false;
  close() {
    this.closed = true;
  }
}

const SESSION_MS = 15000;
const log = createLogger('test', 'silent');

async function keeper(clock: FakeClock) {
  const clients: FakeZk[] = [];
  const k = new SessionKeeper({
    open: async () => {
      const zk = new FakeZk();
      clients.push(zk);
      return zk as unknown as ZkClient;
    },
    retryMs: 1000,
    giveUpAfterMs: SESSION_MS,
    clock,
    log,
  });
  await k.start();
  return { k, clients };
}

test('a disconnection longer than the session is a lost session: the client is closed and a new session opened', async () => {
  const clock = new FakeClock();
  const { k, clients } = await keeper(clock);
  const renewed = new Promise<void>((resolve) => k.once('renewed', resolve));
  clients[0].emit('disconnected');
  clock.advance(SESSION_MS - 1);
  expect(k.available).toBe(false);
  expect(clients[0].closed).toBe(false);
  clock.advance(1);
  await renewed;
  expect(clients[0].closed).toBe(true);
  expect(clients).toHaveLength(2);
  expect(k.available).toBe(true);
  k.close();
});

test('a reconnection within the session keeps it', async () => {
  const clock = new FakeClock();
  const { k, clients } = await keeper(clock);
  clients[0].emit('disconnected');
  clock.advance(SESSION_MS / 2);
  clients[0].emit('connected');
  clock.advance(SESSION_MS * 2);
  expect(k.available).toBe(true);
  expect(clients).toHaveLength(1);
  expect(clients[0].closed).toBe(false);
  k.close();
});
