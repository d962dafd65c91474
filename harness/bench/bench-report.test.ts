import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptySection, renderMarkdown, writeReport, type BenchReport } from './bench-report';
import { summarize } from './stats';

function report(): BenchReport {
  const failover = emptySection('failover', 'Failover', 'Kill the master, time the first write.');
  failover.config = { trials: 3 };
  failover.figures.push({ name: 'kill to first write', unit: 'ms', summary: summarize([900, 1200, 700]) });
  failover.targets.push({ target: 'median under 1 s', measured: 'median 900 ms', met: true }, { target: 'max under 2 s | strict', measured: 'max 1200 ms', met: false });
  failover.tables.push({ title: 'Ratios', header: ['a', 'b'], rows: [[1.23456, NaN]] });
  failover.notes.push('noisy machine');
  failover.durationS = 12.4;
  const broken = emptySection('catchup', 'Catch-up', 'did not complete');
  broken.error = 'no master';
  return {
    startedAt: '2025-01-31T12:00:00.000Z',
    endedAt: '2025-01-31T12:10:00.000Z',
    machine: { cores: 2, cpuModel: 'Test CPU', node: 'v20.0.0', platform: 'linux', memoryMb: 1024, loadAverageAtStart: [1, 0.5, 0.25] },
    options: { quick: true },
    sections: [failover, broken],
  };
}

test('markdown shows the machine, the targets with verdicts, and each figure\'s min, median, p90 and max', () => {
  const md = renderMarkdown(report());
  expect(md).toContain('Machine: 2 cores (Test CPU)');
  expect(md).toContain('| Failover | median under 1 s | median 900 ms | met |');
  // A pipe inside a cell must not break the table.
  expect(md).toContain('| Failover | max under 2 s \\| strict | max 1200 ms | **missed** |');
  expect(md).toContain('| figure | unit | n | min | median | p90 | p99 | max |');
  expect(md).toContain('| kill to first write | ms | 3 | 700 | 900 | 1200 | 1200 | 1200 |');
  expect(md).toContain('| 1.23 | - |');
  expect(md).toContain('- noisy machine');
  expect(md).toContain('took 12 s');
  expect(md).toContain('**Failed:** no master');
});

test('writeReport writes bench.json and bench.md', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
  try {
    const files = writeReport(path.join(dir, 'out'), report());
    const json = JSON.parse(fs.readFileSync(files.json, 'utf8')) as BenchReport;
    expect(json.sections[0].figures[0].summary.median).toBe(900);
    expect(fs.readFileSync(files.md, 'utf8')).toContain('# Benchmark report');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
