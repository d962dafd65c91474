import { runAutocannon } from '../workload/autocannon-load';
import type { Figure } from './bench-report';
import { round, summarize } from './stats';

export interface LoadSpec {
  url: string;
  path: string;
  body: unknown;
  connections: number;
  durationS: number;
  /** Requests/s over all connections; unset: as fast as the server answers. */
  rate?: number;
}

/** One autocannon run, reduced to what the report needs. */
export interface LoadResult {
  requestsPerSec: number;
  latencyMs: { p50: number; p90: number; p97_5: number; p99: number; max: number };
  requests: number;
  /** Failed requests: connection errors (timeouts included) and answers other than 2xx. */
  errors: number;
  non2xx: number;
  timeouts: number;
}

/** Runs autocannon for `durationS` seconds (bounded by its own clock) and returns its figures. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const r = await runAutocannon({
    label: spec.path,
    url: `${spec.url}${spec.path}`,
    body: spec.body,
    rate: spec.rate ?? null,
    connections: spec.connections,
    durationS: spec.durationS,
  });
  return {
    requestsPerSec: r.requestsPerSec.mean,
    latencyMs: r.latencyMs,
    requests: r.requests,
    errors: r.errors + r.non2xx,
    non2xx: r.non2xx,
    timeouts: r.timeouts,
  };
}

export function describeLoad(r: LoadResult): string {
  return `${Math.round(r.requestsPerSec)} req/s, p50 ${round(r.latencyMs.p50)} ms, p97.5 ${round(r.latencyMs.p97_5)} ms, p99 ${round(r.latencyMs.p99)} ms, ${r.errors} errors`;
}

/** The figures of a series of trials of one load configuration: requests/s, latency percentiles, errors. */
export function loadFigures(label: string, trials: LoadResult[]): Figure[] {
  const f = (what: string, unit: string, pick: (r: LoadResult) => number): Figure => ({
    name: `${label}: ${what}`,
    unit,
    summary: summarize(trials.map(pick)),
  });
  return [
    f('requests/s', 'req/s', (r) => r.requestsPerSec),
    f('latency p50', 'ms', (r) => r.latencyMs.p50),
    f('latency p97.5', 'ms', (r) => r.latencyMs.p97_5),
    f('latency p99', 'ms', (r) => r.latencyMs.p99),
    f('errors', 'requests', (r) => r.errors),
  ];
}

/** The median of one quantity over trials. */
export function medianOf(trials: LoadResult[], pick: (r: LoadResult) => number): number {
  return summarize(trials.map(pick)).median;
}
