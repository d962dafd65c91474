import type { ScenarioReport } from '../core/scenario-report';
import { renderBarChart } from './svg-bar-chart';
import { renderChart } from './svg-chart';
import { faultBands, latencySeries, makeBucketing, scaleTargetSeries, throughputSeries, workerCountSeries } from './time-series';

/*
 * The report's charts, drawn from a ScenarioReport. Every time chart shares the same x axis (seconds since the run
 * started) and shows the fault windows, so a reader can look down the page at one instant.
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
  reqs: '#3182bd',
};

export function timeCharts(report: ScenarioReport, width = 1100): RenderedChart[] {
  const { history } = report;
  const t0 = report.startedAt;
  const endS = Math.max(1, (report.endedAt - t0) / 1000);
  const xDomain: [number, number] = [0, endS];
  const bands = faultBands(history.faults, t0);
  const b = makeBucketing(t0, report.endedAt, 1000);
  const xLabel = 'time since start (s)';
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
      markers,
    }),
  });

  for (const kind of ['read', 'write'] as const) {
    const lat = latencySeries(history.ops, b, kind);
    const title = kind === 'read' ? 'Read latency' : 'Write latency';
    charts.push({
      id: `latency-${kind}`,
      title,
      caption: `p50 and p99 latency of acknowledged ${kind}s, per second of invocation (log scale; gaps: no ${kind} acknowledged in that second).`,
      svg: renderChart({
        id: `latency-${kind}`,
        title: `${title} (acknowledged ${kind}s, per second)`,
        xLabel,
        yLabel: 'latency (ms, log scale)',
        xDomain,
        width,
        height: 300,
        yScale: 'log',
        lines: [
          { name: 'p50', color: kind === 'read' ? COLORS.p50 : COLORS.wp50, xs: lat.xs, ys: lat.p50, width: 2 },
          { name: 'p99', color: kind === 'read' ? COLORS.p99 : COLORS.wp99, xs: lat.xs, ys: lat.p99, width: 2, dash: '5 3' },
        ],
        bands,
      }),
    });
  }

  const tp = throughputSeries(history.ops, b);
  charts.push({
    id: 'throughput',
    title: 'Throughput',
    caption: 'Operations invoked per second, stacked by outcome: ok (acknowledged), failed (the system said no), unknown (no answer or a timeout: it may have happened).',
    svg: renderChart({
      id: 'throughput',
      title: 'Throughput by outcome',
      xLabel,
      yLabel: 'operations / s',
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
    }),
  });
  // Failures are a few per second beside hundreds of successes: on their own scale they cannot be missed.
  charts.push({
    id: 'errors',
    title: 'Failed and unknown operations',
    caption: 'The failed and unknown operations of the chart above on their own scale (operations invoked per second).',
    svg: renderChart({
      id: 'errors',
      title: 'Failed and unknown operations',
      xLabel,
      yLabel: 'operations / s',
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
    }),
  });
  return charts;
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
