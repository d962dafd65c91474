import { FaultEffectChecker } from './fault-effect-checker';
import { fault, history } from './test-fixtures';

describe('FaultEffectChecker', () => {
  it('passes when every checked fault took effect, ignoring faults that do not check', () => {
    const h = history({ faults: [{ ...fault('cut-master-zookeeper', 0, 100, 7), inEffect: true }, fault('kill-master', 200, 100, 8)] });
    const v = new FaultEffectChecker().check({ history: h, load: [] });
    expect(v.valid).toBe(true);
    expect(v.thresholds).toHaveLength(1);
  });

  it('fails a fault whose effect was not seen, quoting its note', () => {
    const h = history({ faults: [{ ...fault('isolate-slave', 0, 100, 9), inEffect: false, note: 'effect NOT seen within 20000 ms: PID 9 leaves /workers' }] });
    const v = new FaultEffectChecker().check({ history: h, load: [] });
    expect(v.valid).toBe(false);
    expect(v.summary).toMatch(/isolate-slave of 9 .* did not take effect: effect NOT seen/);
  });

  it('cannot judge a history without checked faults', () => {
    expect(new FaultEffectChecker().check({ history: history({ faults: [fault('kill-slave', 0, 10, 3)] }), load: [] }).valid).toBe('unknown');
  });
});
