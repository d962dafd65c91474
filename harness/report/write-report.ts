import fs from 'node:fs';
import path from 'node:path';
import type { ScenarioReport } from '../core/scenario-report';
import { redactSettings } from './redact';
import { renderHtml } from './report-html';
import { renderMarkdown } from './report-markdown';
import { summarizeHistory, type HistorySummary } from './summarize-history';

/*
 * Writes one run's report directory: reports/<timestamp>-<scenario>/{report.json, report.md, report.html}.
 * report.json is the ScenarioReport (settings redacted) plus the computed summary, so tools need not recompute it;
 * it is compact (one line): a history holds thousands of operations, and `jq` formats it for people.
 */

export interface WrittenReport {
  dir: string;
  json: string;
  markdown: string;
  html: string;
  summary: HistorySummary;
}

export interface WriteOptions {
  /** Parent directory; default `reports` under the current directory. */
  root?: string;
}

/** 2024-05-01T12-03-04Z-master-crash: sorts by time, safe on every file system. */
export function reportDirName(report: Pick<ScenarioReport, 'startedAt' | 'scenario'>): string {
  const stamp = new Date(report.startedAt).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  const slug = report.scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'scenario';
  return `${stamp}-${slug}`;
}

export function writeReport(report: ScenarioReport, options: WriteOptions = {}): WrittenReport {
  const root = path.resolve(options.root ?? 'reports');
  fs.mkdirSync(root, { recursive: true });
  // Two runs of one scenario within a second get distinct directories rather than overwriting each other.
  const base = path.join(root, reportDirName(report));
  let dir = base;
  for (let n = 2; fs.existsSync(dir); n++) dir = `${base}-${n}`;
  fs.mkdirSync(dir);

  const safe: ScenarioReport = { ...report, settings: redactSettings(report.settings) };
  // Rates and fault times are the workload's, like the charts' time axis: start-up and teardown are not part of it.
  const summary = summarizeHistory(report.history, { startedAt: report.workloadStartedAt ?? report.startedAt, endedAt: report.workloadEndedAt ?? report.endedAt });
  const files = { json: path.join(dir, 'report.json'), markdown: path.join(dir, 'report.md'), html: path.join(dir, 'report.html') };
  fs.writeFileSync(files.json, JSON.stringify({ ...safe, summary }) + '\n');
  fs.writeFileSync(files.markdown, renderMarkdown(safe, summary));
  fs.writeFileSync(files.html, renderHtml(safe, summary));
  return { dir, ...files, summary };
}
