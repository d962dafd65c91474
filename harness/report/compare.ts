import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { validityWord, type Validity } from '../core/checker';
import type { ScenarioReport } from '../core/scenario-report';
import { loadTotals } from './load-totals';
import { summarizeHistory } from './summarize-history';

/*
 * Compares two runs (report.json of each): throughput, latency percentiles, error share and verdicts side by side,
 * with the difference in per cent, and says which figures got worse beyond a threshold, so that a run on one commit
 * can gate a run on the next. Pure apart from reading the two files.
 */

/** What a report.json must hold to be compared (older reports lack the newer optional fields; that is fine). */
const percentilesSchema = z.object({ p50: z.number(), p90: z.number(), p97_5: z.number().optional(), p99: z.number(), max: z.number() });
const reportSchema = z
  .object({
    scenario: z.string(),
    startedAt: z.number(),
    endedAt: z.number(),
    options: z.record(z.string(), z.unknown()).default({}),
    history: z.object({ ops: z.array(z.object({ kind: z.enum(['read', 'write']), outcome: z.enum(['ok', 'failed', 'unknown']), startedAt: z.number(), endedAt: z.number() }).passthrough()) }).passthrough(),
    load: z
      .array(
        z
          .object({
            label: z.string(),
            rate: z.number().nullable(),
            requestsPerSec: z.object({ mean: z.number() }).passthrough(),
            latencyMs: percentilesSchema,
            closedLoopLatencyMs: percentilesSchema.optional(),
            requests: z.number(),
            errors: z.number(),
            timeouts: z.number(),
            non2xx: z.number(),
            loop: z.enum(['open', 'closed']).optional(),
          })
          .passthrough(),
      )
      .default([]),
    verdicts: z.array(z.object({ checker: z.string(), valid: z.union([z.boolean(), z.literal('unknown')]) }).passthrough()),
    valid: z.union([z.boolean(), z.literal('unknown')]),
  })
  .passthrough();

export class CompareInputError extends Error {}

/** Reads a run: a report directory or its report.json. */
export function readRun(where: string): { path: string; report: ScenarioReport } {
  const file = fs.existsSync(where) && fs.statSync(where).isDirectory() ? path.join(where, 'report.json') : where;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CompareInputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = reportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CompareInputError(`${file} is not a scenario report: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return { path: file, report: parsed.data as unknown as ScenarioReport };
}

/** higher: more is better (throughput); lower: less is better (latency, errors); info: shown, never judged. */
export type Better = 'higher' | 'lower' | 'info';

export interface MetricRow {
  group: string;
  name: string;
  unit: string;
  a: number | null;
  b: number | null;
  /** (b - a) / a, as a percentage; null when either is missing or a is 0. */
  changePct: number | null;
  better: Better;
  /** B is worse than A beyond the threshold. */
  regression: boolean;
}

export interface VerdictRow {
  checker: string;
  a: Validity | null;
  b: Validity | null;
  /** Passed in A, did not pass in B (failed, unknown or missing). */
  regression: boolean;
}

export interface Comparison {
  a: { path: string; scenario: string; startedAt: number; options: Record<string, unknown>; valid: Validity };
  b: { path: string; scenario: string; startedAt: number; options: Record<string, unknown>; valid: Validity };
  thresholdPct: number;
  maxErrorRisePoints: number;
  metrics: MetricRow[];
  verdicts: VerdictRow[];
  notes: string[];
  regressions: number;
}

export interface CompareOptions {
  /** Largest accepted worsening of a judged figure, per cent of A's value. */
  thresholdPct: number;
  /** Largest accepted rise of an error share, in percentage points (a share of 0 has no per cent change). */
  maxErrorRisePoints: number;
}

export const COMPARE_DEFAULTS: CompareOptions = { thresholdPct: 10, maxErrorRisePoints: 1 };

function row(group: string, name: string, unit: string, a: number | null, b: number | null, better: Better, o: CompareOptions): MetricRow {
  const ok = (x: number | null): x is number => x !== null && Number.isFinite(x);
  const changePct = ok(a) && ok(b) && a !== 0 ? ((b - a) / Math.abs(a)) * 100 : null;
  let regression = false;
  if (ok(a) && ok(b) && better !== 'info') {
    if (unit === '%') regression = better === 'lower' ? b - a > o.maxErrorRisePoints : a - b > o.maxErrorRisePoints;
    else if (changePct !== null) regression = better === 'lower' ? changePct > o.thresholdPct : -changePct > o.thresholdPct;
  }
  return { group, name, unit, a: ok(a) ? a : null, b: ok(b) ? b : null, changePct, better, regression };
}

type Run = ScenarioReport['load'][number];

export function compareReports(A: { path: string; report: ScenarioReport }, B: { path: string; report: ScenarioReport }, o: CompareOptions = COMPARE_DEFAULTS): Comparison {
  const a = A.report;
  const b = B.report;
  const metrics: MetricRow[] = [];
  const notes: string[] = [];
  if (a.scenario !== b.scenario) notes.push(`different scenarios: ${a.scenario} and ${b.scenario}; only the figures both have are compared`);

  // Load runs, matched by label.
  const labels = [...new Set([...a.load.map((r) => r.label), ...b.load.map((r) => r.label)])];
  for (const label of labels) {
    const ra = a.load.find((r) => r.label === label);
    const rb = b.load.find((r) => r.label === label);
    const pick = (r: Run | undefined, f: (r: Run) => number | undefined) => (r ? (f(r) ?? null) : null);
    const g = `load: ${label}`;
    const fixed = (ra?.rate ?? null) !== null || (rb?.rate ?? null) !== null;
    if (fixed) {
      // At a fixed rate the throughput is what was asked for: keeping up with it is the figure that can regress.
      metrics.push(row(g, 'target rate', 'req/s', pick(ra, (r) => r.rate ?? undefined), pick(rb, (r) => r.rate ?? undefined), 'info', o));
      metrics.push(row(g, 'requests/s', 'req/s', pick(ra, (r) => r.requestsPerSec.mean), pick(rb, (r) => r.requestsPerSec.mean), 'info', o));
      metrics.push(row(g, 'share of the target rate kept', '', pick(ra, (r) => (r.rate ? r.requestsPerSec.mean / r.rate : undefined)), pick(rb, (r) => (r.rate ? r.requestsPerSec.mean / r.rate : undefined)), 'higher', o));
      if (ra && rb && ra.rate !== rb.rate) notes.push(`${label}: the runs asked for different rates (${ra.rate} and ${rb.rate} req/s); latency at a higher rate is not a like-for-like comparison`);
      if (ra && rb && (ra.loop ?? 'closed') !== (rb.loop ?? 'closed')) notes.push(`${label}: A was measured ${ra.loop ?? 'closed'} loop, B ${rb.loop ?? 'closed'} loop`);
    } else {
      metrics.push(row(g, 'requests/s', 'req/s', pick(ra, (r) => r.requestsPerSec.mean), pick(rb, (r) => r.requestsPerSec.mean), 'higher', o));
    }
    const loopWord = (r: Run | undefined) => (r?.loop === 'open' ? ' (open loop)' : '');
    for (const p of ['p50', 'p90', 'p99'] as const) {
      metrics.push(row(g, `latency ${p}${loopWord(rb ?? ra)}`, 'ms', pick(ra, (r) => r.latencyMs[p]), pick(rb, (r) => r.latencyMs[p]), 'lower', o));
    }
    metrics.push(row(g, 'latency max', 'ms', pick(ra, (r) => r.latencyMs.max), pick(rb, (r) => r.latencyMs.max), 'info', o));
    if (ra?.closedLoopLatencyMs || rb?.closedLoopLatencyMs) {
      for (const p of ['p50', 'p99'] as const) {
        metrics.push(row(g, `latency ${p} (closed loop, same requests)`, 'ms', pick(ra, (r) => r.closedLoopLatencyMs?.[p]), pick(rb, (r) => r.closedLoopLatencyMs?.[p]), 'info', o));
      }
    }
    const share = (r: Run | undefined) => {
      if (!r) return null;
      const t = loadTotals({ load: [r] });
      return t.errorShare === null ? null : t.errorShare * 100;
    };
    metrics.push(row(g, 'error share', '%', share(ra), share(rb), 'lower', o));
  }

  // The operations of the workload's clients (every scenario but load).
  const sa = summarizeHistory(a.history, { startedAt: a.workloadStartedAt ?? a.startedAt, endedAt: a.workloadEndedAt ?? a.endedAt });
  const sb = summarizeHistory(b.history, { startedAt: b.workloadStartedAt ?? b.startedAt, endedAt: b.workloadEndedAt ?? b.endedAt });
  if (sa.counts.all.total > 0 || sb.counts.all.total > 0) {
    const g = 'operations';
    metrics.push(row(g, 'ok operations/s', 'ops/s', sa.throughput.okPerSec, sb.throughput.okPerSec, 'higher', o));
    const ackShare = (s: typeof sa) => (s.counts.all.total ? (1 - s.counts.all.ok / s.counts.all.total) * 100 : null);
    metrics.push(row(g, 'not acknowledged (failed or unknown)', '%', ackShare(sa), ackShare(sb), 'lower', o));
    for (const k of ['read', 'write'] as const) {
      for (const p of ['p50', 'p90', 'p99'] as const) metrics.push(row(g, `${k} latency ${p}`, 'ms', sa.latencyMs[k][p], sb.latencyMs[k][p], 'lower', o));
      metrics.push(row(g, `${k} latency max`, 'ms', sa.latencyMs[k].max, sb.latencyMs[k].max, 'info', o));
    }
  }

  const checkers = [...new Set([...a.verdicts.map((v) => v.checker), ...b.verdicts.map((v) => v.checker)])];
  const verdicts = checkers.map((checker): VerdictRow => {
    const va = a.verdicts.find((v) => v.checker === checker)?.valid ?? null;
    const vb = b.verdicts.find((v) => v.checker === checker)?.valid ?? null;
    return { checker, a: va, b: vb, regression: va === true && vb !== true };
  });

  const meta = (r: ScenarioReport, p: string) => ({ path: p, scenario: r.scenario, startedAt: r.startedAt, options: r.options, valid: r.valid });
  return {
    a: meta(a, A.path),
    b: meta(b, B.path),
    thresholdPct: o.thresholdPct,
    maxErrorRisePoints: o.maxErrorRisePoints,
    metrics,
    verdicts,
    notes,
    regressions: metrics.filter((m) => m.regression).length + verdicts.filter((v) => v.regression).length,
  };
}

export const verdictWord = (v: Validity | null) => (v === null ? '–' : validityWord(v));
