import fs from 'node:fs';
import path from 'node:path';
import type { SectionId } from './bench-options';
import { round, type Summary } from './stats';

/** One measured quantity, summarised over its trials (or samples: the section says which). */
export interface Figure {
  name: string;
  unit: string;
  summary: Summary;
}

/** A goal from the issue, with what this run measured; `met` is null when it was not measured. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

export interface ReportTable {
  title: string;
  header: string[];
  rows: Array<Array<string | number>>;
}

export interface SectionReport {
  id: SectionId;
  title: string;
  /** How it was measured. */
  method: string;
  /** The section's own parameters and the configuration overrides of the systems it started. */
  config: Record<string, unknown>;
  figures: Figure[];
  tables: ReportTable[];
  targets: TargetCheck[];
  notes: string[];
  /** Set when the section could not complete; its figures are then partial. */
  error?: string;
  durationS: number;
}

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  memoryMb: number;
  loadAverageAtStart: number[];
}

export interface BenchReport {
  startedAt: string;
  endedAt: string;
  machine: MachineInfo;
  options: Record<string, unknown>;
  sections: SectionReport[];
}

export function emptySection(id: SectionId, title: string, method: string): SectionReport {
  return { id, title, method, config: {}, figures: [], tables: [], targets: [], notes: [], durationS: 0 };
}

function cell(v: string | number): string {
  const text = typeof v === 'number' ? (Number.isFinite(v) ? String(round(v)) : '-') : v;
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(header: string[], rows: Array<Array<string | number>>): string[] {
  return [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function metText(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'met' : '**missed**';
}

/** The report for people: machine and options, the targets at a glance, then each section's figures. */
export function renderMarkdown(r: BenchReport): string {
  const out: string[] = [];
  out.push(`# Benchmark report`, '');
  out.push(`Run from ${r.startedAt} to ${r.endedAt}.`, '');
  out.push(
    `Machine: ${r.machine.cores} cores (${r.machine.cpuModel}), ${r.machine.memoryMb} MiB, ${r.machine.platform}, Node ${r.machine.node}; ` +
      `load average at start ${r.machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' / ')}.`,
    '',
  );
  out.push(`Options: \`${JSON.stringify(r.options)}\``, '');
  const targets = r.sections.flatMap((s) => s.targets.map((t) => [s.title, t.target, t.measured, metText(t.met)]));
  if (targets.length) {
    out.push('## Targets', '', ...table(['section', 'target', 'measured', 'verdict'], targets), '');
  }
  for (const s of r.sections) {
    out.push(`## ${s.title}`, '');
    if (s.error) out.push(`**Failed:** ${s.error}`, '');
    out.push(s.method, '');
    out.push(`Configuration: \`${JSON.stringify(s.config)}\`; took ${Math.round(s.durationS)} s.`, '');
    if (s.figures.length) {
      out.push(
        ...table(
          ['figure', 'unit', 'n', 'min', 'median', 'p90', 'p99', 'max'],
          s.figures.map((f) => [f.name, f.unit, f.summary.n, f.summary.min, f.summary.median, f.summary.p90, f.summary.p99, f.summary.max]),
        ),
        '',
      );
    }
    for (const t of s.tables) out.push(`${t.title}:`, '', ...table(t.header, t.rows), '');
    for (const n of s.notes) out.push(`- ${n}`);
    if (s.notes.length) out.push('');
  }
  return out.join('\n');
}

/** Writes bench.json and bench.md into `dir`; returns their paths. */
export function writeReport(dir: string, r: BenchReport): { json: string; md: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'bench.json');
  const md = path.join(dir, 'bench.md');
  fs.writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  fs.writeFileSync(md, renderMarkdown(r));
  return { json, md };
}
