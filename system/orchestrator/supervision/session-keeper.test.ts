import pino from 'pino';
import { FakeClock } from '../../common/time/fake-clock';
import { FakeZooKeeper, type FakeZkSession } from '../../worker/testing/fake-zookeeper';
import { SessionKeeper } from './session-keeper';

const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

let clock: FakeClock;
let opened: FakeZkSession[];
let keeper: SessionKeeper;

beforeEach(async () => {
  clock = new FakeClock();
  const server = new FakeZooKeeper();
  opened = [];
  keeper = new SessionKeeper({
    open: async () => {
      const s = server.connect(15000);
      opened.push(s);
      return s.client;
    },
    retryMs: 1000,
    sessionTimeoutMs: 15000,
    log,
    clock,
  });
  await keeper.start();
});

afterEach(() => keeper.close());

// Found by the soak: after a ZooKeeper restart the orchestrator's client stayed disconnected for good, never told that
// the server had expired its session, so it answered 503 and started no worker until it was restarted.
test('disconnected longer than the session timeout with no word from the client: the session is given up and a new one opened', async () => {
  opened[0].emit('disconnected');
  expect(keeper.available).toBe(false);
  clock.advance(14_999);
  await settle();
  expect(keeper.renewals).toBe(0);
  clock.advance(1);
  await settle();
  expect(keeper.renewals).toBe(1);
  expect(opened).toHaveLength(2);
  expect(keeper.available).toBe(true);
  expect(keeper.zk()).toBe(opened[1].client);
});

test('back within the session timeout: the same session, nothing renewed', async () => {
  opened[0].emit('disconnected');
  clock.advance(10_000);
  opened[0].emit('connected');
  clock.advance(10_000);
  await settle();
  expect(keeper.renewals).toBe(0);
  expect(keeper.available).toBe(true);
  expect(keeper.zk()).toBe(opened[0].client);
});
