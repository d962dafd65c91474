import { r, w } from './read-fixtures';
import { StalenessChecker } from './staleness-checker';
import { history, ops } from './test-fixtures';

const check = (parts: Parameters<typeof ops>, maxStaleMs = 100) => new StalenessChecker({ maxStaleMs }).check({ history: history({ ops: ops(...parts) }) });

// Writes are acknowledged 10 ms after they start: w(0, 1, 0) at T0 + 10.
test('passes when later reads see each acknowledged write, or miss it only briefly', () => {
  const v = check([w(0, 1, 0), w(1, 2, 100), r([], 0, 5), r([0], 1, 30), r([0], 1, 150), r([0, 1], 2, 200)]);
  expect(v.valid).toBe(true);
  // w1 acked at 110, missed by the read started at 150: 40 ms; w0 never missed after its ack.
  expect(v.summary).toBe('1 of 2 acknowledged writes missed by a later read, for at most 40 ms (p50/p90/p99/max 0/40/40/40 ms)');
  expect(v.details).toMatchObject({ staleReads: 1, distributionMs: { max: 40 } });
});

test('a read that started before the acknowledgement may miss the write', () => {
  expect(check([w(0, 1, 0), r([], 0, 5, { ms: 500 }), r([0], 1, 600)]).valid).toBe(true);
});

test('fails when a read misses an acknowledged write for longer than the limit, naming the read', () => {
  const v = check([w(0, 1, 0), r([0], 1, 50), r([], 0, 400, { worker: 201 })]);
  expect(v.valid).toBe(false);
  expect(v.summary).toMatch(/^a read missed an acknowledged write 390 ms after its acknowledgement, over the 100 ms limit .*worst: read #2 \(client 0, .*worker 201, LSN 0\) missed k0@1 390 ms/);
  expect(v.thresholds[0]).toMatchObject({ actual: 390, limit: '<= 100', pass: false });
});

test('the bound is a setting: the same history passes a looser one', () => {
  expect(check([w(0, 1, 0), r([], 0, 400)], 1000).valid).toBe(true);
});

test('unknown when no read started after an acknowledgement', () => {
  expect(check([r([], 0, 0), w(0, 1, 20)]).valid).toBe('unknown');
});

test('a windowed read (sawFrom) is not stale for writes out of its sight', () => {
  expect(check([w(0, 1, 0), w(1, 2, 20), r([1], 2, 5000, { sawFrom: 1 })]).valid).toBe(true);
  expect(check([w(0, 1, 0), w(1, 2, 20), r([0], 2, 5000, { sawFrom: 0 })]).valid).toBe(false);
});
