import { compareReports } from './compare';
import { renderCompareHtml, renderCompareMarkdown } from './compare-render';
import { syntheticReport } from './synthetic-report';
import type { ScenarioReport } from '../core/scenario-report';

const A = syntheticReport({ seed: 3 });
/** B: the same run with the saturation run's p99 half again as high and one checker failing. */
function worse(): ScenarioReport {
  const b = structuredClone(A);
  const sat = b.load.find((r) => r.rate === null)!;
  sat.latencyMs = { ...sat.latencyMs, p99: sat.latencyMs.p99 * 1.5 };
  b.verdicts = b.verdicts.map((v) => (v.checker === 'election' ? { ...v, valid: false } : v));
  return b;
}

test('the same run twice: no regression, every change 0 %', () => {
  const cmp = compareReports({ path: 'a', report: A }, { path: 'b', report: structuredClone(A) });
  expect(cmp.regressions).toBe(0);
  expect(cmp.metrics.filter((m) => m.changePct !== null).every((m) => m.changePct === 0)).toBe(true);
});

test('a p99 50 % higher and a checker that stopped passing are regressions beyond 10 %, not beyond 60 % (the checker still is)', () => {
  const b = worse();
  const cmp = compareReports({ path: 'a', report: A }, { path: 'b', report: b }, { thresholdPct: 10, maxErrorRisePoints: 1 });
  const p99 = cmp.metrics.find((m) => m.group.endsWith('saturation') && m.name === 'latency p99')!;
  expect(p99.changePct).toBeCloseTo(50);
  expect(p99.regression).toBe(true);
  expect(cmp.verdicts.find((v) => v.checker === 'election')).toMatchObject({ a: true, b: false, regression: true });
  expect(cmp.regressions).toBe(2);
  const loose = compareReports({ path: 'a', report: A }, { path: 'b', report: b }, { thresholdPct: 60, maxErrorRisePoints: 1 });
  expect(loose.regressions).toBe(1);
  const md = renderCompareMarkdown(cmp);
  expect(md).toMatch(/\| load: reads, saturation \| latency p99 \| .* \| \+50\.0 % \| WORSE \|/);
  expect(md).toContain('2 regression(s)');
  const html = renderCompareHtml(cmp);
  expect(html).toContain('<tr class="worse">');
  expect(html).toContain("default-src 'none'");
});

test('fixed-rate runs at different rates are judged on the share of their target kept, and a note says the rates differ', () => {
  const b = structuredClone(A);
  const fixed = b.load.find((r) => r.rate !== null)!;
  fixed.rate = fixed.rate! * 2;
  fixed.requestsPerSec = { ...fixed.requestsPerSec, mean: fixed.requestsPerSec.mean * 2 };
  const cmp = compareReports({ path: 'a', report: A }, { path: 'b', report: b });
  const rows = cmp.metrics.filter((m) => m.group === `load: ${fixed.label}`);
  expect(rows.find((m) => m.name === 'requests/s')).toMatchObject({ better: 'info', regression: false });
  expect(rows.find((m) => m.name === 'share of the target rate kept')?.changePct).toBeCloseTo(0);
  expect(cmp.notes.join(' ')).toMatch(/different rates/);
});
