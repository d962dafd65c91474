import { percentile } from '../bench/stats';
import type { FaultKind, History, OpKind, Operation, Outcome } from '../core/history';

/*
 * The figures a person looks for first in a history, computed once and stored in report.json beside the raw history
 * so that tools need not recompute them. Pure: a history in, numbers out.
 */

export interface OutcomeCounts {
  ok: number;
  failed: number;
  unknown: number;
  total: number;
}

/** Latency of acknowledged (ok) operations, in ms; failures and timeouts are counted, not timed. */
export interface LatencySummary {
  n: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export interface FaultWindowSummary {
  kind: FaultKind;
  target?: string;
  note?: string;
  /** Relative to the span's start, ms. */
  startMs: number;
  endMs: number;
  durationMs: number;
  /** Operations invoked while the fault lasted. */
  reads: OutcomeCounts;
  writes: OutcomeCounts;
  /** ok / total of the operations invoked in the window, or null when none was. */
  availability: number | null;
  readAvailability: number | null;
  writeAvailability: number | null;
  /** Longest time without an acknowledged write while clients wrote, among the gaps that touch the window (ms);
   * null without writes. */
  maxOkWriteGapMs: number | null;
}

export interface HistorySummary {
  /** The span the rates are computed over (epoch ms). */
  startedAt: number;
  endedAt: number;
  durationMs: number;
  counts: Record<OpKind | 'all', OutcomeCounts>;
  /** Operations per second over the span, all outcomes and acknowledged only. */
  throughput: { opsPerSec: number; okPerSec: number; readsOkPerSec: number; writesOkPerSec: number };
  latencyMs: Record<OpKind | 'all', LatencySummary>;
  faults: FaultWindowSummary[];
  elections: number;
  topologySamples: number;
  /** Largest number of workers of each role seen in one sample. */
  maxWorkers: { master: number; slave: number };
}

export function emptyCounts(): OutcomeCounts {
  return { ok: 0, failed: 0, unknown: 0, total: 0 };
}

export function countOutcomes(ops: Iterable<Operation>): OutcomeCounts {
  const c = emptyCounts();
  for (const op of ops) {
    c[op.outcome satisfies Outcome]++;
    c.total++;
  }
  return c;
}

export function latencySummary(ops: Operation[]): LatencySummary {
  const sorted = ops
    .filter((o) => o.outcome === 'ok')
    .map((o) => o.endedAt - o.startedAt)
    .sort((a, b) => a - b);
  if (sorted.length === 0) return { n: 0, p50: null, p90: null, p99: null, max: null };
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

const ratio = (c: OutcomeCounts): number | null => (c.total === 0 ? null : c.ok / c.total);

/**
 * The longest interval without an acknowledged write that overlaps [from, to], counted only while clients were writing:
 * from the first write's invocation, through each acknowledgement, to the last write attempt's end. (Not to the run's
 * end: a workload that stopped writing is not an outage.)
 */
export function maxOkWriteGap(ops: Operation[], from: number, to: number): number | null {
  const writes = ops.filter((o) => o.kind === 'write');
  if (writes.length === 0) return null;
  let first = Infinity;
  let last = -Infinity;
  for (const w of writes) {
    first = Math.min(first, w.startedAt);
    last = Math.max(last, w.endedAt);
  }
  const acks = writes
    .filter((o) => o.outcome === 'ok')
    .map((o) => o.endedAt)
    .sort((a, b) => a - b);
  const points = [first, ...acks, last];
  let max = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (b >= from && a <= to) max = Math.max(max, b - a);
  }
  return max;
}

export interface SummaryOptions {
  /** Span of the run (epoch ms); defaults to the first invocation and the last completion. */
  startedAt?: number;
  endedAt?: number;
}

export function summarizeHistory(history: History, options: SummaryOptions = {}): HistorySummary {
  const { ops } = history;
  // Loops, not Math.min(...spread): a long run's history is larger than the engine's argument limit.
  let first = Infinity;
  let last = -Infinity;
  for (const o of ops) {
    first = Math.min(first, o.startedAt);
    last = Math.max(last, o.endedAt);
  }
  const startedAt = options.startedAt ?? (ops.length ? first : 0);
  const endedAt = options.endedAt ?? (ops.length ? last : startedAt);
  const durationMs = Math.max(0, endedAt - startedAt);
  const reads = ops.filter((o) => o.kind === 'read');
  const writes = ops.filter((o) => o.kind === 'write');
  const counts = { read: countOutcomes(reads), write: countOutcomes(writes), all: countOutcomes(ops) };
  const perSec = (n: number) => (durationMs > 0 ? n / (durationMs / 1000) : 0);

  const faults = history.faults.map((f): FaultWindowSummary => {
    const inside = ops.filter((o) => o.startedAt >= f.startedAt && o.startedAt <= f.endedAt);
    const r = countOutcomes(inside.filter((o) => o.kind === 'read'));
    const w = countOutcomes(inside.filter((o) => o.kind === 'write'));
    const all = countOutcomes(inside);
    return {
      kind: f.kind,
      ...(f.target !== undefined ? { target: f.target } : {}),
      ...(f.note !== undefined ? { note: f.note } : {}),
      startMs: f.startedAt - startedAt,
      endMs: f.endedAt - startedAt,
      durationMs: f.endedAt - f.startedAt,
      reads: r,
      writes: w,
      availability: ratio(all),
      readAvailability: ratio(r),
      writeAvailability: ratio(w),
      maxOkWriteGapMs: maxOkWriteGap(writes, f.startedAt, f.endedAt),
    };
  });

  const maxWorkers = { master: 0, slave: 0 };
  for (const s of history.topology) {
    maxWorkers.master = Math.max(maxWorkers.master, s.workers.filter((w) => w.role === 'master').length);
    maxWorkers.slave = Math.max(maxWorkers.slave, s.workers.filter((w) => w.role === 'slave').length);
  }

  return {
    startedAt,
    endedAt,
    durationMs,
    counts,
    throughput: {
      opsPerSec: perSec(counts.all.total),
      okPerSec: perSec(counts.all.ok),
      readsOkPerSec: perSec(counts.read.ok),
      writesOkPerSec: perSec(counts.write.ok),
    },
    latencyMs: { read: latencySummary(reads), write: latencySummary(writes), all: latencySummary(ops) },
    faults,
    elections: history.elections.length,
    topologySamples: history.topology.length,
    maxWorkers,
  };
}
