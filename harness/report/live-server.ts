import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScenarioReport } from '../core/scenario-report';
import { escapeHtml as e } from './escape';
import { distributionChart, timeCharts, workloadSpan, type RenderedChart } from './report-charts';
import { cards } from './report-html';
import { summarizeHistory } from './summarize-history';

/*
 * The live view of a running scenario: an HTTP server on 127.0.0.1 whose page receives the report's charts through
 * server-sent events, drawn on the server from the run's history so far by the very code that draws the final
 * report. Fault windows and the workers by role show as the run sees them. It ends with the run; the final report is
 * still the self-contained file.
 */

export interface LiveServerOptions {
  port: number;
  /** How often the charts are drawn and sent. */
  updateMs: number;
  title: string;
}

export interface LiveUpdate {
  elapsedS: number;
  /** 'start-up' until the workload starts, then 'workload', then 'finishing' (checkers, stopping). */
  stage: string;
  cards: Array<[string, string]>;
  charts: Array<Pick<RenderedChart, 'id' | 'title' | 'caption' | 'svg'>>;
}

export interface LiveServer {
  url: string;
  /** Where the updates come from; until attached the page shows that the run is starting. */
  attach(snapshot: () => ScenarioReport): void;
  /** Sends one last update and a closing line, ends every stream and stops the server. */
  close(finalLine?: string): Promise<void>;
}

/** Draws one update from a snapshot of the run. */
export function liveUpdate(report: ScenarioReport, now = Date.now()): LiveUpdate {
  const started = report.workloadStartedAt !== undefined;
  const stage = !started ? 'start-up' : report.workloadEndedAt === undefined ? 'workload' : 'finishing';
  const { t0 } = workloadSpan(report);
  const summary = summarizeHistory(report.history, { startedAt: started ? t0 : report.startedAt, endedAt: report.workloadEndedAt ?? now });
  const charts = started ? [...timeCharts(report), distributionChart(report)] : [];
  return {
    elapsedS: (now - report.startedAt) / 1000,
    stage,
    cards: cards(report, summary).filter(([, label]) => label !== 'checkers passed'),
    charts: charts.map(({ id, title, caption, svg }) => ({ id, title, caption, svg })),
  };
}

const PAGE = (title: string) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} (live)</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1a1a1a;margin:0;background:#f6f7f9}
main{max-width:1160px;margin:0 auto;padding:24px}h1{font-size:24px;margin:0 0 4px}
#status{color:#555;font-size:14px}.live{display:inline-block;background:#b42318;color:#fff;border-radius:5px;padding:2px 10px;font-weight:700;margin-left:8px;font-size:15px}
.done .live{background:#555}
.figures{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}.fig{background:#fff;border:1px solid #dde;border-radius:8px;padding:8px 14px;min-width:130px}
.fig b{display:block;font-size:20px}.fig span{color:#555;font-size:13px}
figure{margin:14px 0 22px;background:#fff;border:1px solid #dde;border-radius:8px;padding:8px}figure svg{max-width:100%;height:auto;display:block}
figcaption{color:#555;font-size:13px;margin:4px 6px}
</style></head>
<body><main>
<h1>${e(title)} <span class="live">LIVE</span></h1>
<div id="status">connecting…</div>
<div class="figures" id="cards"></div>
<div id="charts"></div>
<script src="/live.js"></script>
</main></body></html>
`;

// The page's only script: it swaps in what the server drew. No chart code runs in the browser.
const SCRIPT = `'use strict';
const status = document.getElementById('status');
const events = new EventSource('/events');
function text(tag, value) { const el = document.createElement(tag); el.textContent = value; return el; }
function show(u) {
  status.textContent = u.stage + ' · ' + u.elapsedS.toFixed(0) + ' s since the run started · updated ' + new Date().toLocaleTimeString();
  const cards = document.getElementById('cards');
  cards.replaceChildren(...u.cards.map(([v, l]) => { const d = document.createElement('div'); d.className = 'fig'; d.append(text('b', v), text('span', l)); return d; }));
  const box = document.getElementById('charts');
  for (const c of u.charts) {
    let fig = document.getElementById('chart-' + c.id);
    if (!fig) {
      fig = document.createElement('figure');
      fig.id = 'chart-' + c.id;
      fig.append(document.createElement('div'), text('figcaption', c.caption));
      box.append(fig);
    }
    fig.firstChild.innerHTML = c.svg;
  }
}
events.onmessage = (m) => show(JSON.parse(m.data));
events.addEventListener('end', (m) => {
  events.close();
  document.body.classList.add('done');
  status.textContent = JSON.parse(m.data).line;
});
events.onerror = () => { if (events.readyState === EventSource.CLOSED) status.textContent += ' · disconnected'; };
`;

export async function startLiveServer(o: LiveServerOptions): Promise<LiveServer> {
  const clients = new Set<http.ServerResponse>();
  let snapshot: (() => ScenarioReport) | undefined;
  let last: string | undefined;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET') return void res.writeHead(405, { allow: 'GET' }).end('only GET\n');
    if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE(o.title));
    if (url.pathname === '/live.js') return void res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(SCRIPT);
    if (url.pathname === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      // A page that connects between two ticks sees the latest state at once.
      res.write(`retry: ${o.updateMs}\n\n`);
      if (last) res.write(`data: ${last}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  const send = () => {
    if (!snapshot) return;
    try {
      last = JSON.stringify(liveUpdate(snapshot()));
    } catch (err) {
      // A drawing failure must not end the run it watches; the page keeps the last good state.
      last = last ?? JSON.stringify({ elapsedS: 0, stage: `live view failed: ${(err as Error).message}`, cards: [], charts: [] });
    }
    for (const c of clients) c.write(`data: ${last}\n\n`);
  };
  const timer = setInterval(send, o.updateMs);
  timer.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    attach: (fn) => {
      snapshot = fn;
      send();
    },
    close: async (finalLine = 'the run is over') => {
      if (!server.listening) return;
      clearInterval(timer);
      send();
      // The closing event must reach the pages before the connections are cut.
      await Promise.all([...clients].map((c) => new Promise<void>((resolve) => c.end(`event: end\ndata: ${JSON.stringify({ line: finalLine })}\n\n`, () => resolve()))));
      clients.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
