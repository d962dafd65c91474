import { emptyHistory } from './history';
import { LoadRecorder, SECOND_GRACE_MS } from './load-recorder';

const T0 = 1_700_000_000_000;

test('requests land in the second of their (scheduled) start on the workload grid, with percentiles of the ok ones', () => {
  const history = emptyHistory();
  let now = T0;
  const rec = new LoadRecorder(history, T0, () => now);
  const phase = rec.phase('fixed rate', 'open');
  // Second 0: 100 ok requests of 1..100 ms, scheduled start 10 ms before they went out; one failure.
  for (let i = 1; i <= 100; i++) phase.record({ startedAt: T0 + 100, sentAt: T0 + 110, endedAt: T0 + 110 + i, ok: true });
  phase.record({ startedAt: T0 + 200, sentAt: T0 + 200, endedAt: T0 + 300, ok: false });
  // Second 2 (none in second 1).
  phase.record({ startedAt: T0 + 2500, sentAt: T0 + 2500, endedAt: T0 + 2505, ok: true });
  now = T0 + 3000;
  const f = phase.finish();
  expect(f.ok).toBe(101);
  expect(f.failed).toBe(1);
  // Open loop counts the 10 ms wait; closed loop does not.
  expect(f.latencyMs.p50).toBeCloseTo(60, 0);
  expect(f.closedLoopLatencyMs.p50).toBeCloseTo(50, 0);
  expect(f.latencyMs.max).toBeCloseTo(110, 0);
  expect(history.loadPhases).toEqual([{ label: 'fixed rate', startedAt: T0, endedAt: expect.any(Number), loop: 'open' }]);

  // Nothing settles before the grace: a request invoked in a second may still be waiting for its answer.
  expect(history.loadSeconds).toEqual([]);
  expect(rec.snapshot().map((s) => [s.at - T0, s.ok, s.failed])).toEqual([[0, 100, 1], [2000, 1, 0]]);
  rec.settle();
  const [s0, s2] = history.loadSeconds!;
  expect(s0).toMatchObject({ at: T0, ok: 100, failed: 1 });
  expect(s0.p50).toBeCloseTo(60, 0);
  expect(s0.p99).toBeCloseTo(109, 0);
  expect(s2).toMatchObject({ at: T0 + 2000, ok: 1, failed: 0 });
});

test('seconds older than the grace are moved into the history while the run goes', () => {
  const history = emptyHistory();
  let now = T0;
  const rec = new LoadRecorder(history, T0, () => now);
  const phase = rec.phase('saturation', 'closed');
  phase.record({ startedAt: T0 + 10, sentAt: T0 + 10, endedAt: T0 + 20, ok: true });
  now = T0 + 1000 + SECOND_GRACE_MS + 1;
  phase.record({ startedAt: now, sentAt: now, endedAt: now + 5, ok: true });
  expect(history.loadSeconds!.map((s) => s.at)).toEqual([T0]);
  expect(rec.snapshot()).toHaveLength(2);
});
