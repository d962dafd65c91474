import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redactSettings, redactUrl } from './redact';
import { syntheticReport } from './synthetic-report';
import { reportDirName, writeReport } from './write-report';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'report-test-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('directory name: UTC timestamp then a safe scenario slug', () => {
  expect(reportDirName({ startedAt: Date.UTC(2025, 0, 15, 10, 0, 3, 456), scenario: 'Master Crash/../x' })).toBe('2025-01-15T10-00-03Z-master-crash-x');
});

test('writes json, md and html; the json holds the report and its summary, with secrets redacted', () => {
  const report = syntheticReport({ seed: 1 });
  const w = writeReport(report, { root });
  expect(path.dirname(w.dir)).toBe(root);
  expect(path.basename(w.dir)).toBe('2025-01-15T10-00-00Z-master-crash-demo');
  for (const f of [w.json, w.markdown, w.html]) expect(fs.statSync(f).size).toBeGreaterThan(1000);
  const json = JSON.parse(fs.readFileSync(w.json, 'utf8'));
  expect(json.scenario).toBe(report.scenario);
  expect(json.history.ops).toHaveLength(report.history.ops.length);
  expect(json.summary.counts.all.total).toBe(report.history.ops.length);
  expect(json.summary.faults).toHaveLength(2);
  expect(json.settings.DBAAS_TOKEN).toBe('***');
  expect(json.settings.RABBITMQ_URL).toBe('amqp://guest:***@127.0.0.1:5672/harness-demo');
  for (const f of [w.json, w.markdown, w.html]) expect(fs.readFileSync(f, 'utf8')).not.toContain('demo-secret-token');
});

test('a second report of the same run gets its own directory', () => {
  const report = syntheticReport({ seed: 1, durationMs: 5000 });
  const a = writeReport(report, { root });
  const b = writeReport(report, { root });
  expect(b.dir).toBe(`${a.dir}-2`);
  expect(fs.existsSync(a.html) && fs.existsSync(b.html)).toBe(true);
});

test('redaction keeps what is not secret', () => {
  expect(redactUrl('http://127.0.0.1:80')).toBe('http://127.0.0.1:80');
  expect(redactSettings({ SCALE_INTERVAL_MS: '1000', MY_PASSWORD: 'x', DBAAS_TOKEN: '' })).toEqual({ SCALE_INTERVAL_MS: '1000', MY_PASSWORD: '***', DBAAS_TOKEN: '' });
});
