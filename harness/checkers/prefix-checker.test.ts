import { PrefixChecker } from './prefix-checker';
import { r, w } from './read-fixtures';
import { history, ops } from './test-fixtures';

const check = (...parts: Parameters<typeof ops>) => new PrefixChecker().check({ history: history({ ops: ops(...parts) }) });

test('passes when each read shows exactly the acknowledged writes up to its LSN', () => {
  const v = check(w(0, 1, 0), w(1, 2, 20), w(2, 3, 40), w(3, undefined, 45, { outcome: 'unknown', status: 0 }), r([0, 1], 2, 30), r([0, 1, 2, 3], 3, 60), r([], 0, 70));
  expect(v.valid).toBe(true);
  expect(v.summary).toBe('all 3 reads showed exactly the acknowledged writes up to their LSN and no failed write');
});

test('fails on a read missing an acknowledged write at or below its LSN (a lost or skipped write)', () => {
  const v = check(w(0, 1, 0), w(1, 2, 20), r([1], 2, 50));
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/^1 read missed acknowledged writes at or below their LSN, e\.g\. read #2 .*: k0@1$/);
});

test('fails on a read showing a write above its LSN (the reply lies about the state it read)', () => {
  const v = check(w(0, 1, 0), w(1, 2, 20), r([0, 1], 1, 50));
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/1 read showed writes above their LSN, e\.g\. read #2 .*: k1@2/);
});

test('fails on a read showing a write whose request failed (an aborted read)', () => {
  const v = check(w(0, 1, 0), w(1, undefined, 20, { outcome: 'failed', status: 409 }), r([0, 1], 1, 50));
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/1 read showed writes that failed, e\.g\. read #2 .*: k1$/);
  expect(v.thresholds.map((t) => t.actual)).toEqual([0, 0, 1]);
});

test('unknown when no read of the written rows was answered', () => {
  expect(check(w(0, 1, 0), r([], 1, 50, { outcome: 'failed', status: 504, saw: undefined })).valid).toBe('unknown');
});

test('a windowed read (sawFrom) is judged on the writes in its sight: older ones are not missed, newer ones are', () => {
  expect(check(w(0, 1, 0), w(1, 2, 20), w(2, 3, 40), r([1, 2], 3, 60, { sawFrom: 1 })).valid).toBe(true);
  const v = check(w(0, 1, 0), w(1, 2, 20), w(2, 3, 40), r([2], 3, 60, { sawFrom: 1 }));
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/^1 read missed acknowledged writes at or below their LSN, e\.g\. read #3 .*: k1@2$/);
});
