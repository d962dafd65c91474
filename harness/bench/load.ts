import autocannon from 'autocannon';
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

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) throw new Error(`refusing to load a non-loopback target ${url}`);
}

/** Runs autocannon for `durationS` seconds (bounded by its own clock) and returns its figures. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  assertLoopback(spec.url);
  const result = await autocannon({
    url: `${spec.url}${spec.path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec.body),
    connections: spec.connections,
    duration: spec.durationS,
    timeout: 10,
    ...(spec.rate ? { overallRate: spec.rate } : {}),
  });
  return {
    requestsPerSec: result.requests.average,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
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
