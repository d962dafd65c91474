import http from 'node:http';
import type { LoadResult } from './load';
import { percentile, summarize } from './stats';
import { assertLoopback } from '../testing/http-client';
import { openLoop, postJson } from '../workload/open-loop';

/** A steady-rate run of one request, in the shape of an autocannon result. */
export async function runSteady(spec: { url: string; path: string; body: unknown; rate: number; durationS: number; connections: number }): Promise<LoadResult> {
  const url = new URL(spec.path, spec.url);
  assertLoopback(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const body = JSON.stringify(spec.body);
  try {
    const r = await openLoop(spec.rate, spec.rate * spec.durationS, spec.connections * 4, async () => (await postJson(agent, url, body, 10000)).ok);
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
