import { validityWord } from '../core/checker';
import type { ScenarioReport } from '../core/scenario-report';
import { escapeMarkdownCell as c } from './escape';
import { fmtActual, fmtMs, fmtNum, fmtPct, fmtRelS } from './format';
import type { HistorySummary } from './summarize-history';
import { startUpLine } from './report-html';
import { loadTotals } from './load-totals';

/*
 * report.md: the report as text, for a pull request comment or a terminal. Same figures as the HTML, no charts.
 */

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.map((x) => c(x)).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

export function renderMarkdown(report: ScenarioReport, s: HistorySummary): string {
  const out: string[] = [];
  const passed = report.verdicts.filter((v) => v.valid === true).length;
  out.push(`# ${report.scenario}: ${validityWord(report.valid)}`, '');
  out.push(report.description, '');
  out.push(
    `- started: ${new Date(report.startedAt).toISOString()}, lasted ${fmtNum((report.endedAt - report.startedAt) / 1000)} s, environment \`${report.environment}\``,
    `- machine: ${report.machine.cores} cores, ${report.machine.memoryMb} MB, node ${report.machine.node}, ${report.machine.platform}`,
    `- checkers: ${passed}/${report.verdicts.length} passed`,
    `- ${startUpLine(report)}`,
    ...(s.counts.all.total === 0 && report.load.length
      ? [`- load requests: ${loadTotals(report).requests}, error share ${fmtPct(loadTotals(report).errorShare)} (see Load)`]
      : [`- operations: ${s.counts.all.total} (${s.counts.all.ok} ok, ${s.counts.all.failed} failed, ${s.counts.all.unknown} unknown), ${fmtNum(s.throughput.okPerSec)} ok/s`]),
    `- faults: ${s.faults.length}, elections: ${s.elections}`,
    '',
  );

  out.push('## Verdicts', '');
  out.push(table(['checker', 'result', 'summary'], report.verdicts.map((v) => [v.checker, validityWord(v.valid), v.summary])), '');
  const thresholds = report.verdicts.flatMap((v) => v.thresholds.map((t) => [v.checker, t.name, fmtActual(t.actual, t.unit), t.limit, t.pass ? 'pass' : 'FAIL']));
  if (thresholds.length) out.push('### Thresholds', '', table(['checker', 'threshold', 'actual', 'limit', 'result'], thresholds), '');

  // A load run has no client operations: its requests are in the Load section.
  if (s.counts.all.total > 0 || report.load.length === 0) {
    out.push('## Operations', '');
    out.push(
      table(
        ['kind', 'total', 'ok', 'failed', 'unknown', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
        (['read', 'write', 'all'] as const).map((k) => {
          const n = s.counts[k];
          const l = s.latencyMs[k];
          return [k, n.total, n.ok, n.failed, n.unknown, fmtMs(l.p50), fmtMs(l.p90), fmtMs(l.p99), fmtMs(l.max)];
        }),
      ),
      '',
      'Latency percentiles are of acknowledged operations.',
      '',
    );
  }

  out.push('## Faults', '');
  if (s.faults.length === 0) out.push('No fault was injected.', '');
  else {
    out.push(
      table(
        ['fault', 'target', 'at', 'lasted ms', 'availability', 'reads ok', 'writes ok', 'longest write gap ms', 'note'],
        s.faults.map((f) => [
          f.kind,
          f.target ?? '',
          fmtRelS(f.startMs),
          fmtMs(f.durationMs),
          fmtPct(f.availability),
          fmtPct(f.readAvailability),
          fmtPct(f.writeAvailability),
          fmtMs(f.maxOkWriteGapMs),
          f.note ?? '',
        ]),
      ),
      '',
    );
  }

  if (report.load.length) {
    out.push('## Load', '');
    out.push(
      table(
        ['run', 'loop', 'target req/s', 'connections', 'duration s', 'mean req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'closed-loop p50 / p99 ms', 'requests', 'errors', 'timeouts', 'non-2xx'],
        report.load.map((r) => [
          r.label,
          r.loop ?? 'closed',
          r.rate === null ? 'max' : fmtNum(r.rate),
          r.connections,
          fmtNum(r.durationS),
          fmtNum(r.requestsPerSec.mean),
          fmtMs(r.latencyMs.p50),
          fmtMs(r.latencyMs.p90),
          fmtMs(r.latencyMs.p99),
          fmtMs(r.latencyMs.max),
          r.closedLoopLatencyMs ? `${fmtMs(r.closedLoopLatencyMs.p50)} / ${fmtMs(r.closedLoopLatencyMs.p99)}` : '–',
          r.requests,
          r.errors,
          r.timeouts,
          r.non2xx,
        ]),
      ),
      '',
      'Open loop: requests on an even schedule, timed from their scheduled start (a server that falls behind is charged for the wait). Closed loop: timed from the send; for an open-loop run, the same requests timed that way.',
      '',
    );
  }

  out.push('## Options', '');
  const opts = Object.entries(report.options);
  out.push(opts.length ? table(['option', 'value'], opts.map(([k, v]) => [k, `\`${JSON.stringify(v)}\``])) : 'none', '');
  const settings = Object.entries(report.settings);
  if (settings.length) out.push('## Settings', '', table(['variable', 'value'], settings.map(([k, v]) => [k, `\`${v}\``])), '');
  out.push('Charts: report.html. Full history: report.json.', '');
  return out.join('\n');
}
