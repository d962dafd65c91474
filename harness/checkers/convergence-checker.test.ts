import { ConvergenceChecker } from './convergence-checker';
import { final, history, replica } from './test-fixtures';

const check = (f: ReturnType<typeof final> | undefined, options = {}) => new ConvergenceChecker(options).check({ history: history(), final: f });
const drifted = [
  { table: 'users', rows: 3, sha: 'aaaa' },
  { table: 'rides', rows: 2, sha: 'cccc' },
];

test('passes when every replica holds the same checksums at the same LSN, in time', () => {
  const v = check(final([replica(100), replica(101), replica(102)], 2500));
  expect(v.valid).toBe(true);
  expect(v.summary).toBe('3 replicas identical at LSN 10, converged 2500 ms after the last fault');
  expect(v.thresholds.every((t) => t.pass)).toBe(true);
});

test('fails naming the replica whose tables differ, and which tables', () => {
  const v = check(final([replica(100), replica(101, {}, { checksums: drifted }), replica(102)]));
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('replica 101 (lsn 10) differs from 100, 102 (lsn 10): tables rides');
  expect(v.thresholds.find((t) => t.name === 'distinct table checksums')).toMatchObject({ actual: 2, pass: false });
});

test('fails on a replica behind in LSN even with equal checksums', () => {
  const v = check(final([replica(100), replica(101, {}, { lsn: 9 })]));
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('replica 101 (lsn 9) differs from 100 (lsn 10): lsn');
  expect(v.thresholds.find((t) => t.name === 'distinct LSNs')).toMatchObject({ actual: 2, pass: false });
});

test('compares checksums deeply whatever their shape', () => {
  const v = check(final([replica(100, {}, { checksums: [1, { a: [2] }] }), replica(101, {}, { checksums: [1, { a: [3] }] })]));
  expect(v.valid).toBe(false);
  expect(v.summary).toBe('replica 101 (lsn 10) differs from 100 (lsn 10): checksums');
  expect(check(final([replica(100, {}, { checksums: [1, { a: [2] }] }), replica(101, {}, { checksums: [1, { a: [2] }] })])).valid).toBe(true);
});

test('fails when the replicas never converged or took too long', () => {
  expect(check(final([replica(100), replica(101)], null)).summary).toBe('replicas were never seen identical');
  const slow = check(final([replica(100), replica(101)], 20000));
  expect(slow.valid).toBe(false);
  expect(slow.summary).toBe('replicas took 20000 ms to converge (limit 15000 ms)');
  expect(check(final([replica(100), replica(101)], 20000), { maxConvergenceMs: 30000 }).valid).toBe(true);
});

test('fails with too few replicas to compare, or no final state', () => {
  const one = check(final([replica(100)]));
  expect(one.valid).toBe(false);
  expect(one.summary).toBe('only 1 replica to compare (need 2)');
  expect(check(final([replica(100)]), { minReplicas: 1 }).valid).toBe(true);
  const none = check(undefined);
  expect(none.valid).toBe(false);
  expect(none.summary).toBe('no final state gathered: cannot compare replicas');
});
