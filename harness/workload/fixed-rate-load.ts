import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadRecorder } from '../core/load-recorder';
import type { LoadRun } from '../core/load-run';
import { assertLoopback } from '../testing/http-client';
import { openLoop, postJson } from './open-loop';

export interface FixedRateTarget {
  label: string;
  url: string;
  body: unknown;
  token?: string;
  /** Requests per second, evenly spaced. */
  rate: number;
  /** Connections the client may open; requests beyond them wait in the client (and that wait is charged). */
  connections: number;
  durationS: number;
  /** Per-request timeout, ms. */
  timeoutMs?: number;
  recorder: LoadRecorder;
  signal?: AbortSignal;
}

/** Requests waiting for an answer, per connection, before the schedule skips one (counted as failed). */
const IN_FLIGHT_PER_CONNECTION = 4;

/** performance.now() to epoch ms. */
const epoch = (t: number) => performance.timeOrigin + t;

/*
 * The fixed-rate phase of a load run, open loop (the bench's steady client): `rate × durationS` requests at even
 * intervals, each timed from its scheduled start, and also from when it went out on a connection, so the report can
 * put the open-loop figure beside the closed-loop one of the very same requests.
 */
export async function runFixedRate(t: FixedRateTarget): Promise<LoadRun> {
  const url = new URL(t.url);
  assertLoopback(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: t.connections });
  const body = JSON.stringify(t.body);
  const headers = t.token ? { authorization: `Bearer ${t.token}` } : undefined;
  const phase = t.recorder.phase(t.label, 'open');
  let non2xx = 0;
  let errors = 0;
  try {
    const r = await openLoop(
      t.rate,
      Math.round(t.rate * t.durationS),
      t.connections * IN_FLIGHT_PER_CONNECTION,
      () => postJson(agent, url, body, t.timeoutMs ?? 10_000, headers),
      (s) => {
        if (!s.ok && s.status > 0) non2xx++;
        else if (!s.ok) errors++;
        phase.record({ startedAt: epoch(s.due), sentAt: epoch(s.sentAt), endedAt: epoch(s.endedAt), ok: s.ok });
      },
      t.signal,
    );
    const f = phase.finish();
    const perSecond = f.perSecond;
    const sortedRates = [...perSecond].sort((a, b) => a - b);
    return {
      label: t.label,
      rate: t.rate,
      connections: t.connections,
      durationS: t.durationS,
      requestsPerSec: {
        mean: r.seconds > 0 ? r.ok / r.seconds : 0,
        p50: sortedRates.length ? sortedRates[Math.floor(sortedRates.length / 2)] : 0,
        min: sortedRates[0] ?? 0,
        max: sortedRates.at(-1) ?? 0,
      },
      latencyMs: f.latencyMs,
      // Answered requests (as autocannon counts them); errors are those with no answer, skipped ones included.
      requests: r.ok + non2xx,
      errors,
      timeouts: 0,
      non2xx,
      perSecond,
      startedAt: phase.phase.startedAt,
      endedAt: phase.phase.endedAt,
      loop: 'open',
      closedLoopLatencyMs: f.closedLoopLatencyMs,
      spectrum: f.spectrum,
      closedLoopSpectrum: f.closedLoopSpectrum,
    };
  } finally {
    agent.destroy();
  }
}
