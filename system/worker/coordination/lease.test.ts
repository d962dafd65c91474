import pino from 'pino';
import { FakeClock } from '../../common/time/fake-clock';
import type { MasterInfo } from '../../common/zk/paths';
import type { ZkClient } from '../../common/zk/zk-client';
import { FakeZooKeeper, type FakeZkSession } from '../testing/fake-zookeeper';
import { ZkLease } from './lease';

const log = pino({ level: 'silent' });
const SESSION_MS = 1000;
const ME: MasterInfo = { id: 'w1', pid: 100, epoch: 3 };
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

let server: FakeZooKeeper;
let session: FakeZkSession;
let clock: FakeClock;
let lost: string[];
let lease: ZkLease;

/** /master created by our session and written once by the election (version 1), then the lease started on it. */
async function started(): Promise<void> {
  server.create('/master', { ...ME, epoch: -1 }, session.sessionId);
  server.setData('/master', ME, 0);
  lease = new ZkLease(session.client, log, { clock, onLost: (r) => void lost.push(r) });
  await lease.start({ version: 1, data: ME });
}

beforeEach(() => {
  server = new FakeZooKeeper();
  session = server.connect(SESSION_MS);
  clock = new FakeClock();
  lost = [];
});

afterEach(() => lease?.stop());

test('renewals are conditional writes of /master; each proves the lease from its send time', async () => {
  await started();
  expect(server.changes).toEqual(['create /master', 'setData /master', 'setData /master']);
  expect(server.nodes.get('/master')).toMatchObject({ version: 2, data: ME });
  expect(lease.valid()).toBe(true);
  await clock.advanceAsync(lease.renewEveryMs * 10);
  expect(server.nodes.get('/master')?.version).toBe(12);
  expect(lease.valid()).toBe(true);
  expect(lost).toEqual([]);
});

test('a ZooKeeper that answers reads but no writes (a follower cut off from its leader) lets the lease lapse at 80% of the session timeout', async () => {
  await started();
  session.readOnly = true;
  await clock.advanceAsync(790);
  expect(lease.valid()).toBe(true);
  await clock.advanceAsync(10);
  expect(lease.valid()).toBe(false);
  // Reads are still answered: a lease renewed by exists() would still hold here.
  expect(await session.client.exists('/master')).not.toBeNull();
  expect(lost).toEqual([]);
});

test('an answer that arrives late (after a pause) proves only what its send time proves', async () => {
  const pending: Array<() => void> = [];
  const zk = {
    sessionTimeoutMs: SESSION_MS,
    sessionId: 'aa',
    setData: (_p: string, _d: unknown, version: number) =>
      new Promise((resolve) => pending.push(() => resolve({ version: version + 1, ephemeralOwner: Buffer.from('aa', 'hex') }))),
  } as unknown as ZkClient;
  lease = new ZkLease(zk, log, { clock, onLost: (r) => void lost.push(r) });
  const start = lease.start({ version: 0, data: ME });
  await settle(); // the write is sent at t=0
  expect(pending).toHaveLength(1);
  clock.advance(5000); // the process was paused; the answer is processed only now
  for (const answer of pending.splice(0)) answer();
  await expect(start).rejects.toThrow('not answered');
  expect(lease.valid()).toBe(false);
});

test('/master removed (by the orchestrator, or with the session): NO_NODE, the lease is lost for good', async () => {
  await started();
  server.remove('/master');
  await clock.advanceAsync(lease.renewEveryMs);
  expect(lost).toEqual(['no longer the owner of /master: /master is gone (NO_NODE)']);
  expect(lease.valid()).toBe(false);
  // Another worker's node appears: the lost lease never holds again, and writes nothing more.
  const other = server.connect(SESSION_MS);
  server.create('/master', { id: 'w2', pid: 200, epoch: 4 }, other.sessionId);
  await clock.advanceAsync(lease.renewEveryMs * 3);
  expect(server.data('/master')).toEqual({ id: 'w2', pid: 200, epoch: 4 });
  expect(lost).toHaveLength(1);
  expect(lease.valid()).toBe(false);
});

test('/master re-created by another session: BAD_VERSION, then the owner shows it is not ours: lost', async () => {
  await started();
  server.remove('/master');
  const other = server.connect(SESSION_MS);
  server.create('/master', { id: 'w2', pid: 200, epoch: 4 }, other.sessionId);
  await clock.advanceAsync(lease.renewEveryMs);
  expect(lost).toEqual([expect.stringMatching(/re-created by session 0+2 \(BAD_VERSION\)/)]);
  expect(lease.valid()).toBe(false);
  expect(server.data('/master')).toEqual({ id: 'w2', pid: 200, epoch: 4 });
});

test('another session\'s /master that happens to have our version: the write lands, but its stat shows the owner: lost', async () => {
  await started();
  server.remove('/master');
  const other = server.connect(SESSION_MS);
  server.create('/master', { id: 'w2', pid: 200, epoch: 4 }, other.sessionId);
  server.setData('/master', { id: 'w2', pid: 200, epoch: 4 }, 0);
  server.setData('/master', { id: 'w2', pid: 200, epoch: 4 }, 1); // version 2: the one we expect
  await clock.advanceAsync(lease.renewEveryMs);
  expect(lost).toEqual([expect.stringMatching(/belongs to session 0+2, not ours/)]);
  expect(lease.valid()).toBe(false);
});

test('BAD_VERSION on our own node (a write of ours landed unanswered) is no loss: the version is re-read, the next write proves', async () => {
  await started();
  server.setData('/master', ME, -1); // as if our last renewal had landed without an answer
  await clock.advanceAsync(lease.renewEveryMs);
  expect(lost).toEqual([]);
  await clock.advanceAsync(lease.renewEveryMs);
  expect(lost).toEqual([]);
  expect(lease.valid()).toBe(true);
});

test('update writes new data conditionally, and rejects once the node is not ours', async () => {
  await started();
  await lease.update({ ...ME, epoch: 8 });
  expect(server.data('/master')).toEqual({ ...ME, epoch: 8 });
  expect(lease.master).toEqual({ ...ME, epoch: 8 });
  server.remove('/master');
  await expect(lease.update({ ...ME, epoch: 9 })).rejects.toThrow('NO_NODE');
});

describe('two clocks: the lease lapses when either says so', () => {
  test('a suspend stops the monotonic clock but not the wall clock: lapsed', async () => {
    await started();
    expect(lease.valid()).toBe(true);
    clock.suspend(SESSION_MS * 0.8);
    expect(lease.valid()).toBe(false);
  });

  test('a wall clock stepped forward lapses it (availability, never safety)', async () => {
    await started();
    clock.jumpWall(SESSION_MS);
    expect(lease.valid()).toBe(false);
  });

  test('a wall clock stepped back does not extend it: the monotonic clock still counts', async () => {
    await started();
    session.readOnly = true;
    clock.jumpWall(-60_000);
    await clock.advanceAsync(790);
    expect(lease.valid()).toBe(true);
    await clock.advanceAsync(10);
    expect(lease.valid()).toBe(false);
  });
});
