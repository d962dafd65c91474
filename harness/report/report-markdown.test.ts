import { renderMarkdown } from './report-markdown';
import { summarizeHistory } from './summarize-history';
import { syntheticReport } from './synthetic-report';

const report = syntheticReport({ seed: 5 });
const summary = summarizeHistory(report.history, { startedAt: report.startedAt, endedAt: report.endedAt });

test('every verdict and threshold appears with its result', () => {
  const md = renderMarkdown(report, summary);
  for (const v of report.verdicts) {
    expect(md).toContain(`| ${v.checker} | ${v.valid ? 'PASS' : 'FAIL'} |`);
    for (const t of v.thresholds) expect(md).toContain(`| ${t.name} |`);
  }
  expect(md.split('\n')[0]).toBe(`# master-crash-demo: ${report.valid ? 'PASS' : 'FAIL'}`);
});

test('faults and load runs are listed', () => {
  const md = renderMarkdown(report, summary);
  expect(md).toContain('| kill-master | pid 1001 | 20.0 s |');
  expect(md).toContain('| kill-slave | pid 1011 | 47.0 s |');
  for (const r of report.load) expect(md).toContain(`| ${r.label} |`);
});

test('a pipe or newline in a cell does not break the table', () => {
  const md = renderMarkdown({ ...report, verdicts: [{ checker: 'a|b', valid: true, summary: 'line1\nline2 | x', thresholds: [] }] }, summary);
  const row = md.split('\n').find((l) => l.startsWith('| a'));
  expect(row).toBe('| a\\|b | PASS | line1 line2 \\| x |');
});
