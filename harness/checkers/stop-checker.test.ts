import { StopChecker } from './stop-checker';
import { T0, history, ops, worker } from './test-fixtures';

const stopped = { kind: 'delete-sync-queue' as const, faultAt: T0 + 1000, at: T0 + 1200, reason: 'syncQ was deleted' };
const noMaster = (at: number) => ({ at: T0 + at, workers: [worker(11, 'slave', 'catching-up')] });
const withMaster = (at: number) => ({ at: T0 + at, workers: [worker(10, 'master')] });

test('a run where nothing stopped passes and says so', () => {
  const v = new StopChecker().check({ history: history({ ops: ops({ at: 0 }) }) });
  expect(v).toMatchObject({ valid: true, summary: 'no fault stopped the system' });
});

test('passes when everything after the stop was refused, and says the system stopped by design', () => {
  const h = history({
    stopped,
    ops: ops({ at: 900 }, { at: 1300, outcome: 'failed', status: 503 }, { at: 1400, kind: 'read', outcome: 'unknown', status: 504 }),
    topology: [withMaster(900), noMaster(1200), noMaster(5000)],
  });
  const v = new StopChecker().check({ history: h });
  expect(v.valid).toBe(true);
  expect(v.summary).toMatch(/^STOPPED BY DESIGN after delete-sync-queue at 12:00:01.000: syncQ was deleted; seen stopped 200 ms later, it then refused everything for 3\.8 s \(0 of 1 write and 0 of 1 read acknowledged/);
});

test('fails on a write acknowledged after the stop', () => {
  const v = new StopChecker().check({ history: history({ stopped, ops: ops({ at: 1300 }), topology: [noMaster(1200)] }) });
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/but after the stop it answered 1 operation: it served a log it no longer has/);
});

test('fails on a read answered after the stop', () => {
  const v = new StopChecker().check({ history: history({ stopped, ops: ops({ at: 1300, kind: 'read' }) }) });
  expect(v.valid).toBe(false);
  expect(v.thresholds.find((t) => t.name.startsWith('reads answered'))?.actual).toBe(1);
});

test('fails when a master is ready again after the stop, even with nothing answered', () => {
  const v = new StopChecker().check({ history: history({ stopped, topology: [noMaster(1200), withMaster(3000)] }) });
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/a master was ready again at 12:00:03.000/);
});

test('a stop with no request after it is UNKNOWN, not a pass: an idle system refuses nothing', () => {
  const v = new StopChecker().check({ history: history({ stopped, ops: ops({ at: 900 }), topology: [noMaster(1200), noMaster(9000)] }) });
  expect(v.valid).toBe('unknown');
  expect(v.summary).toMatch(/no request was made after it was seen stopped, so its refusal is not shown$/);
});
