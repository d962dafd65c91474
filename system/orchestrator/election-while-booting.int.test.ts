import { emptyHistory, type FaultWindow, type WorkerSample } from '../../harness/core/history';
import { ElectionChecker } from '../../harness/checkers/election-checker';
import { startTestSystem, type TestSystem } from '../../harness/testing/test-system';
import { waitForTopology, workers } from '../../harness/testing/topology';
import { waitUntil } from '../common/time/wait-until';

/*
 * "Lowest PID" must not depend on who registered first. A slave is every worker the orchestrator started and has
 * not begun to stop, registered or still starting (workers-directory.ts, `electorate`): worker/list shows it,
 * crash/slave may pick it, the election waits (bounded) for it, and the harness's election checker expects it.
 * Here the master is crashed while three new slaves boot (scale-out), on real processes, broker and ZooKeeper.
 */

let sys: TestSystem;

beforeAll(async () => {
  // Sessions long enough that the short pause below cannot expire one.
  sys = await startTestSystem({ INITIAL_SLAVES: '1', MAX_SLAVES: '4', ZK_SESSION_TIMEOUT_MS: '4000' });
  await waitForTopology(sys.http, 1);
});

afterAll(async () => {
  await sys?.stop();
});

test('a master crashed while three new slaves boot is replaced by the lowest PID of worker/list, and the checker agrees', async () => {
  const [old] = (await waitForTopology(sys.http, 1)).filter((w) => w.role === 'slave');
  // Make room for three new slaves with no registered slave left: the old one goes, three start (scale-out).
  expect((await sys.http.post<number[]>('/api/v1/crash/slave')).body).toEqual([old.pid]);
  await sys.orchestrator.supervisor.setWantedSlaves(3);
  const list = (await sys.http.get<number[]>('/api/v1/worker/list')).body;
  expect(list).toHaveLength(4);

  const before = (await workers(sys.http)).map(({ id, pid, role, state, appliedLsn }): WorkerSample => ({ id, pid, role, state, appliedLsn }));
  const master = before.find((w) => w.role === 'master')!;
  const booting = before.filter((w) => w.pid !== master.pid);
  expect(booting.map((w) => w.pid).sort((a, b) => a - b)).toEqual(list.filter((p) => p !== master.pid));
  // The situation of the report: the new slaves are listed while they are still starting. The lowest of them is
  // held back (SIGSTOP, 1.5 s) so that it registers last: whoever registers first must not win.
  const lowest = Math.min(...booting.map((w) => w.pid));
  const held = booting.find((w) => w.pid === lowest)!;
  expect(held.state).toBe('unregistered');
  await sys.orchestrator.runtime.signal(held.id, 'SIGSTOP');
  setTimeout(() => void sys.orchestrator.runtime.signal(held.id, 'SIGCONT'), 1500);

  const fault: FaultWindow = { kind: 'kill-master', startedAt: Date.now(), endedAt: 0, target: String(master.pid), before };
  expect((await sys.http.post<number[]>('/api/v1/crash/master')).body).toEqual([master.pid]);
  fault.endedAt = Date.now();
  let newMasterPid = 0;
  let seenAt = 0;
  await waitUntil(
    'a new master',
    async () => {
      const m = (await workers(sys.http)).find((w) => w.role === 'master' && w.pid !== master.pid);
      if (m) [newMasterPid, seenAt] = [m.pid, Date.now()];
      return m !== undefined;
    },
    20000,
    20,
  );
  expect(newMasterPid).toBe(lowest);

  const verdict = new ElectionChecker({ maxElectionMs: 15000 }).check({
    history: { ...emptyHistory(), faults: [fault], elections: [{ at: seenAt, fault, newMasterPid }] },
  });
  expect(verdict).toMatchObject({ valid: true, details: { masterFaults: 1, problems: [] } });

  // And the system is whole again: that master takes writes, the three slaves serve.
  const after = await waitForTopology(sys.http, 3, 60000);
  expect(after.find((w) => w.role === 'master')!.pid).toBe(lowest);
  const w = await sys.http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: 'after-boot-crash', password: 'p' } });
  expect(w.status).toBe(201);
  expect((w.body as { worker: number }).worker).toBe(lowest);
});
