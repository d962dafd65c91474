import { percentile } from '../bench/stats';
import type { FaultWindow, LoadPhase, LoadSecond, OpKind, Operation, ScaleTick, TopologySample } from '../core/history';

/*
 * Turns a history into per-bucket series for the charts. Times on the x axis are seconds since the run's start.
 * Operations are bucketed by invocation time (as Jepsen's plots do), so a failed or unknown operation lines up with
 * the fault that caused it, even when its timeout fired seconds later.
 */

export interface Bucketing {
  /** Epoch ms of the first bucket's start. */
  t0: number;
  bucketMs: number;
  count: number;
}

export function makeBucketing(t0: number, t1: number, bucketMs = 1000): Bucketing {
  if (!(bucketMs > 0)) throw new Error(`bucketMs must be positive, got ${bucketMs}`);
  return { t0, bucketMs, count: Math.max(1, Math.ceil((t1 - t0) / bucketMs)) };
}

/** The bucket a time falls in: [start, start + bucketMs). Times outside the span go to the first or last bucket. */
export function bucketIndex(b: Bucketing, at: number): number {
  const i = Math.floor((at - b.t0) / b.bucketMs);
  return Math.min(b.count - 1, Math.max(0, i));
}

/** Start of each bucket in seconds since t0. */
export function bucketStartsS(b: Bucketing): number[] {
  return Array.from({ length: b.count }, (_, i) => (i * b.bucketMs) / 1000);
}

export interface ThroughputSeries {
  /** Bucket starts, s. */
  xs: number[];
  /** Operations per second invoked in each bucket, by outcome. */
  ok: number[];
  failed: number[];
  unknown: number[];
}

export function throughputSeries(ops: Operation[], b: Bucketing): ThroughputSeries {
  const zeros = () => new Array<number>(b.count).fill(0);
  const s: ThroughputSeries = { xs: bucketStartsS(b), ok: zeros(), failed: zeros(), unknown: zeros() };
  const perOp = 1000 / b.bucketMs;
  for (const op of ops) s[op.outcome][bucketIndex(b, op.startedAt)] += perOp;
  return s;
}

export interface LatencySeries {
  /** Bucket midpoints, s: a point stands for the whole second it summarizes. */
  xs: number[];
  /** Per bucket, ms; null where the bucket holds no acknowledged operation (the chart leaves a gap). */
  p50: Array<number | null>;
  p90: Array<number | null>;
  p99: Array<number | null>;
  max: Array<number | null>;
}

/** Latency percentiles of acknowledged operations of one kind (or all kinds), per bucket. */
export function latencySeries(ops: Operation[], b: Bucketing, kind: OpKind | 'all'): LatencySeries {
  const buckets: number[][] = Array.from({ length: b.count }, () => []);
  for (const op of ops) {
    if ((kind === 'all' || op.kind === kind) && op.outcome === 'ok') buckets[bucketIndex(b, op.startedAt)].push(op.endedAt - op.startedAt);
  }
  const s: LatencySeries = { xs: bucketStartsS(b).map((x) => x + b.bucketMs / 2000), p50: [], p90: [], p99: [], max: [] };
  for (const lat of buckets) {
    lat.sort((x, y) => x - y);
    s.p50.push(lat.length ? percentile(lat, 50) : null);
    s.p90.push(lat.length ? percentile(lat, 90) : null);
    s.p99.push(lat.length ? percentile(lat, 99) : null);
    s.max.push(lat.length ? lat[lat.length - 1] : null);
  }
  return s;
}

/*
 * The same two series from a load run's per-second aggregates. Seconds are on the workload's grid, so each falls in
 * one bucket of a 1 s bucketing from the workload's start; should two share a bucket (a coarser bucketing), the
 * counts add up and each percentile shows the worse of the two (percentiles of different seconds cannot be merged).
 */
export function loadSecondsSeries(seconds: LoadSecond[], b: Bucketing): { throughput: ThroughputSeries; latency: LatencySeries } {
  const zeros = () => new Array<number>(b.count).fill(0);
  const nulls = () => new Array<number | null>(b.count).fill(null);
  const throughput: ThroughputSeries = { xs: bucketStartsS(b), ok: zeros(), failed: zeros(), unknown: zeros() };
  const latency: LatencySeries = { xs: bucketStartsS(b).map((x) => x + b.bucketMs / 2000), p50: nulls(), p90: nulls(), p99: nulls(), max: nulls() };
  const perReq = 1000 / b.bucketMs;
  const worse = (a: number | null, x: number | null) => (x === null ? a : a === null ? x : Math.max(a, x));
  for (const sec of seconds) {
    const i = bucketIndex(b, sec.at);
    throughput.ok[i] += sec.ok * perReq;
    throughput.failed[i] += sec.failed * perReq;
    for (const k of ['p50', 'p90', 'p99', 'max'] as const) latency[k][i] = worse(latency[k][i], sec[k]);
  }
  return { throughput, latency };
}

/** The load phases as bands on the time axis (s since t0). */
export function phaseBands(phases: LoadPhase[], t0: number): FaultBand[] {
  return phases.map((p) => ({ from: (p.startedAt - t0) / 1000, to: (p.endedAt - t0) / 1000, label: `${p.label} (${p.loop} loop)` }));
}

export interface WorkerCountSeries {
  /** Sample times, s since t0. */
  xs: number[];
  /** Ready workers holding each role, and workers not ready (starting, catching up, stopping, role unknown). */
  master: number[];
  slave: number[];
  other: number[];
}

/** Worker counts by role at each topology sample: a step function that holds until the next sample. */
export function workerCountSeries(samples: TopologySample[], t0: number): WorkerCountSeries {
  const s: WorkerCountSeries = { xs: [], master: [], slave: [], other: [] };
  for (const sample of [...samples].sort((a, b) => a.at - b.at)) {
    let master = 0;
    let slave = 0;
    let other = 0;
    for (const w of sample.workers) {
      if (w.state === 'ready' && w.role === 'master') master++;
      else if (w.state === 'ready' && w.role === 'slave') slave++;
      else other++;
    }
    s.xs.push((sample.at - t0) / 1000);
    s.master.push(master);
    s.slave.push(slave);
    s.other.push(other);
  }
  return s;
}

/** The autoscaler's wanted slave count after each tick, as a step series. */
export function scaleTargetSeries(ticks: ScaleTick[], t0: number): { xs: number[]; target: number[] } {
  const sorted = [...ticks].sort((a, b) => a.at - b.at);
  return { xs: sorted.map((t) => (t.at - t0) / 1000), target: sorted.map((t) => t.target) };
}

export interface FaultBand {
  /** s since t0. */
  from: number;
  to: number;
  label: string;
}

export function faultBands(faults: FaultWindow[], t0: number): FaultBand[] {
  return faults.map((f) => ({
    from: (f.startedAt - t0) / 1000,
    to: (f.endedAt - t0) / 1000,
    label: f.target ? `${f.kind} ${f.target}` : f.kind,
  }));
}
