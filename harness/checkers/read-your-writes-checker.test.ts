import { r, w } from './read-fixtures';
import { ReadYourWritesChecker } from './read-your-writes-checker';
import { history, ops } from './test-fixtures';

const check = (...parts: Parameters<typeof ops>) => new ReadYourWritesChecker().check({ history: history({ ops: ops(...parts) }) });

test('passes when every read with minLsn shows the acknowledged writes at or below it', () => {
  const v = check(w(0, 1, 0), w(1, 2, 20), w(2, 3, 40), r([0, 1], 2, 50, { minLsn: 2 }), r([0], 2, 60));
  expect(v.valid).toBe(true);
  expect(v.summary).toBe('all 1 read with minLsn showed every acknowledged write at or below their minLsn');
});

test('fails on a read with minLsn that misses an acknowledged write at or below it', () => {
  const v = check(w(0, 1, 0), w(1, 2, 20), r([0], 2, 50, { minLsn: 2, client: 3 }));
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/^1 read with minLsn missed acknowledged writes at or below it, e\.g\. read #2 \(client 3, .*minLsn 2\) missed k1@2$/);
  expect(v.thresholds[0]).toMatchObject({ actual: 1, pass: false });
});

test('fails on a reply below the minLsn it was asked for', () => {
  const v = check(w(0, 1, 0), r([0], 1, 50, { minLsn: 2 }));
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/1 read answered below their minLsn/);
});

test('writes above the minLsn, failed or of unknown outcome may be missing', () => {
  const v = check(w(0, 1, 0), w(1, 5, 20), w(2, undefined, 30, { outcome: 'failed', status: 409 }), w(3, undefined, 35, { outcome: 'unknown', status: 0 }), r([0], 4, 50, { minLsn: 4 }));
  expect(v.valid).toBe(true);
});

test('unknown when no read with minLsn was answered', () => {
  const v = check(w(0, 1, 0), r([0], 1, 50), r([], 1, 60, { minLsn: 1, outcome: 'failed', status: 504, saw: undefined }));
  expect(v.valid).toBe('unknown');
});

test('a windowed read (sawFrom) must show the writes in its sight up to its minLsn, and only those', () => {
  expect(check(w(0, 1, 0), w(1, 2, 20), r([1], 2, 60, { minLsn: 2, sawFrom: 1 })).valid).toBe(true);
  expect(check(w(0, 1, 0), w(1, 2, 20), w(2, 3, 30), r([1], 3, 60, { minLsn: 3, sawFrom: 1 })).valid).toBe(false);
});
