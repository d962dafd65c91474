import pino from 'pino';
import type { ZkClient } from '../../common/zk/zk-client';
import { ZkLease } from './lease';

/** A ZooKeeper stand-in whose answers the test releases by hand (a unit test may fake the runtime). */
function fakeZk(sessionTimeoutMs: number) {
  const pending: Array<() => void> = [];
  const zk = {
    sessionTimeoutMs,
    exists: () => new Promise<null>((resolve) => pending.push(() => resolve(null))),
  } as unknown as ZkClient;
  return { zk, answerAll: async () => { for (const f of pending.splice(0)) f(); await Promise.resolve(); await Promise.resolve(); } };
}

test('the lease holds from the send time of the last answered renewal, for 80% of the session timeout', async () => {
  let now = 0;
  const { zk, answerAll } = fakeZk(1000);
  const lease = new ZkLease(zk, pino({ level: 'silent' }), () => now);
  const started = lease.start();
  await answerAll();
  await started;
  lease.stop();
  expect(lease.valid()).toBe(true);
  now = 799;
  expect(lease.valid()).toBe(true);
  now = 800;
  expect(lease.valid()).toBe(false);
});

test('an answer that arrives late (after a pause) proves only what its send time proves', async () => {
  let now = 0;
  const { zk, answerAll } = fakeZk(1000);
  const lease = new ZkLease(zk, pino({ level: 'silent' }), () => now);
  const started = lease.start(); // renewal sent at t=0
  now = 5000; // the process was paused; the answer is processed only now
  await answerAll();
  await started;
  lease.stop();
  expect(lease.valid()).toBe(false);
});
