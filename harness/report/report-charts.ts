import type { ScenarioReport } from '../core/scenario-report';
import { renderBarChart } from './svg-bar-chart';
import { renderChart } from './svg-chart';
import type { OpKind } from '../core/history';
import { nearestRank, spectrumOf, spectrumX, type SpectrumPoint } from '../core/spectrum';
import {
  faultBands,
  latencySeries,
  loadSecondsSeries,
  makeBucketing,
  phaseBands,
  scaleTargetSeries,
  throughputSeries,
  workerCountSeries,
  type Bucketing,
  type LatencySeries,
} from './time-series';

/*
 * The report's charts, drawn from a ScenarioReport. Every time chart shares the same x axis (seconds since the
 * workload started; start-up is left out) and shows the fault windows and the workload's phases, so a reader can look down the page at one instant.
 */

export interface RenderedChart {
  id: string;
  title: string;
  /** One line under the chart: how to read it. */
  caption: string;
  svg: string;
}

export const COLORS = {
  master: '#1f4e9c',
  slave: '#6baed6',
  notReady: '#bdbdbd',
  target: '#e6550d',
  ok: '#2ca02c',
  failed: '#d62728',
  unknown: '#ff9f1c',
  p50: '#3182bd',
  p99: '#08306b',
  wp50: '#e6550d',
  wp99: '#7f2704',
  p90: '#6baed6',
  max: '#777777',
  reqs: '#3182bd',
};

/** The span the time charts show (epoch ms): the workload's, so that start-up does not take the first seconds. */
export function workloadSpan(report: ScenarioReport): { t0: number; end: number } {
  const { history } = report;
  let first = Infinity;
  for (const o of history.ops) first = Math.min(first, o.startedAt);
  for (const p of history.loadPhases ?? []) first = Math.min(first, p.startedAt);
  const t0 = report.workloadStartedAt ?? (Number.isFinite(first) ? first : report.startedAt);
  const end = Math.max(t0 + 1000, report.workloadEndedAt ?? report.endedAt);
  return { t0, end };
}

/** Throughput and latency of the whole workload per bucket: its operations and its load runs' seconds together. */
function workloadSeries(report: ScenarioReport, b: Bucketing, kind: OpKind | 'all') {
  const tp = throughputSeries(kind === 'all' ? report.history.ops : report.history.ops.filter((o) => o.kind === kind), b);
  const lat = latencySeries(report.history.ops, b, kind);
  const seconds = report.history.loadSeconds ?? [];
  if (seconds.length && kind === 'all') {
    const load = loadSecondsSeries(seconds, b);
    for (let i = 0; i < b.count; i++) {
      tp.ok[i] += load.throughput.ok[i];
      tp.failed[i] += load.throughput.failed[i];
      for (const k of ['p50', 'p90', 'p99', 'max'] as const) {
        const a = lat[k][i];
        const x = load.latency[k][i];
        lat[k][i] = a === null ? x : x === null ? a : Math.max(a, x);
      }
    }
  }
  return { tp, lat };
}

export function timeCharts(report: ScenarioReport, width = 1100): RenderedChart[] {
  const { history } = report;
  const { t0, end } = workloadSpan(report);
  const endS = (end - t0) / 1000;
  const xDomain: [number, number] = [0, endS];
  const bands = faultBands(history.faults, t0);
  const phases = phaseBands(history.loadPhases ?? [], t0);
  const b = makeBucketing(t0, end, 1000);
  const xLabel = 'time since the workload started (s)';
  const charts: RenderedChart[] = [];

  const wc = workerCountSeries(history.topology, t0);
  const target = scaleTargetSeries(history.scaleTicks, t0);
  const markers = history.elections.map((e) => ({ x: (e.at - t0) / 1000, label: `master → ${e.newMasterPid}` }));
  charts.push({
    id: 'workers',
    title: 'Workers by role',
    caption: 'Workers seen in each topology sample, stacked: ready master, ready slaves, and workers not ready (starting, catching up, stopping).' +
      (target.xs.length ? ' The dashed line is what the autoscaler wanted: 1 master plus its target slaves.' : ''),
    svg: renderChart({
      id: 'workers',
      title: 'Workers by role',
      xLabel,
      yLabel: 'workers',
      xDomain,
      width,
      height: 300,
      integerTicks: true,
      yMinMax: 4,
      stacked: {
        xs: wc.xs,
        layers: [
          { name: 'master (ready)', color: COLORS.master, values: wc.master },
          { name: 'slaves (ready)', color: COLORS.slave, values: wc.slave },
          { name: 'not ready', color: COLORS.notReady, values: wc.other },
        ],
      },
      lines: target.xs.length
        ? [{ name: 'wanted (1 + target slaves)', color: COLORS.target, xs: target.xs, ys: target.target.map((t) => t + 1), step: true, dash: '6 4', width: 2.5 }]
        : [],
      bands,
      phases,
      markers,
    }),
  });

  const all = workloadSeries(report, b, 'all');
  const tp = all.tp;
  charts.push({
    id: 'throughput',
    title: 'Throughput',
    caption: 'Requests and operations invoked per second, stacked by outcome: ok (acknowledged), failed (the system said no, or no answer for a load request), unknown (no answer or a timeout: it may have happened).',
    svg: renderChart({
      id: 'throughput',
      title: 'Throughput by outcome',
      xLabel,
      yLabel: 'requests / s',
      xDomain,
      width,
      height: 300,
      stacked: {
        xs: tp.xs,
        layers: [
          { name: 'ok', color: COLORS.ok, values: tp.ok },
          { name: 'failed', color: COLORS.failed, values: tp.failed },
          { name: 'unknown', color: COLORS.unknown, values: tp.unknown },
        ],
      },
      bands,
      phases,
    }),
  });

  // One latency chart per stream that has data: the load runs' requests, reads, writes (and both empty ones for an
  // empty history, so that a run that did nothing shows it).
  const hasOps = (k: OpKind) => history.ops.some((o) => o.kind === k);
  const streams: Array<{ id: string; title: string; what: string; lat: LatencySeries; colors: [string, string] }> = [];
  if ((history.loadSeconds ?? []).length) {
    streams.push({ id: 'latency-load', title: 'Request latency', what: 'load requests (open loop from the scheduled start in a fixed-rate phase)', lat: loadSecondsSeries(history.loadSeconds ?? [], b).latency, colors: [COLORS.p50, COLORS.p99] });
  }
  const noLoad = streams.length === 0;
  for (const kind of ['read', 'write'] as const) {
    if (!hasOps(kind) && !noLoad) continue;
    streams.push({
      id: `latency-${kind}`,
      title: kind === 'read' ? 'Read latency' : 'Write latency',
      what: `acknowledged ${kind}s`,
      lat: workloadSeries(report, b, kind).lat,
      colors: kind === 'read' ? [COLORS.p50, COLORS.p99] : [COLORS.wp50, COLORS.wp99],
    });
  }
  for (const st of streams) {
    charts.push({
      id: st.id,
      title: st.title,
      caption: `p50, p90, p99 and max latency of ${st.what}, per second of invocation (log scale; gaps: nothing acknowledged in that second).`,
      svg: renderChart({
        id: st.id,
        title: `${st.title} (per second)`,
        xLabel,
        yLabel: 'latency (ms, log scale)',
        xDomain,
        width,
        height: 300,
        yScale: 'log',
        lines: [
          { name: 'p50', color: st.colors[0], xs: st.lat.xs, ys: st.lat.p50, width: 2 },
          { name: 'p90', color: COLORS.p90, xs: st.lat.xs, ys: st.lat.p90, width: 1.5 },
          { name: 'p99', color: st.colors[1], xs: st.lat.xs, ys: st.lat.p99, width: 2, dash: '5 3' },
          { name: 'max', color: COLORS.max, xs: st.lat.xs, ys: st.lat.max, width: 1, dash: '2 3' },
        ],
        bands,
        phases,
      }),
    });
  }

  // Failures are a few per second beside hundreds of successes: on their own scale they cannot be missed.
  charts.push({
    id: 'errors',
    title: 'Failed and unknown operations',
    caption: 'The failed and unknown requests and operations of the throughput chart on their own scale (per second of invocation).',
    svg: renderChart({
      id: 'errors',
      title: 'Failed and unknown operations',
      xLabel,
      yLabel: 'requests / s',
      xDomain,
      width,
      height: 220,
      integerTicks: true,
      yMinMax: 2,
      stacked: {
        xs: tp.xs,
        layers: [
          { name: 'failed', color: COLORS.failed, values: tp.failed },
          { name: 'unknown', color: COLORS.unknown, values: tp.unknown },
        ],
      },
      bands,
      phases,
    }),
  });
  return charts;
}

/** The latency distributions of the run: each load run (open and closed loop), or the reads and writes. */
export function distributionChart(report: ScenarioReport, width = 1100): RenderedChart {
  const series: Array<{ name: string; color: string; points: SpectrumPoint[]; dash?: string }> = [];
  const palette = [COLORS.p50, COLORS.wp50, '#31a354', '#756bb1'];
  report.load.forEach((r, i) => {
    const color = palette[i % palette.length];
    if (r.spectrum?.length) series.push({ name: `${r.label}${r.loop === 'open' ? ' (open loop)' : r.loop === 'closed' ? ' (closed loop)' : ''}`, color, points: r.spectrum });
    if (r.closedLoopSpectrum?.length) series.push({ name: `${r.label} (closed loop, same requests)`, color, points: r.closedLoopSpectrum, dash: '5 3' });
  });
  for (const kind of ['read', 'write'] as const) {
    const lat = report.history.ops.filter((o) => o.kind === kind && o.outcome === 'ok').map((o) => o.endedAt - o.startedAt).sort((a, b) => a - b);
    if (lat.length) series.push({ name: `${kind}s`, color: kind === 'read' ? COLORS.p50 : COLORS.wp50, points: spectrumOf(lat.length, (p) => nearestRank(lat, p)) });
  }
  // Wide enough for the finest percentile any series holds (its maximum is then drawn at the right edge).
  let finest = 0;
  for (const s of series) for (const pt of s.points) if (pt.p < 100) finest = Math.max(finest, -Math.log10(1 - pt.p / 100));
  const decades = Math.min(6, Math.max(2, Math.ceil(finest + 0.05)));
  const xTicks = Array.from({ length: decades + 1 }, (_, i) => i);
  return {
    id: 'latency-distribution',
    title: 'Latency distribution',
    caption:
      'Latency by percentile (HdrHistogram\'s percentile spectrum): the x axis is logarithmic in 1 / (1 − percentile), so each step right is ten times rarer (90 %, 99 %, 99.9 %); the right end of a line is its maximum.' +
      (series.some((x) => x.dash) ? ' Dashed: the same requests timed closed loop (from the send, as autocannon does).' : ''),
    svg: renderChart({
      id: 'latency-distribution',
      title: 'Latency distribution (percentile spectrum)',
      xLabel: 'percentile',
      yLabel: 'latency (ms, log scale)',
      xDomain: [0, decades],
      xTicks,
      xTickLabel: (v) => (v === 0 ? '0 %' : `${Number((100 * (1 - 10 ** -v)).toPrecision(8))} %`),
      width,
      height: 320,
      yScale: 'log',
      lines: series.map((s) => ({
        name: s.name,
        color: s.color,
        xs: s.points.map((p) => spectrumX(p.p, decades)),
        ys: s.points.map((p) => p.ms),
        width: 2,
        ...(s.dash ? { dash: s.dash } : {}),
      })),
    }),
  };
}

/** Two bar charts comparing the load runs: request rate, and latency percentiles. */
export function loadCharts(report: ScenarioReport): RenderedChart[] {
  if (report.load.length === 0) return [];
  const rate = renderBarChart({
    title: 'Request rate',
    xLabel: 'requests / s',
    rows: report.load.map((r) => ({
      label: r.label,
      bars: [
        { name: 'mean', value: r.requestsPerSec.mean, color: COLORS.reqs },
        ...(r.rate !== null ? [{ name: 'target', value: r.rate, color: COLORS.notReady }] : []),
      ],
    })),
  });
  const latency = renderBarChart({
    title: 'Latency',
    xLabel: 'latency (ms)',
    unit: 'ms',
    rows: report.load.map((r) => ({
      label: r.label,
      bars: [
        { name: 'p50', value: r.latencyMs.p50, color: COLORS.p50 },
        { name: 'p99', value: r.latencyMs.p99, color: COLORS.p99 },
      ],
    })),
  });
  return [
    { id: 'load-rate', title: 'Request rate', caption: 'Mean requests per second of each run (grey: the target rate).', svg: rate },
    { id: 'load-latency', title: 'Latency', caption: 'Median and 99th percentile latency of each run.', svg: latency },
  ];
}
