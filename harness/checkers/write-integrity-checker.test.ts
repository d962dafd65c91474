import { WriteIntegrityChecker } from './write-integrity-checker';
import { final, history, ops, replica } from './test-fixtures';

const writes = ops(
  { at: 0, key: 'w-1' },
  { at: 10, key: 'w-2' },
  { at: 20, key: 'w-3', outcome: 'failed', status: 409 },
  { at: 30, key: 'w-4', outcome: 'unknown', status: 0 },
  { at: 40, kind: 'read' },
);
const good = { 'w-1': 1, 'w-2': 1, 'w-3': 0, 'w-4': 1 };
const check = (replicas: ReturnType<typeof replica>[], options = {}, h = history({ ops: writes })) =>
  new WriteIntegrityChecker(options).check({ history: h, final: final(replicas) });

test('passes when acknowledged writes are everywhere once and failed ones nowhere', () => {
  const v = check([replica(100, good), replica(101, good)]);
  expect(v.valid).toBe(true);
  expect(v.summary).toBe('all 2 acknowledged writes present exactly once on 2 replicas; no duplicates; 1 failed writes absent; 1 of 1 unknown writes applied');
  expect(v.thresholds.every((t) => t.pass && t.actual === 0)).toBe(true);
});

test('an unknown write may be absent, as long as it is absent everywhere', () => {
  const none = { ...good, 'w-4': 0 };
  expect(check([replica(100, none), replica(101, none)]).valid).toBe(true);
});

test('fails on an acknowledged write lost on one replica, naming key and replica', () => {
  const v = check([replica(100, good), replica(101, { ...good, 'w-2': 0 })]);
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('lost 1 acknowledged write (w-2) on replica 101');
  expect(v.details).toMatchObject({ totals: { lost: 1 }, lost: [{ key: 'w-2', outcome: 'ok', counts: { 100: 1, 101: 0 } }] });
});

test('a key missing from keyCounts counts as lost', () => {
  const v = check([replica(100, good), replica(101, good), replica(102, {})]);
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('lost 2 acknowledged writes (w-1, w-2) on replica 102; 1 unknown-outcome write applied on some replicas only (w-4)');
});

test('fails on a write applied twice, whatever its outcome', () => {
  for (const key of ['w-1', 'w-3', 'w-4']) {
    const v = check([replica(100, { ...good, [key]: 2 }), replica(101, { ...good, [key]: 2 })]);
    expect(v.valid).toBe(false);
    expect(v.summary).toContain(`1 write applied more than once (${key}) on all 2 replicas`);
  }
});

test('fails on a failed write that was applied', () => {
  const v = check([replica(100, { ...good, 'w-3': 1 }), replica(101, good)]);
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('1 failed write applied anyway (w-3) on replica 100');
});

test('fails when replicas disagree on an unknown write', () => {
  const v = check([replica(100, good), replica(101, { ...good, 'w-4': 0 })]);
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('1 unknown-outcome write applied on some replicas only (w-4)');
});

test('a retried key takes its most certain outcome', () => {
  const retried = ops({ at: 0, key: 'w-9', outcome: 'unknown' }, { at: 50, key: 'w-9', outcome: 'ok' });
  const v = check([replica(100, { 'w-9': 0 }), replica(101, { 'w-9': 0 })], {}, history({ ops: retried }));
  expect(v.summary).toBe('lost 1 acknowledged write (w-9) on all 2 replicas');
});

test('caps the listed keys but gives full totals', () => {
  const many = ops(...Array.from({ length: 30 }, (_, i) => ({ at: i, key: `k-${i}` })));
  const v = check([replica(100, {}), replica(101, {})], { maxListed: 5 }, history({ ops: many }));
  expect(v.summary).toBe('lost 30 acknowledged writes (k-0, k-1, k-2, …) on all 2 replicas');
  expect(v.details).toMatchObject({ totals: { lost: 30 } });
  expect((v.details as { lost: unknown[] }).lost).toHaveLength(5);
  expect(v.thresholds[0]).toMatchObject({ name: 'acknowledged writes lost', actual: 30, pass: false });
});

test('fails without a final state or replicas', () => {
  const none = new WriteIntegrityChecker().check({ history: history({ ops: writes }) });
  expect(none.valid).toBe(false);
  expect(none.summary).toBe('no final state gathered: cannot look for lost or duplicated writes');
  expect(check([]).summary).toBe('no replica in the final state: cannot look for lost or duplicated writes');
});

test('an unreadable replica fails the check as unreadable, not as lost writes', () => {
  const v = check([replica(100, good), replica(101, {}, { unreadable: 'control queue timed out' })]);
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/could not read 1 replica: 101 \(control queue timed out\)/);
  expect(v.summary).not.toMatch(/lost \d/);
});
