import { escapeHtml as e, escapeMarkdownCell as c } from './escape';
import type { Comparison, MetricRow } from './compare';
import { verdictWord } from './compare';
import { fmtMs, fmtNum } from './format';

/* The comparison of two runs as Markdown (a pull request comment, a terminal) and as one self-contained HTML page. */

function value(m: MetricRow, v: number | null): string {
  if (v === null) return '–';
  if (m.unit === 'ms') return `${fmtMs(v)} ms`;
  if (m.unit === '%') return `${v.toFixed(2)} %`;
  if (m.unit === '') return fmtNum(v, 3);
  return `${fmtNum(v)} ${m.unit}`;
}

function change(m: MetricRow): string {
  if (m.unit === '%' && m.a !== null && m.b !== null) return `${m.b - m.a >= 0 ? '+' : ''}${(m.b - m.a).toFixed(2)} pts`;
  if (m.changePct === null) return '–';
  return `${m.changePct >= 0 ? '+' : ''}${m.changePct.toFixed(1)} %`;
}

function judgement(m: MetricRow): string {
  if (m.better === 'info') return 'shown';
  if (m.regression) return 'WORSE';
  if (m.changePct === null && m.unit !== '%') return '–';
  return 'ok';
}

const when = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function renderCompareMarkdown(cmp: Comparison): string {
  const out: string[] = [];
  const line = (cells: string[]) => `| ${cells.map(c).join(' | ')} |`;
  out.push(`# Compare: ${cmp.a.scenario} (A) → ${cmp.b.scenario} (B)`, '');
  out.push(`- A: \`${cmp.a.path}\` (${when(cmp.a.startedAt)}, ${verdictWord(cmp.a.valid)})`);
  out.push(`- B: \`${cmp.b.path}\` (${when(cmp.b.startedAt)}, ${verdictWord(cmp.b.valid)})`);
  out.push(
    `- judged: B worse than A by more than ${cmp.thresholdPct} % (throughput, latency p50/p90/p99) or ${cmp.maxErrorRisePoints} percentage point(s) (error shares), or a checker that passed in A and not in B`,
  );
  out.push(`- result: ${cmp.regressions === 0 ? 'no regression' : `${cmp.regressions} regression(s)`}`, '');
  for (const n of cmp.notes) out.push(`> ${n}`, '');
  out.push('## Figures', '');
  out.push(line(['group', 'figure', 'A', 'B', 'change', 'judged']), '|---|---|---|---|---|---|');
  for (const m of cmp.metrics) out.push(line([m.group, m.name, value(m, m.a), value(m, m.b), change(m), judgement(m)]));
  out.push('', '## Verdicts', '');
  out.push(line(['checker', 'A', 'B', 'judged']), '|---|---|---|---|');
  for (const v of cmp.verdicts) out.push(line([v.checker, verdictWord(v.a), verdictWord(v.b), v.regression ? 'WORSE' : 'ok']));
  out.push('');
  return out.join('\n');
}

const CSS = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1a1a1a;margin:0;background:#f6f7f9}
main{max-width:1160px;margin:0 auto;padding:24px}h1{font-size:24px;margin:0 0 8px}h2{font-size:20px;margin:28px 0 10px;border-bottom:1px solid #ddd}
.meta{color:#555;font-size:14px}.note{background:#fff8e1;border-left:4px solid #e0a800;padding:6px 10px;margin:8px 0}
.badge{display:inline-block;padding:4px 14px;border-radius:6px;font-weight:700;color:#fff;font-size:17px;margin-left:10px}
.pass{background:#1e7b34}.fail{background:#b42318}
table{border-collapse:collapse;background:#fff;font-size:14px;margin:6px 0;width:100%}
th,td{border:1px solid #d8dbe0;padding:5px 10px;text-align:left}th{background:#eef0f4}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.worse td{background:#fde2e0}tr.worse td.j{color:#8a1c12;font-weight:700}tr.better td.chg{color:#14532d;font-weight:600}tr.info td{color:#666}
code{background:#eef0f4;padding:1px 4px;border-radius:3px}
`;

export function renderCompareHtml(cmp: Comparison): string {
  const rows = cmp.metrics.map((m) => {
    const better = m.changePct !== null && m.better !== 'info' && (m.better === 'higher' ? m.changePct > 0 : m.changePct < 0);
    const cls = m.regression ? 'worse' : m.better === 'info' ? 'info' : better ? 'better' : '';
    return `<tr class="${cls}"><td>${e(m.group)}</td><td>${e(m.name)}</td><td class="num">${e(value(m, m.a))}</td><td class="num">${e(value(m, m.b))}</td><td class="num chg">${e(change(m))}</td><td class="j">${e(judgement(m))}</td></tr>`;
  });
  const verdicts = cmp.verdicts.map(
    (v) => `<tr class="${v.regression ? 'worse' : ''}"><td>${e(v.checker)}</td><td>${e(verdictWord(v.a))}</td><td>${e(verdictWord(v.b))}</td><td class="j">${v.regression ? 'WORSE' : 'ok'}</td></tr>`,
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>compare ${e(cmp.a.scenario)}: ${cmp.regressions === 0 ? 'no regression' : `${cmp.regressions} regression(s)`}</title>
<style>${CSS}</style></head><body><main>
<h1>Compare ${e(cmp.a.scenario)} runs <span class="badge ${cmp.regressions === 0 ? 'pass' : 'fail'}">${cmp.regressions === 0 ? 'no regression' : `${cmp.regressions} regression(s)`}</span></h1>
<div class="meta">A: <code>${e(cmp.a.path)}</code> (${e(when(cmp.a.startedAt))}, ${e(verdictWord(cmp.a.valid))})<br>B: <code>${e(cmp.b.path)}</code> (${e(when(cmp.b.startedAt))}, ${e(verdictWord(cmp.b.valid))})</div>
<p class="meta">Judged: B worse than A by more than ${cmp.thresholdPct} % (throughput, latency p50/p90/p99) or ${cmp.maxErrorRisePoints} percentage point(s) (error shares), or a checker that passed in A and not in B. Rows in grey are shown, not judged (maximum latency is one request).</p>
${cmp.notes.map((n) => `<p class="note">${e(n)}</p>`).join('\n')}
<h2>Figures</h2>
<table id="figures"><thead><tr><th>group</th><th>figure</th><th>A</th><th>B</th><th>change</th><th>judged</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<h2>Verdicts</h2>
<table id="verdicts"><thead><tr><th>checker</th><th>A</th><th>B</th><th>judged</th></tr></thead><tbody>${verdicts.join('')}</tbody></table>
</main></body></html>
`;
}
