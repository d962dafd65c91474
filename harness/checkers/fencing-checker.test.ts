import { FencingChecker } from './fencing-checker';
import { w } from './read-fixtures';
import { history, ops } from './test-fixtures';

const check = (...parts: Parameters<typeof ops>) => new FencingChecker().check({ history: history({ ops: ops(...parts) }) });

test('passes on unique LSNs in real-time order, one master after the other', () => {
  const v = check(w(0, 1, 0, { worker: 10 }), w(1, 2, 20, { worker: 10 }), w(2, 3, 500, { worker: 11 }), w(3, 4, 520, { worker: 11 }));
  expect(v.valid).toBe(true);
  expect(v.summary).toBe('4 acknowledged writes: unique LSNs in real-time order, 2 master terms told apart by PID (replies carry no epoch), none overlapping');
});

test('concurrent writes may get their LSNs in either order (group commit)', () => {
  expect(check(w(0, 2, 0, { worker: 10, ms: 30 }), w(1, 1, 5, { worker: 10, ms: 30 })).valid).toBe(true);
});

test('fails on one LSN acknowledged for two writes (two masters wrote at the same place)', () => {
  const v = check(w(0, 1, 0, { worker: 10, ms: 50 }), w(1, 1, 10, { worker: 11, ms: 50 }));
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/^1 LSN acknowledged for two different writes, e\.g\. LSN 1: k0@1 by 10 and k1@1 by 11/);
});

test('fails on an LSN lower than one acknowledged before the write was issued', () => {
  const v = check(w(0, 5, 0, { worker: 10 }), w(1, 3, 100, { worker: 10 }));
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/1 write got an LSN not above one acknowledged before it was issued, e\.g\. k1@3 by 10 issued after k0@5 by 10/);
});

test('with epochs: fails on a deposed master acknowledging after the next epoch began', () => {
  // Epoch 2's first write is acknowledged at 110; epoch 1's master then still accepts a write, at an LSN above ours.
  const v = check(w(0, 1, 0, { worker: 10, epoch: 1 }), w(1, 2, 100, { worker: 11, epoch: 2 }), w(2, 3, 200, { worker: 10, epoch: 1 }));
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/acknowledged by an older term after a newer one began, e\.g\. k2@3 by 10 \(epoch 1\) of epoch 1, at or above epoch 2's first LSN 2/);
});

test('with epochs: an older epoch write issued after the newer epoch acknowledged is caught even at a lower LSN', () => {
  const v = check(w(0, 1, 0, { worker: 10, epoch: 1 }), w(1, 3, 100, { worker: 11, epoch: 2 }), w(2, 2, 200, { worker: 10, epoch: 1, ms: 1 }));
  expect(v.valid).toBe(false);
  expect(v.thresholds.map((t) => t.actual)).toEqual([0, 1, 1]);
});

test('a worker elected again later is a new term, not a deposed master', () => {
  const v = check(w(0, 1, 0, { worker: 10 }), w(1, 2, 100, { worker: 11 }), w(2, 3, 200, { worker: 10 }));
  expect(v.valid).toBe(true);
});

test('unknown when no write was acknowledged', () => {
  expect(check(w(0, undefined, 0, { outcome: 'unknown', status: 0 })).valid).toBe('unknown');
});
