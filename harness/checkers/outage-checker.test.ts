import { OutageChecker, longestGap } from './outage-checker';
import { T0, fault, history, ops } from './test-fixtures';

describe('OutageChecker', () => {
  it('measures the longest stretch without an acknowledged write and without an answered read, per fault', () => {
    const h = history({
      faults: [fault('cut-master-rabbitmq', 1000, 2000, 42)],
      ops: ops(
        { at: 900, kind: 'write' }, // before the window: does not count
        { at: 1100, kind: 'write' }, // ends 1105
        { at: 1200, kind: 'write', outcome: 'unknown', status: 504 }, // not an acknowledgement
        { at: 4000, kind: 'write' }, // ends 4005: 2900 ms after 1105
        { at: 1000, kind: 'read' },
        { at: 2000, kind: 'read' },
        { at: 3000, kind: 'read' },
        { at: 5000, kind: 'read' },
        { at: 7000, kind: 'read' },
      ),
    });
    const v = new OutageChecker({ graceMs: 5000, maxOutageMs: 4000 }).check({ history: h, load: [] });
    expect(v.valid).toBe(true);
    const [writes, reads] = v.thresholds;
    // The window ends 5000 ms after the fault healed (at 3000), but no later than the last op (7005); the last write
    // was acknowledged at 4005.
    expect(writes).toMatchObject({ actual: 7005 - 4005, pass: true });
    expect(reads.actual).toBe(2000);
  });

  it('fails a fault after which writes never came back', () => {
    const h = history({
      faults: [fault('cut-master-zookeeper', 0, 3000, 7)],
      ops: ops({ at: 100, kind: 'read' }, { at: 2000, kind: 'read' }, { at: 4000, kind: 'read' }, { at: 6000, kind: 'read' }, { at: 10, kind: 'write', outcome: 'unknown', status: 0 }),
    });
    const v = new OutageChecker({ maxOutageMs: 5000 }).check({ history: h, load: [] });
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/cut-master-zookeeper of 7 .*: 6005 ms without an acknowledged write/);
  });

  it('applies per-kind limits and is undecided without faults', () => {
    const h = history({ faults: [fault('cut-orchestrator-rabbitmq', 0, 1000)], ops: ops({ at: 500, kind: 'write' }, { at: 500, kind: 'read' }, { at: 3000, kind: 'read' }, { at: 5500, kind: 'read' }) });
    // Acknowledged at 505, then nothing until the last op (5505).
    expect(new OutageChecker({ maxOutageMs: 100, maxOutageByKind: { 'cut-orchestrator-rabbitmq': 4900 } }).check({ history: h, load: [] }).valid).toBe(false);
    expect(new OutageChecker({ maxOutageMs: 100, maxOutageByKind: { 'cut-orchestrator-rabbitmq': 5000 } }).check({ history: h, load: [] }).valid).toBe(true);
    expect(new OutageChecker().check({ history: history(), load: [] }).valid).toBe('unknown');
  });

  it('cannot measure a window no client was active in (UNKNOWN), and ends windows at the last operation', () => {
    const h = history({ faults: [fault('isolate-slave', 0, 1000), fault('isolate-slave', 9000, 1000)], ops: ops({ at: 100, kind: 'write' }, { at: 200, kind: 'read' }) });
    const v = new OutageChecker({ maxOutageMs: 1000 }).check({ history: h, load: [] });
    expect(v.valid).toBe('unknown');
    expect(v.summary).toMatch(/no write during it/);
    // The first window is measured up to the last op (205), not to its end with the grace (6000).
    expect(v.thresholds[0]).toMatchObject({ actual: 105, pass: true });
  });

  it('longestGap counts the whole span when nothing succeeded', () => {
    expect(longestGap([], 'write', { from: T0, to: T0 + 1234 })).toBe(1234);
  });
});
