import type { Operation, TopologySample, WorkerSample } from '../core/history';
import { bucketIndex, faultBands, latencySeries, loadSecondsSeries, makeBucketing, phaseBands, scaleTargetSeries, throughputSeries, workerCountSeries } from './time-series';

const T0 = 1_700_000_000_000;
const op = (startedAt: number, latency: number, outcome: Operation['outcome'] = 'ok', kind: Operation['kind'] = 'read'): Operation => ({
  index: 0,
  client: 0,
  kind,
  startedAt: T0 + startedAt,
  endedAt: T0 + startedAt + latency,
  outcome,
  status: 200,
});

test('bucket count covers the span, rounding up', () => {
  expect(makeBucketing(T0, T0 + 3000).count).toBe(3);
  expect(makeBucketing(T0, T0 + 3001).count).toBe(4);
  expect(makeBucketing(T0, T0).count).toBe(1);
  expect(() => makeBucketing(T0, T0 + 1, 0)).toThrow(/positive/);
});

test('bucket edges: [start, start + size), out-of-span times clamp to the ends', () => {
  const b = makeBucketing(T0, T0 + 3000);
  expect(bucketIndex(b, T0)).toBe(0);
  expect(bucketIndex(b, T0 + 999)).toBe(0);
  expect(bucketIndex(b, T0 + 1000)).toBe(1);
  expect(bucketIndex(b, T0 + 2999)).toBe(2);
  expect(bucketIndex(b, T0 + 3000)).toBe(2);
  expect(bucketIndex(b, T0 - 5)).toBe(0);
  expect(bucketIndex(b, T0 + 99_999)).toBe(2);
});

test('throughput counts by outcome per second of invocation', () => {
  const b = makeBucketing(T0, T0 + 2000, 500);
  // A timeout invoked at 100 ms that ended 5 s later belongs to the first bucket.
  const s = throughputSeries([op(0, 1), op(100, 5000, 'unknown'), op(499, 1, 'failed'), op(500, 1), op(1999, 1)], b);
  expect(s.xs).toEqual([0, 0.5, 1, 1.5]);
  // 500 ms buckets: one operation is 2 operations per second.
  expect(s.ok).toEqual([2, 2, 0, 2]);
  expect(s.failed).toEqual([2, 0, 0, 0]);
  expect(s.unknown).toEqual([2, 0, 0, 0]);
});

test('latency series: per-bucket percentiles of ok ops of one kind, null where there are none', () => {
  const b = makeBucketing(T0, T0 + 3000);
  const ops = [op(0, 10), op(10, 20), op(20, 30), op(30, 999, 'failed'), op(40, 500, 'ok', 'write'), op(2100, 7)];
  const s = latencySeries(ops, b, 'read');
  expect(s.xs).toEqual([0.5, 1.5, 2.5]);
  expect(s.p50).toEqual([20, null, 7]);
  expect(s.p99).toEqual([30, null, 7]);
});

test('worker counts: ready masters and slaves, everything else as not ready', () => {
  const w = (pid: number, role: WorkerSample['role'], state: WorkerSample['state'] = 'ready'): WorkerSample => ({ id: `${pid}`, pid, role, state, appliedLsn: null });
  const samples: TopologySample[] = [
    { at: T0 + 2000, workers: [w(2, 'master'), w(4, 'slave', 'catching-up')] },
    { at: T0, workers: [w(1, 'master'), w(2, 'slave'), w(3, 'slave'), w(9, 'unknown')] },
  ];
  expect(workerCountSeries(samples, T0)).toEqual({ xs: [0, 2], master: [1, 1], slave: [2, 0], other: [1, 1] });
});

test('fault bands and scale targets are relative seconds', () => {
  expect(faultBands([{ kind: 'kill-master', startedAt: T0 + 20_000, endedAt: T0 + 20_900, target: 'pid 7' }], T0)).toEqual([
    { from: 20, to: 20.9, label: 'kill-master pid 7' },
  ]);
  expect(scaleTargetSeries([{ at: T0 + 4000, reads: 50, target: 3, observedSlaves: 3 }, { at: T0 + 2000, reads: 1, target: 1, observedSlaves: 1 }], T0)).toEqual({
    xs: [2, 4],
    target: [1, 3],
  });
});

test('load seconds: counts add up per bucket, percentiles keep the worse of two seconds in one bucket', () => {
  const b = makeBucketing(T0, T0 + 4000, 2000);
  const sec = (at: number, ok: number, p99: number | null) => ({ at: T0 + at, ok, failed: 1, p50: p99 === null ? null : p99 / 2, p90: p99, p99, max: p99 });
  const s = loadSecondsSeries([sec(0, 10, 8), sec(1000, 20, 30), sec(2000, 0, null)], b);
  // 2 s buckets: 31 requests in the first is 15.5 per second.
  expect(s.throughput.ok).toEqual([15, 0]);
  expect(s.throughput.failed).toEqual([1, 0.5]);
  expect(s.latency.p99).toEqual([30, null]);
  expect(s.latency.xs).toEqual([1, 3]);
});

test('phases are bands named with their loop', () => {
  expect(phaseBands([{ label: 'fixed rate', startedAt: T0 + 1000, endedAt: T0 + 11_000, loop: 'open' }], T0)).toEqual([{ from: 1, to: 11, label: 'fixed rate (open loop)' }]);
});
