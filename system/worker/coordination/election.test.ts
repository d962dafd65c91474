import pino from 'pino';
import { FakeClock } from '../../common/time/fake-clock';
import type { WorkerInfo } from '../../common/zk/paths';
import { FakeZooKeeper, type FakeZkSession } from '../testing/fake-zookeeper';
import { Election, type Elected } from './election';

/*
 * Who wins when /master is free, against an in-memory ZooKeeper and a clock the test moves: the lowest PID among
 * the workers registered (not stopping) and those the orchestrator announced as starting.
 */

const log = pino({ level: 'silent' });
const WAIT_MS = 5000;
const settle = async () => {
  for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
};

let server: FakeZooKeeper;
let clock: FakeClock;
let elections: Election[];
let won: string[];

beforeEach(() => {
  server = new FakeZooKeeper();
  clock = new FakeClock();
  elections = [];
  won = [];
  server.create('/workers', null, undefined);
  server.create('/starting', null, undefined);
});

afterEach(() => elections.forEach((e) => e.stop()));

/** A worker registers (its own session) and runs its election. */
function join(id: string, pid: number, state: WorkerInfo['state'] = 'ready'): FakeZkSession {
  const s = server.connect(1000);
  server.create(`/workers/${id}`, { id, pid, role: 'slave', state, appliedLsn: 0, epoch: 0, startedAt: 0, session: s.sessionId } satisfies WorkerInfo, s.sessionId);
  const e = new Election(s.client, { id, pid }, log, { waitForStartingMs: WAIT_MS, clock });
  e.once('elected', (x: Elected) => void won.push(`${id}@${x.epoch}`));
  elections.push(e);
  e.start();
  return s;
}

/** The orchestrator announces a worker it started, before the worker registers. */
const announce = (id: string, pid: number) => server.create(`/starting/${id}`, { id, pid }, 'orchestrator');

test('the lowest registered PID wins when nobody is starting', async () => {
  join('b', 200);
  join('a', 100);
  await settle();
  expect(won).toEqual(['a@1']);
});

test('a lower-PID worker still starting is waited for, and wins once it registers', async () => {
  announce('a', 100);
  join('b', 200);
  await settle();
  await clock.advanceAsync(WAIT_MS - 100);
  expect(won).toEqual([]);
  expect(server.nodes.has('/master')).toBe(false);
  join('a', 100);
  await settle();
  expect(won).toEqual(['a@1']);
  expect(server.data('/master')).toMatchObject({ id: 'a', pid: 100 });
});

test('the wait is bounded: a starting worker that does not register in time is left out', async () => {
  announce('a', 100);
  join('b', 200);
  await settle();
  await clock.advanceAsync(WAIT_MS - 10);
  expect(won).toEqual([]);
  await clock.advanceAsync(20);
  expect(won).toEqual(['b@1']);
});

test('a starting worker with a higher PID is not waited for', async () => {
  announce('c', 300);
  join('b', 200);
  await settle();
  expect(won).toEqual(['b@1']);
});

test('a registered worker is not counted twice when its announcement is still there', async () => {
  announce('a', 100);
  join('a', 100);
  join('b', 200);
  await settle();
  expect(won).toEqual(['a@1']);
});

test('a stopping worker is no candidate, whatever its PID', async () => {
  join('a', 100, 'stopping');
  join('b', 200);
  await settle();
  expect(won).toEqual(['b@1']);
});

test('nobody contends while /master is held', async () => {
  const old = server.connect(1000);
  server.create('/master', { id: 'z', pid: 900, epoch: 1 }, old.sessionId);
  announce('a', 100);
  join('b', 200);
  await settle();
  await clock.advanceAsync(WAIT_MS * 2);
  expect(won).toEqual([]);
  // The master goes: the wait for the starting worker begins only now.
  server.expire(old);
  await settle();
  await clock.advanceAsync(WAIT_MS - 10);
  expect(won).toEqual([]);
  await clock.advanceAsync(20);
  expect(won).toEqual(['b@1']);
});
