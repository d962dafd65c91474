import type { History, Operation, WorkerSample } from '../core/history';
import { emptyHistory } from '../core/history';
import { maxOkWriteGap, summarizeHistory } from './summarize-history';

let n = 0;
function op(kind: Operation['kind'], startedAt: number, latency: number, outcome: Operation['outcome'] = 'ok'): Operation {
  return { index: n++, client: 0, kind, startedAt, endedAt: startedAt + latency, outcome, status: outcome === 'ok' ? 200 : 503 };
}

function history(ops: Operation[]): History {
  return { ...emptyHistory(), ops };
}

test('counts operations by kind and outcome', () => {
  const s = summarizeHistory(
    history([op('read', 0, 1), op('read', 10, 2, 'failed'), op('write', 20, 3), op('write', 30, 4, 'unknown'), op('write', 40, 5, 'failed')]),
  );
  expect(s.counts.read).toEqual({ ok: 1, failed: 1, unknown: 0, total: 2 });
  expect(s.counts.write).toEqual({ ok: 1, failed: 1, unknown: 1, total: 3 });
  expect(s.counts.all).toEqual({ ok: 2, failed: 2, unknown: 1, total: 5 });
});

test('latency percentiles are of acknowledged operations only', () => {
  // 100 ok reads of 1..100 ms, plus one failed read of 10 s that must not count.
  const ops = Array.from({ length: 100 }, (_, i) => op('read', i * 10, i + 1));
  ops.push(op('read', 5, 10_000, 'unknown'));
  const s = summarizeHistory(history(ops));
  expect(s.latencyMs.read).toEqual({ n: 100, p50: 50, p90: 90, p99: 99, max: 100 });
  expect(s.latencyMs.write).toEqual({ n: 0, p50: null, p90: null, p99: null, max: null });
});

test('throughput is computed over the given span', () => {
  const ops = Array.from({ length: 30 }, (_, i) => op(i % 3 === 0 ? 'write' : 'read', 1000 + i * 100, 5));
  ops[1].outcome = 'failed';
  const s = summarizeHistory(history(ops), { startedAt: 1000, endedAt: 11_000 });
  expect(s.durationMs).toBe(10_000);
  expect(s.throughput.opsPerSec).toBeCloseTo(3);
  expect(s.throughput.okPerSec).toBeCloseTo(2.9);
  expect(s.throughput.writesOkPerSec).toBeCloseTo(1);
});

test('a fault window counts the operations invoked inside it', () => {
  const ops = [
    op('write', 0, 5), // before
    op('write', 1000, 2000, 'unknown'), // in flight at the fault's start: invoked before, not counted
    op('write', 2000, 5, 'failed'),
    op('write', 2500, 5, 'failed'),
    op('read', 2600, 5),
    op('write', 3000, 5), // at the window's end: inside (bounds are inclusive)
    op('write', 3500, 5), // after
  ];
  const h = history(ops);
  h.faults.push({ kind: 'kill-master', startedAt: 2000, endedAt: 3000, target: 'pid 1' });
  const [f] = summarizeHistory(h, { startedAt: 0, endedAt: 4000 }).faults;
  expect(f.writes).toEqual({ ok: 1, failed: 2, unknown: 0, total: 3 });
  expect(f.reads).toEqual({ ok: 1, failed: 0, unknown: 0, total: 1 });
  expect(f.availability).toBeCloseTo(0.5);
  expect(f.writeAvailability).toBeCloseTo(1 / 3);
  expect(f.readAvailability).toBe(1);
  expect(f).toMatchObject({ startMs: 2000, endMs: 3000, durationMs: 1000, target: 'pid 1' });
  // Acked writes completed at 5 and 3005: the gap between them covers the window.
  expect(f.maxOkWriteGapMs).toBe(3000);
  // A fault after the workload stopped writing (last write ended at 3505) shows no gap beyond the last attempt.
  h.faults.push({ kind: 'kill-slave', startedAt: 3600, endedAt: 3700 });
  expect(summarizeHistory(h, { startedAt: 0, endedAt: 60_000 }).faults[1].maxOkWriteGapMs).toBe(0);
});

test('a window with no operation has null availability', () => {
  const h = history([op('read', 0, 1)]);
  h.faults.push({ kind: 'pause-worker', startedAt: 500, endedAt: 600 });
  const [f] = summarizeHistory(h).faults;
  expect(f.availability).toBeNull();
  expect(f.maxOkWriteGapMs).toBeNull();
});

test('the longest write gap only considers gaps that touch the window, while clients were writing', () => {
  const writes = [op('write', 0, 0), op('write', 5000, 0), op('write', 5100, 0), op('write', 5200, 0)];
  // The 5 s gap (0..5000) is outside [5150, 5160]; the gap around it is 100 ms.
  expect(maxOkWriteGap(writes, 5150, 5160)).toBe(100);
  // Attempts that fail until 9000 after the last ack at 5200: the gap runs to the last attempt.
  const failing = [...writes, op('write', 6000, 10, 'failed'), op('write', 8000, 1000, 'unknown')];
  expect(maxOkWriteGap(failing, 5300, 5400)).toBe(3800);
  // Reads do not count.
  expect(maxOkWriteGap([op('read', 0, 1)], 0, 10)).toBeNull();
});

test('an empty history summarizes to zeros', () => {
  const s = summarizeHistory(emptyHistory());
  expect(s.counts.all.total).toBe(0);
  expect(s.throughput.opsPerSec).toBe(0);
  expect(s.faults).toEqual([]);
});

test('largest worker counts by role', () => {
  const h = emptyHistory();
  const w = (pid: number, role: 'master' | 'slave'): WorkerSample => ({ id: String(pid), pid, role, state: 'ready', appliedLsn: 0 });
  h.topology.push({ at: 0, workers: [w(1, 'master'), w(2, 'slave')] }, { at: 1, workers: [w(1, 'master'), w(2, 'slave'), w(3, 'slave')] });
  expect(summarizeHistory(h).maxWorkers).toEqual({ master: 1, slave: 2 });
});
