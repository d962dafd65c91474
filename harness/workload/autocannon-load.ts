import autocannon from 'autocannon';
import type { LoadRun } from '../core/load-run';
import { assertLoopback } from '../testing/http-client';

export interface AutocannonTarget {
  label: string;
  url: string;
  body: unknown;
  token?: string;
  /** Requests per second over all connections, or null for as fast as answered (saturation). */
  rate: number | null;
  connections: number;
  durationS: number;
}

/** One bounded autocannon run against a loopback URL (POST with a JSON body), summarised as a LoadRun. */
export async function runAutocannon(t: AutocannonTarget): Promise<LoadRun> {
  assertLoopback(t.url);
  const perSecond: number[] = [];
  let settle: (r: autocannon.Result) => void = () => undefined;
  let fail: (e: Error) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => ((settle = resolve), (fail = reject)));
  const instance = autocannon({
    url: t.url,
    method: 'POST',
    body: JSON.stringify(t.body),
    headers: { 'content-type': 'application/json', ...(t.token ? { authorization: `Bearer ${t.token}` } : {}) },
    connections: t.connections,
    duration: t.durationS,
    ...(t.rate ? { overallRate: t.rate } : {}),
    timeout: 10,
  }, (err, result) => (err ? fail(err) : settle(result)));
  const began = Date.now();
  instance.on('response', () => {
    const second = Math.floor((Date.now() - began) / 1000);
    while (perSecond.length <= second) perSecond.push(0);
    perSecond[second]++;
  });
  const r = await finished;
  return {
    label: t.label,
    rate: t.rate,
    connections: t.connections,
    durationS: t.durationS,
    requestsPerSec: { mean: r.requests.mean, p50: r.requests.p50, min: r.requests.min, max: r.requests.max },
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
    requests: r.requests.total,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    perSecond,
  };
}
