import { validityWord, type Validity } from '../core/checker';
import type { ScenarioReport } from '../core/scenario-report';
import { fmtActual, fmtMs, fmtNum, fmtPct } from './format';
import { loadTotals } from './load-totals';
import type { HistorySummary } from './summarize-history';

/*
 * The terminal view of a run, printed by the CLI at the end: a verdict table with each threshold, then the key
 * figures. Plain text that survives a CI log; colour only when asked (a TTY).
 */

export interface PrintOptions {
  color?: boolean;
  /** Wrap long summaries at this width; default 60 characters. */
  summaryWidth?: number;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const visible = (s: string) => s.replace(ANSI, '').length;

/** A box-drawn table; cells may hold ANSI colour codes (they do not count toward the width). */
export function formatTable(headers: string[], rows: string[][], align: Array<'left' | 'right'> = []): string {
  const widths = headers.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ''))));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(widths[i] - visible(s));
    return align[i] === 'right' ? fill + s : s + fill;
  };
  const rule = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  const line = (cells: string[]) => '│' + cells.map((s, i) => ` ${pad(s ?? '', i)} `).join('│') + '│';
  return [rule('┌', '┬', '┐'), line(headers), rule('├', '┼', '┤'), ...rows.map(line), rule('└', '┴', '┘')].join('\n');
}

function wrap(text: string, width: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur || lines.length === 0) lines.push(cur);
  return lines;
}

export function formatSummary(report: ScenarioReport, s: HistorySummary, options: PrintOptions = {}): string {
  const paint = (code: number, t: string) => (options.color ? `\x1b[${code}m${t}\x1b[0m` : t);
  const verdictWord = (v: Validity) => paint(v === true ? 32 : v === false ? 31 : 33, validityWord(v));
  const width = options.summaryWidth ?? 60;

  const rows: string[][] = [];
  for (const v of report.verdicts) {
    const summary = wrap(v.summary, width);
    rows.push([v.checker, verdictWord(v.valid), summary[0], '', '', '']);
    for (const more of summary.slice(1)) rows.push(['', '', more, '', '', '']);
    for (const t of v.thresholds) rows.push(['', '', `  ${t.name}`, fmtActual(t.actual, t.unit), t.limit, verdictWord(t.pass)]);
  }
  const verdicts = formatTable(['checker', 'result', 'summary / threshold', 'actual', 'limit', ''], rows);

  const a = s.counts.all;
  const figures = formatTable(
    ['', 'total', 'ok', 'failed', 'unknown', 'p50 ms', 'p99 ms', 'max ms'],
    (['read', 'write', 'all'] as const).map((k) => [
      k,
      String(s.counts[k].total),
      String(s.counts[k].ok),
      String(s.counts[k].failed),
      String(s.counts[k].unknown),
      fmtMs(s.latencyMs[k].p50),
      fmtMs(s.latencyMs[k].p99),
      fmtMs(s.latencyMs[k].max),
    ]),
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  );
  const lines = [
    `${report.scenario}: ${verdictWord(report.valid)}  (${fmtNum((report.endedAt - report.startedAt) / 1000)} s, ${report.environment}, ` +
      (a.total === 0 && report.load.length
        ? `${loadTotals(report).requests} load requests, ${fmtPct(loadTotals(report).errorShare)} failed, `
        : `${a.total} ops, ${fmtPct(a.total ? a.ok / a.total : null)} ok, ${fmtNum(s.throughput.okPerSec)} ok/s, `) +
      `${s.faults.length} faults, ${s.elections} elections)`,
    verdicts,
    // A load run has no client operations: its requests are on the `load` lines below.
    ...(a.total === 0 && report.load.length ? [] : [figures]),
  ];
  for (const f of s.faults) {
    lines.push(`  fault ${f.kind}${f.target ? ` ${f.target}` : ''} at ${fmtNum(f.startMs / 1000)} s for ${fmtMs(f.durationMs)} ms: availability ${fmtPct(f.availability)}, longest write gap ${fmtMs(f.maxOkWriteGapMs)} ms`);
  }
  for (const r of report.load) {
    const loop = r.loop === 'open' && r.closedLoopLatencyMs ? ` (open loop; closed loop, same requests: p50 ${fmtMs(r.closedLoopLatencyMs.p50)} ms, p99 ${fmtMs(r.closedLoopLatencyMs.p99)} ms)` : '';
    lines.push(`  load ${r.label}: ${fmtNum(r.requestsPerSec.mean)} req/s, p50 ${fmtMs(r.latencyMs.p50)} ms, p99 ${fmtMs(r.latencyMs.p99)} ms${loop}, ${r.errors + r.non2xx} errors`);
  }
  return lines.join('\n');
}
