import type { ElectionEvent, FaultWindow } from '../core/history';
import { FAULTS } from '../nemesis/registry';
import { ElectionChecker, JUDGED_FAULTS } from './election-checker';
import { fault, history, worker } from './test-fixtures';

const topology = [worker(300, 'master'), worker(310), worker(305), worker(320)];

function elected(f: FaultWindow, afterMs: number, newMasterPid: number): ElectionEvent {
  // A copy of the fault, as after a round trip through report.json: matching must not rely on identity.
  return { at: f.startedAt + afterMs, fault: JSON.parse(JSON.stringify(f)) as FaultWindow, newMasterPid };
}

const check = (faults: FaultWindow[], elections: ElectionEvent[], options = {}) =>
  new ElectionChecker(options).check({ history: history({ faults, elections }) });

describe('a fault that took the master away', () => {
  const kill = fault('kill-master', 1000, 1500, 300, topology);

  test('passes when the lowest other PID takes over in time', () => {
    const v = check([kill], [elected(kill, 1200, 305)]);
    expect(v.valid).toBe(true);
    expect(v.summary).toBe('1 election chose the lowest live PID within 10000 ms (slowest 1200 ms)');
    expect(v.thresholds).toEqual([
      expect.objectContaining({ actual: 1200, limit: '<= 10000', unit: 'ms', pass: true }),
      expect.objectContaining({ actual: 305, limit: '= 305 (lowest other PID)', pass: true }),
    ]);
  });

  test('fails naming expected and actual PID when another worker wins', () => {
    const v = check([kill], [elected(kill, 1200, 310)]);
    expect(v.valid).toBe(false);
    expect(v.summary).toBe('kill-master of 300 at 12:00:01.000: new master was 310, expected 305 (lowest PID among [305, 310, 320])');
  });

  test('fails when the election is too slow', () => {
    const v = check([kill], [elected(kill, 12000, 305)]);
    expect(v.valid).toBe(false);
    expect(v.summary).toBe('kill-master of 300 at 12:00:01.000: new master 305 seen after 12000 ms (limit 10000 ms)');
    expect(check([kill], [elected(kill, 12000, 305)], { maxElectionMs: 15000 }).valid).toBe(true);
  });

  test('fails when no election follows', () => {
    const v = check([kill], []);
    expect(v.valid).toBe(false);
    expect(v.summary).toBe('kill-master of 300 at 12:00:01.000: no new master seen (expected 305)');
  });

  test('fails when the master changes again after the election', () => {
    const v = check([kill], [elected(kill, 1200, 305), elected(kill, 3000, 310)]);
    expect(v.valid).toBe(false);
    expect(v.summary).toContain('master changed again, from 305 to 310');
  });

  test('does not count a stopping worker as a candidate', () => {
    const f = fault('kill-master', 1000, 1500, 300, [worker(300, 'master'), worker(301, 'slave', 'stopping'), worker(305)]);
    expect(check([f], [elected(f, 800, 305)]).valid).toBe(true);
    expect(check([f], [elected(f, 800, 301)]).summary).toContain('new master was 301, expected 305');
  });

  test('counts a worker that was still starting (not yet registered) as a candidate: the lowest PID must win', () => {
    // Three slaves had just been started; 305 had registered first, 301 and 303 were still starting.
    const f = fault('kill-master', 1000, 1500, 300, [worker(300, 'master'), worker(301, 'unknown', 'unregistered'), worker(303, 'unknown', 'unregistered'), worker(305)]);
    const v = check([f], [elected(f, 1500, 305)]);
    expect(v.valid).toBe(false);
    expect(v.summary).toBe('kill-master of 300 at 12:00:01.000: new master was 305, expected 301 (lowest PID among [301, 303, 305])');
    expect(check([f], [elected(f, 1500, 301)]).valid).toBe(true);
  });

  test('finds the victim of kill-master in the topology when the fault names none', () => {
    const f = fault('kill-master', 1000, 1500, undefined, topology);
    expect(check([f], [elected(f, 800, 305)]).valid).toBe(true);
  });

  test('fails when no topology was recorded before it', () => {
    const f = fault('kill-master', 1000, 1500, 300);
    const v = check([f], [elected(f, 800, 305)]);
    expect(v.valid).toBe(false);
    expect(v.summary).toContain('no topology recorded before it, cannot tell which PID should win');
  });

  test.each(['kill-random', 'pause-worker'] as const)('%s of the master must be followed by an election', (kind) => {
    const f = fault(kind, 1000, 3000, 300, topology);
    expect(check([f], [elected(f, 2500, 305)]).valid).toBe(true);
    expect(check([f], []).summary).toBe(`${kind} of 300 at 12:00:01.000: no new master seen (expected 305)`);
  });
});

describe('a fault that hit only a slave', () => {
  test.each(['kill-slave', 'kill-random', 'pause-worker'] as const)('%s passes when the master stays', (kind) => {
    const f = fault(kind, 1000, 1000, 320, topology);
    const v = check([f], []);
    expect(v.valid).toBe(true);
    expect(v.summary).toBe('master kept through 1 slave fault');
    // An election event that re-confirms the same master is no change.
    expect(check([f], [elected(f, 500, 300)]).valid).toBe(true);
  });

  test('fails when the master changes', () => {
    const f = fault('kill-slave', 1000, 1000, 320, topology);
    const v = check([f], [elected(f, 500, 305)]);
    expect(v.valid).toBe(false);
    expect(v.summary).toBe('kill-slave of 320 at 12:00:01.000: hit a slave, yet master changed from 300 to 305');
  });

  test('a kill-slave that in fact hit the master is judged as a master fault', () => {
    const f = fault('kill-slave', 1000, 1000, 300, topology);
    expect(check([f], []).summary).toBe('kill-slave of 300 at 12:00:01.000: no new master seen (expected 305)');
    expect(check([f], [elected(f, 900, 305)]).valid).toBe(true);
  });

  test('kill-random without a recorded topology cannot be judged and fails', () => {
    const v = check([fault('kill-random', 1000, 1000, 320)], []);
    expect(v.valid).toBe(false);
    expect(v.summary).toContain('cannot tell whether it hit the master (no topology recorded before it)');
  });
});

test('ignores service restarts and passes with nothing to judge', () => {
  const v = check([fault('restart-rabbitmq', 1000, 5000, 'rabbitmq')], []);
  expect(v.valid).toBe(true);
  expect(v.summary).toBe('no fault hit a worker: no election to judge');
});

test('judges several faults and reports every problem', () => {
  const a = fault('kill-master', 1000, 1500, 300, topology);
  const b = fault('kill-master', 20000, 1500, 305, [worker(305, 'master'), worker(310), worker(320), worker(330)]);
  const v = check([a, b], [elected(a, 1000, 305), elected(b, 1000, 320)]);
  expect(v.valid).toBe(false);
  expect(v.summary).toBe(`kill-master of 305 at 12:00:20.000: new master was 320, expected 310 (lowest PID among [310, 320, 330])`);
  expect(v.thresholds.filter((t) => !t.pass)).toHaveLength(1);
});

describe('the faults judged are those of the registry that hit a worker', () => {
  test('the set matches the registry, and the original worker faults are all in it', () => {
    expect([...JUDGED_FAULTS].sort()).toEqual(FAULTS.filter((f) => f.hits !== 'service').map((f) => f.kind).sort());
    expect([...JUDGED_FAULTS]).toEqual(expect.arrayContaining(['kill-master', 'kill-slave', 'kill-random', 'pause-worker']));
    expect(JUDGED_FAULTS.has('restart-rabbitmq') || JUDGED_FAULTS.has('restart-zookeeper')).toBe(false);
  });

  // Whatever a registered fault says it hits, taking the master away without an election fails unless it hit a service.
  test.each(FAULTS.map((f) => [f.kind, f.hits] as const))('%s (hits %s) that took the master is judged accordingly', (kind, hits) => {
    const v = check([fault(kind, 1000, 1000, 300, topology)], []);
    expect(v.valid).toBe(hits === 'service');
  });
});
