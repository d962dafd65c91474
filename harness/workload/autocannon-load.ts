import autocannon from 'autocannon';
import type { LoadRecorder } from '../core/load-recorder';
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
  /** Records every request into the history (per-second aggregates); the bench leaves it out. */
  recorder?: LoadRecorder;
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
  const phase = t.recorder?.phase(t.label, 'closed');
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    const now = Date.now();
    const second = Math.floor((now - began) / 1000);
    while (perSecond.length <= second) perSecond.push(0);
    perSecond[second]++;
    // autocannon is closed loop: a request starts when its connection's previous answer came, so it is timed from
    // its send, which is all there is to go by.
    const sentAt = now - responseTime;
    phase?.record({ startedAt: sentAt, sentAt, endedAt: now, ok: status >= 200 && status < 300 });
  });
  instance.on('reqError', () => {
    const now = Date.now();
    phase?.record({ startedAt: now, sentAt: now, endedAt: now, ok: false });
  });
  const r = await finished;
  const f = phase?.finish();
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
    startedAt: began,
    endedAt: Date.now(),
    loop: 'closed',
    ...(f ? { spectrum: f.spectrum } : {}),
  };
}
