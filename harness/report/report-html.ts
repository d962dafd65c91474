import { validityWord } from '../core/checker';
import type { ScenarioReport } from '../core/scenario-report';
import { escapeHtml as e } from './escape';
import { fmtActual, fmtMs, fmtNum, fmtPct, fmtRelS } from './format';
import { distributionChart, loadCharts, timeCharts, workloadSpan, type RenderedChart } from './report-charts';
import { loadTotals } from './load-totals';
import type { HistorySummary } from './summarize-history';

/*
 * report.html: one self-contained file (inline CSS and SVG, no script, no external resource; a CSP forbids loading
 * anything) that a person opens from disk or from a CI artifact and reads top-down: verdict, thresholds, charts,
 * faults, load, then the run's settings.
 */

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1a1a1a;margin:0;background:#f6f7f9}
main{max-width:1160px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555;font-size:14px}.desc{margin:8px 0 0}
.badge{display:inline-block;padding:4px 14px;border-radius:6px;font-weight:700;color:#fff;font-size:18px;vertical-align:middle;margin-left:10px}
.pass{background:#1e7b34}.fail{background:#b42318}.unknown{background:#8a6d00}
.figures{display:flex;flex-wrap:wrap;gap:10px;margin-top:16px}
.fig{background:#fff;border:1px solid #dde;border-radius:8px;padding:8px 14px;min-width:130px}
.fig b{display:block;font-size:20px}.fig span{color:#555;font-size:13px}
table{border-collapse:collapse;background:#fff;font-size:14px;margin:6px 0}
th,td{border:1px solid #d8dbe0;padding:5px 10px;text-align:left;vertical-align:top}
th{background:#eef0f4}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.lim{white-space:nowrap}
table.verdicts{width:100%}table.verdicts td:first-child{width:42%}
tr.ok td.res{background:#dcf3e2;color:#14532d;font-weight:700}tr.bad td.res{background:#fde2e0;color:#8a1c12;font-weight:700}
tr.bad{background:#fff6f5}tr.unk td.res{background:#fdf3c8;color:#6b5200;font-weight:700}
figure{margin:14px 0 22px;background:#fff;border:1px solid #dde;border-radius:8px;padding:8px}
figure svg{max-width:100%;height:auto;display:block}
figcaption{color:#555;font-size:13px;margin:4px 6px}
.bars{display:flex;flex-wrap:wrap;gap:12px}.bars figure{margin:6px 0}
details{margin:8px 0}summary{cursor:pointer;font-weight:600}
code{background:#eef0f4;padding:1px 4px;border-radius:3px}
`;

function verdictRows(report: ScenarioReport): string {
  const rows: string[] = [];
  for (const v of report.verdicts) {
    const cls = v.valid === true ? 'ok' : v.valid === false ? 'bad' : 'unk';
    const span = Math.max(1, v.thresholds.length);
    const head = `<td rowspan="${span}"><b>${e(v.checker)}</b><br><span class="meta">${e(v.summary)}</span></td>`;
    if (v.thresholds.length === 0) {
      rows.push(`<tr class="${cls}">${head}<td colspan="3">no thresholds</td><td class="res">${validityWord(v.valid)}</td></tr>`);
      continue;
    }
    v.thresholds.forEach((t, i) => {
      rows.push(
        `<tr class="${t.pass ? 'ok' : 'bad'}">${i === 0 ? head : ''}<td>${e(t.name)}</td><td class="num">${e(fmtActual(t.actual, t.unit))}</td><td class="lim">${e(t.limit)}</td><td class="res">${t.pass ? 'PASS' : 'FAIL'}</td></tr>`,
      );
    });
  }
  return `<table class="verdicts"><thead><tr><th>checker</th><th>threshold</th><th>actual</th><th>limit</th><th>result</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function opsTable(s: HistorySummary): string {
  const row = (name: string, k: 'read' | 'write' | 'all') => {
    const c = s.counts[k];
    const l = s.latencyMs[k];
    return `<tr><td>${name}</td><td class="num">${c.total}</td><td class="num">${c.ok}</td><td class="num">${c.failed}</td><td class="num">${c.unknown}</td><td class="num">${fmtPct(c.total ? c.ok / c.total : null)}</td><td class="num">${fmtMs(l.p50)}</td><td class="num">${fmtMs(l.p90)}</td><td class="num">${fmtMs(l.p99)}</td><td class="num">${fmtMs(l.max)}</td></tr>`;
  };
  return `<table><thead><tr><th>kind</th><th>total</th><th>ok</th><th>failed</th><th>unknown</th><th>ok share</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th></tr></thead><tbody>${row('reads', 'read')}${row('writes', 'write')}${row('all', 'all')}</tbody></table>
<p class="meta">Latency of acknowledged operations. Throughput: ${fmtNum(s.throughput.okPerSec)} ok ops/s (${fmtNum(s.throughput.readsOkPerSec)} reads, ${fmtNum(s.throughput.writesOkPerSec)} writes) over ${fmtNum(s.durationMs / 1000)} s.</p>`;
}

function faultsTable(s: HistorySummary): string {
  if (s.faults.length === 0) return '<p>No fault was injected.</p>';
  const rows = s.faults.map(
    (f) =>
      `<tr><td>${e(f.kind)}</td><td>${e(f.target ?? '')}</td><td class="num">${fmtRelS(f.startMs)}</td><td class="num">${fmtMs(f.durationMs)}</td><td class="num">${fmtPct(f.availability)}</td><td class="num">${fmtPct(f.readAvailability)}</td><td class="num">${fmtPct(f.writeAvailability)}</td><td class="num">${fmtMs(f.maxOkWriteGapMs)}</td><td>${e(f.note ?? '')}</td></tr>`,
  );
  return `<table><thead><tr><th>fault</th><th>target</th><th>at</th><th>lasted ms</th><th>availability</th><th>reads ok</th><th>writes ok</th><th>longest write gap ms</th><th>note</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="meta">Availability: share of the operations invoked during the window that were acknowledged. Longest write gap: the longest time without an acknowledged write around the window.</p>`;
}

function loadSection(report: ScenarioReport, charts: RenderedChart[]): string {
  if (report.load.length === 0) return '';
  const rows = report.load.map((r) => {
    const closed = r.closedLoopLatencyMs;
    return `<tr><td>${e(r.label)}</td><td>${e(r.loop ?? 'closed')}</td><td class="num">${r.rate === null ? 'max' : fmtNum(r.rate)}</td><td class="num">${r.connections}</td><td class="num">${fmtNum(r.durationS)}</td><td class="num">${fmtNum(r.requestsPerSec.mean)}</td><td class="num">${fmtMs(r.latencyMs.p50)}</td><td class="num">${fmtMs(r.latencyMs.p90)}</td><td class="num">${fmtMs(r.latencyMs.p99)}</td><td class="num">${fmtMs(r.latencyMs.max)}</td><td class="num">${closed ? `${fmtMs(closed.p50)} / ${fmtMs(closed.p99)}` : '–'}</td><td class="num">${r.requests}</td><td class="num">${r.errors}</td><td class="num">${r.timeouts}</td><td class="num">${r.non2xx}</td></tr>`;
  });
  return `<h2>Load</h2><table><thead><tr><th>run</th><th>loop</th><th>target req/s</th><th>conns</th><th>s</th><th>mean req/s</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th><th>closed-loop p50 / p99 ms</th><th>requests</th><th>errors</th><th>timeouts</th><th>non-2xx</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p class="meta">Open loop: requests sent on an even schedule and timed from their scheduled start, so a server that falls behind is charged for the wait (no coordinated omission). Closed loop: timed from the send; beside an open-loop run, the same requests timed that way.</p>
<div class="bars">${charts.map(figure).join('')}</div>`;
}

/** The cards at the top: a load run's figures when the run was a load run, else the operations'. */
export function cards(report: ScenarioReport, summary: HistorySummary): Array<[string, string]> {
  const passed = report.verdicts.filter((v) => v.valid === true).length;
  const out: Array<[string, string]> = [[`${passed}/${report.verdicts.length}`, 'checkers passed']];
  if (report.load.length) {
    const t = loadTotals(report);
    out.push([String(t.requests), 'requests']);
    for (const r of report.load) {
      out.push([`${fmtNum(r.requestsPerSec.mean, 0)}/s`, `${r.label}: requests/s${r.rate ? ` (target ${r.rate})` : ''}`]);
      out.push([`${fmtMs(r.latencyMs.p50)} / ${fmtMs(r.latencyMs.p99)} ms`, `${r.label}: p50 / p99${r.loop === 'open' ? ' (open loop)' : ''}`]);
    }
    out.push([fmtPct(t.errorShare), 'error share']);
  }
  if (summary.counts.all.total > 0 || report.load.length === 0) {
    out.push(
      [String(summary.counts.all.total), 'operations'],
      [fmtPct(summary.counts.all.total ? summary.counts.all.ok / summary.counts.all.total : null), 'acknowledged'],
      [`${summary.counts.all.unknown}`, 'unknown outcome'],
      [`${fmtNum(summary.throughput.okPerSec)}/s`, 'ok throughput'],
      [`${fmtMs(summary.latencyMs.read.p99)} ms`, 'read p99'],
      [`${fmtMs(summary.latencyMs.write.p99)} ms`, 'write p99'],
    );
  }
  out.push([String(summary.faults.length), 'faults'], [String(summary.elections), 'elections']);
  return out;
}

/** One line on what came before the workload (it is left off the time axis). */
export function startUpLine(report: ScenarioReport): string {
  const { t0 } = workloadSpan(report);
  const ready = report.history.topology.find((s) => s.at <= t0 && s.workers.some((w) => w.role === 'master' && w.state === 'ready'));
  const readyS = ready ? ` (first ready master seen at ${fmtNum((ready.at - report.startedAt) / 1000)} s)` : '';
  return `Start-up: the system took ${fmtNum((t0 - report.startedAt) / 1000)} s from the run's start to the workload's start${readyS}; the time axis starts with the workload.`;
}

function figure(c: RenderedChart): string {
  return `<figure id="chart-${e(c.id)}">${c.svg}<figcaption>${e(c.caption)}</figcaption></figure>`;
}

function kvTable(obj: Record<string, unknown>): string {
  const entries = Object.entries(obj);
  if (entries.length === 0) return '<p class="meta">none</p>';
  return `<table>${entries.map(([k, v]) => `<tr><th>${e(k)}</th><td><code>${e(typeof v === 'string' ? v : JSON.stringify(v))}</code></td></tr>`).join('')}</table>`;
}

export function renderHtml(report: ScenarioReport, summary: HistorySummary): string {
  const time = timeCharts(report);
  const load = loadCharts(report);
  const fig = (value: string, label: string) => `<div class="fig"><b>${e(value)}</b><span>${e(label)}</span></div>`;
  const started = new Date(report.startedAt).toISOString();
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(report.scenario)}: ${validityWord(report.valid)}</title>
<style>${CSS}</style></head>
<body><main>
<h1>${e(report.scenario)} <span class="badge ${report.valid === true ? 'pass' : report.valid === false ? 'fail' : 'unknown'}">${validityWord(report.valid)}</span></h1>
<div class="meta">${e(started)} · ${fmtNum((report.endedAt - report.startedAt) / 1000)} s · environment <b>${e(report.environment)}</b> · ${report.machine.cores} cores, ${e(report.machine.node)}, ${e(report.machine.platform)}</div>
<p class="desc">${e(report.description)}</p>
<div class="figures">
${cards(report, summary).map(([v, l]) => fig(v, l)).join('\n')}
</div>
<h2>Verdicts and thresholds</h2>
${verdictRows(report)}
<h2>Over time</h2>
<p class="meta">${e(startUpLine(report))} Shaded in red: fault windows, from injection until the nemesis saw the system healed. Tinted in violet along the bottom: the workload's phases.</p>
${time.map(figure).join('\n')}
<h2>Latency distribution</h2>
${figure(distributionChart(report))}
${summary.counts.all.total === 0 && report.load.length ? '' : `<h2>Operations</h2>\n${opsTable(summary)}`}
<h2>Faults</h2>
${faultsTable(summary)}
${loadSection(report, load)}
<h2>Run</h2>
<details open><summary>Scenario options</summary>${kvTable(report.options)}</details>
<details><summary>System settings</summary>${kvTable(report.settings)}</details>
<details><summary>Machine</summary>${kvTable(report.machine)}</details>
<p class="meta">The full history (every operation, fault, topology sample) is in report.json beside this file.</p>
</main></body></html>
`;
}
