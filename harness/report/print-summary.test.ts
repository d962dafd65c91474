import { formatSummary, formatTable } from './print-summary';
import { summarizeHistory } from './summarize-history';
import { syntheticReport } from './synthetic-report';

const report = syntheticReport({ seed: 2, durationMs: 30_000 });
const summary = summarizeHistory(report.history, { startedAt: report.startedAt, endedAt: report.endedAt });

test('tables are aligned: every line of a table has the same width', () => {
  const t = formatTable(['a', 'long header'], [['1', '2'], ['333333333333333', '4']], ['left', 'right']);
  const widths = new Set(t.split('\n').map((l) => l.length));
  expect(widths.size).toBe(1);
  expect(t).toContain('│ 333333333333333 │           4 │');
});

test('the summary names every checker and threshold, with a result', () => {
  const out = formatSummary(report, summary);
  for (const v of report.verdicts) {
    expect(out).toMatch(new RegExp(`│ ${v.checker} +│ ${v.valid ? 'PASS' : 'FAIL'} `));
    for (const t of v.thresholds) expect(out).toContain(t.name);
  }
  expect(out.split('\n')[0]).toMatch(/^master-crash-demo: (PASS|FAIL) {2}\(30 s, local, \d+ ops/);
  expect(out).toContain('fault kill-master pid 1001 at 20 s');
  expect(out).not.toContain('\x1b[');
});

test('colour codes only when asked, without breaking alignment', () => {
  const out = formatSummary(report, summary, { color: true });
  expect(out).toContain('\x1b[32mPASS\x1b[0m');
  const table = out.split('\n').filter((l) => l.startsWith('│') || l.startsWith('┌'));
  // eslint-disable-next-line no-control-regex
  const visible = new Set(table.slice(0, 6).map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').length));
  expect(visible.size).toBe(1);
});
