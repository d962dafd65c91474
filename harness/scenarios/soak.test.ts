import { history, ops, T0 } from '../checkers/test-fixtures';
import { r, w } from '../checkers/read-fixtures';
import { HistoryRecorder } from '../core/history';
import { AnomalyTally, faultSettings, progressLine } from './soak';

const recorder = (h: ReturnType<typeof history>) => Object.assign(new HistoryRecorder(), { history: h });

test('the progress line gives the elapsed time, faults per kind, acknowledged writes and anomalies so far', () => {
  const h = history({
    ops: ops(w(0, 1, 0), w(1, 2, 20), r([0, 1], 2, 50)),
    faults: [
      { kind: 'kill-master', startedAt: T0, endedAt: T0 + 1 },
      { kind: 'kill-master', startedAt: T0 + 2, endedAt: T0 + 3 },
      { kind: 'restart-zookeeper', startedAt: T0 + 4, endedAt: T0 + 5 },
    ],
  });
  expect(progressLine({ recorder: recorder(h) }, T0, T0 + 754_000)).toBe(
    'soak 12m34s: faults 3 (kill-master 2, restart-zookeeper 1); writes acknowledged 2; anomalies: read-your-writes 0, prefix 0, fencing 0',
  );
});

test('an anomaly shows in the progress line as soon as it is in the history', () => {
  const h = history({ ops: ops(w(0, 1, 0), w(1, 2, 20), r([1], 2, 50)) });
  expect(progressLine({ recorder: recorder(h) }, T0, T0 + 5000)).toMatch(/anomalies: read-your-writes 0, prefix 1, fencing 0$/);
});

test('faults that need the system prepared get it: a tmpfs to fill, workers under libfaketime', () => {
  expect(faultSettings(['kill-master'])).toEqual({});
  expect(faultSettings(['fill-disk', 'skew-clock'])).toEqual({ WORKERS_TMPFS_MB: '256', WORKER_FAKETIME: 'true' });
});

test('the tally judges each operation once: a later anomaly adds to the count, nothing is counted twice', () => {
  const h = history({ ops: ops(w(0, 1, 0), w(1, 2, 20), r([0, 1], 2, 50)) });
  const tally = new AnomalyTally();
  expect(tally.update(h)).toEqual([['read-your-writes', 0], ['prefix', 0], ['fencing', 0]]);
  // A read at LSN 2 that misses write 1 (LSN 2), recorded after the first line.
  h.ops.push(...ops(r([0], 2, 80)).map((o) => ({ ...o, index: h.ops.length })));
  expect(tally.update(h)).toEqual([['read-your-writes', 0], ['prefix', 1], ['fencing', 0]]);
  expect(tally.update(h)).toEqual([['read-your-writes', 0], ['prefix', 1], ['fencing', 0]]);
  // The same history judged whole in one go counts the same.
  expect(new AnomalyTally().update(h)).toEqual([['read-your-writes', 0], ['prefix', 1], ['fencing', 0]]);
});
