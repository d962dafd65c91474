import { renderHtml } from './report-html';
import { summarizeHistory } from './summarize-history';
import { syntheticReport } from './synthetic-report';

const report = syntheticReport({ seed: 3 });
const summary = summarizeHistory(report.history, { startedAt: report.startedAt, endedAt: report.endedAt });

test('one svg per chart: five time charts, the latency distribution and two load charts', () => {
  const html = renderHtml(report, summary);
  expect(html.match(/<svg /g)).toHaveLength(8);
  expect(html.match(/<figure /g)).toHaveLength(8);
  for (const id of ['workers', 'latency-read', 'latency-write', 'throughput', 'errors', 'latency-distribution', 'load-rate', 'load-latency']) {
    expect(html).toContain(`id="chart-${id}"`);
  }
});

test('without load runs there is no load section', () => {
  const html = renderHtml({ ...report, load: [] }, summary);
  expect(html.match(/<svg /g)).toHaveLength(6);
  expect(html).not.toContain('<h2>Load</h2>');
});

test('self-contained: no script, no external URL, a CSP that forbids loading', () => {
  const html = renderHtml(report, summary);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/https?:\/\//);
  expect(html).not.toMatch(/(src|href)=/i);
  expect(html).toContain(`content="default-src 'none'`);
});

test('every fault is shaded and labelled on every time chart', () => {
  const html = renderHtml(report, summary);
  // 2 faults × 5 time charts.
  expect(html.match(/class="fault-band"/g)).toHaveLength(10);
  expect(html.match(/class="fault-label"[^>]*>kill-master pid 1001</g)).toHaveLength(5);
});

test('every threshold is in the table, coloured by its result', () => {
  const html = renderHtml(report, summary);
  for (const v of report.verdicts) for (const t of v.thresholds) expect(html).toContain(t.name.replace(/[&<>]/g, ''));
  const failing = report.verdicts.flatMap((v) => v.thresholds).filter((t) => !t.pass).length;
  expect(html.match(/<tr class="bad">/g)?.length ?? 0).toBe(failing);
});

test('text from the run is escaped', () => {
  const evil = '<img src=x onerror="alert(1)">';
  const html = renderHtml(
    {
      ...report,
      scenario: `<script>alert(1)</script>`,
      description: evil,
      options: { note: evil },
      verdicts: [{ checker: 'c&c', valid: false, summary: evil, thresholds: [{ name: evil, actual: evil, limit: '<1', pass: false }] }],
      valid: false,
    },
    summary,
  );
  expect(html).not.toContain('<script>');
  expect(html).not.toContain('<img');
  expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  expect(html).toContain('c&amp;c');
  expect(html).toContain('&lt;1');
});
