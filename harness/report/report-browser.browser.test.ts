import fs from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { ScenarioReport } from '../core/scenario-report';
import { LocalEnvironment } from '../environment/local-environment';
import { runScenario } from '../runner/run-scenario';
import { load } from '../scenarios/load';
import { masterCrash } from '../scenarios/master-crash';
import { DEFAULT_OPTIONS } from '../scenarios/scenario';
import { startLiveServer } from './live-server';
import { writeReport } from './write-report';

/*
 * The reports in a real browser (Debian's chromium, headless, driven by puppeteer-core): a load run's report, a
 * master-crash run's report, and the live view during that master-crash run. Each chart must have drawn data (paths
 * the browser laid out with a length, bars with a width), not merely exist; screenshots go to reports/browser/ for
 * people to look at (reports/ is kept out of git).
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = path.resolve(__dirname, '../../reports/browser');

interface ChartInk {
  id: string;
  /** Data paths with a laid-out length, and the points (coordinate pairs) they hold. */
  paths: number;
  points: number;
  /** Bars with a width (bar charts). */
  bars: number;
}

/** What each chart of the page drew, measured by the browser. */
async function chartInk(page: Page): Promise<ChartInk[]> {
  return page.$$eval('figure', (figures) =>
    figures.map((f) => {
      const paths = [...f.querySelectorAll('svg path.data')].filter((p) => (p as unknown as { getTotalLength(): number }).getTotalLength() > 0);
      const points = paths.reduce((n, p) => n + (p.getAttribute('d')?.match(/-?\d+(\.\d+)?,-?\d+(\.\d+)?/g)?.length ?? 0), 0);
      const bars = [...f.querySelectorAll('svg rect.bar')].filter((r) => (r as unknown as { getBBox(): { width: number } }).getBBox().width > 0).length;
      return { id: f.id.replace(/^chart-/, ''), paths: paths.length, points, bars };
    }),
  );
}

function expectInk(ink: ChartInk[], ids: string[]): void {
  expect(ink.map((c) => c.id)).toEqual(expect.arrayContaining(ids));
  for (const c of ink) {
    // A time chart or the distribution: at least one path with several points; a bar chart: its bars.
    if (c.bars === 0) expect({ id: c.id, drawn: c.paths > 0 && c.points >= 3 }).toEqual({ id: c.id, drawn: true });
    else expect(c.bars).toBeGreaterThan(0);
  }
}

async function openReport(browser: Browser, report: ScenarioReport, shot: string): Promise<ChartInk[]> {
  const written = writeReport(report, { root: path.join(SHOTS, 'runs') });
  const page = await browser.newPage();
  await page.setViewport({ width: 1240, height: 900 });
  await page.goto(`file://${written.html}`, { waitUntil: 'load' });
  await page.screenshot({ path: path.join(SHOTS, shot), fullPage: true });
  const ink = await chartInk(page);
  await page.close();
  return ink;
}

let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
});

afterAll(async () => {
  await browser?.close();
});

test('a load run: throughput, request latency over time and the latency distribution are drawn, phases marked', async () => {
  const report = await runScenario(load, { ...DEFAULT_OPTIONS, durationS: 8, rate: 100 }, { environment: new LocalEnvironment(), progress: () => undefined });
  expect(report.history.loadSeconds!.length).toBeGreaterThanOrEqual(6);
  expect(report.history.loadPhases!.map((p) => `${p.label}/${p.loop}`)).toEqual(['fixed rate/open', 'saturation/closed']);
  const ink = await openReport(browser, report, 'load-report.png');
  expectInk(ink, ['workers', 'throughput', 'latency-load', 'errors', 'latency-distribution', 'load-rate', 'load-latency']);
  // The fixed-rate phase drew its open-loop and its closed-loop distribution, and saturation its own.
  expect(ink.find((c) => c.id === 'latency-distribution')!.paths).toBe(3);
});

test('a master-crash run, watched live: the live page fills its charts while the run goes, fault windows included', async () => {
  const live = await startLiveServer({ port: 0, updateMs: 500, title: 'master-crash' });
  const page = await browser.newPage();
  await page.setViewport({ width: 1240, height: 900 });
  let liveInk: ChartInk[] = [];
  let liveFaults = 0;
  const run = runScenario(masterCrash, { ...DEFAULT_OPTIONS, durationS: 12, rate: 30 }, { environment: new LocalEnvironment(), progress: () => undefined, observe: live.attach });
  try {
    await page.goto(live.url, { waitUntil: 'load' });
    // Until the first fault window shows on the live page (the run kills the master twice in its 12 s).
    await page.waitForSelector('#chart-workers rect.fault-band', { timeout: 150_000 });
    await page.waitForFunction("document.querySelectorAll('figure').length >= 6", { timeout: 10_000 });
    liveInk = await chartInk(page);
    liveFaults = await page.$$eval('#chart-workers rect.fault-band', (r) => r.length);
    await page.screenshot({ path: path.join(SHOTS, 'live-master-crash.png'), fullPage: true });
  } finally {
    const report = await run;
    await live.close('the run is over');
    await page.close();
    const ink = await openReport(browser, report, 'master-crash-report.png');
    expectInk(ink, ['workers', 'throughput', 'latency-read', 'latency-write', 'errors', 'latency-distribution']);
    expect(report.history.faults.length).toBe(2);
  }
  expect(liveFaults).toBeGreaterThanOrEqual(1);
  expectInk(liveInk, ['workers', 'throughput', 'latency-read', 'latency-write', 'errors', 'latency-distribution']);
});
