import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { sleep } from '../../system/common/time/sleep';
import type { LoadResult } from './load';
import { percentile, summarize } from './stats';
import { assertLoopback } from '../testing/http-client';

export interface OpenLoopResult {
  /** Per completed request, from its scheduled start to its answer (a late start counts against the server). */
  latencies: number[];
  ok: number;
  failed: number;
  /** Requests not sent because `maxInFlight` were already waiting (the server could not keep up). */
  skipped: number;
  seconds: number;
}

/*
 * Sends `total` requests at an even `rate` per second, open loop: request i is due at start + i / rate whatever
 * happened to the earlier ones. autocannon's rate limit instead lets each connection fire its whole share at the start
 * of every second and then pause, so its "1,000 requests/s" is a burst of 1,000 followed by silence; this is the
 * steady arrival rate a latency target at a given rate means.
 */
export async function openLoop(rate: number, total: number, maxInFlight: number, send: (i: number) => Promise<boolean>): Promise<OpenLoopResult> {
  const out: OpenLoopResult = { latencies: [], ok: 0, failed: 0, skipped: 0, seconds: 0 };
  const interval = 1000 / rate;
  const pending = new Set<Promise<void>>();
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (pending.size >= maxInFlight) {
      out.skipped++;
      continue;
    }
    const p: Promise<void> = send(i)
      .then(
        (ok) => {
          if (ok) {
            out.ok++;
            out.latencies.push(performance.now() - due);
          } else out.failed++;
        },
        () => void out.failed++,
      )
      .finally(() => pending.delete(p));
    pending.add(p);
  }
  await Promise.all(pending);
  out.seconds = (performance.now() - t0) / 1000;
  return out;
}

/** POSTs one JSON body over a keep-alive agent; resolves true on a 2xx. */
function post(agent: http.Agent, url: URL, body: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () => resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
        res.on('error', () => resolve(false));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

/** A steady-rate run of one request, in the shape of an autocannon result. */
export async function runSteady(spec: { url: string; path: string; body: unknown; rate: number; durationS: number; connections: number }): Promise<LoadResult> {
  const url = new URL(spec.path, spec.url);
  assertLoopback(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const body = JSON.stringify(spec.body);
  try {
    const r = await openLoop(spec.rate, spec.rate * spec.durationS, spec.connections * 4, () => post(agent, url, body, 10000));
    const s = summarize(r.latencies);
    const p975 = percentile([...r.latencies].sort((a, b) => a - b), 97.5);
    return {
      requestsPerSec: r.ok / r.seconds,
      latencyMs: { p50: s.median, p90: s.p90, p97_5: p975, p99: s.p99, max: s.max },
      requests: r.ok + r.failed,
      errors: r.failed + r.skipped,
      non2xx: r.failed,
      timeouts: 0,
    };
  } finally {
    agent.destroy();
  }
}
