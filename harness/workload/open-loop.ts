import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { sleep } from '../../system/common/time/sleep';

/** What a request of an open loop reports: whether it succeeded, and when it got a connection and went out. */
export interface SendResult {
  ok: boolean;
  /** performance.now() when the request was written to a connection (absent: when it was handed to the client). */
  sentAt?: number;
  /** HTTP status, or 0 when no answer came. */
  status?: number;
}

/** One request of an open loop, in performance.now() milliseconds. */
export interface OpenLoopSample {
  i: number;
  /** When the schedule said it must start: open-loop latency is measured from here. */
  due: number;
  /** When it really went out on a connection: closed-loop latency (what autocannon times) is measured from here. */
  sentAt: number;
  endedAt: number;
  ok: boolean;
  status: number;
  /** Not sent at all: `maxInFlight` requests were already waiting (the server could not keep up). */
  skipped: boolean;
}

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
 * steady arrival rate a latency target at a given rate means. A server that falls behind is charged for it: latency
 * runs from the scheduled start, so time spent waiting for a free connection counts (no coordinated omission).
 * Bounded: `total` requests at most, and an optional signal ends the schedule early.
 */
export async function openLoop(
  rate: number,
  total: number,
  maxInFlight: number,
  send: (i: number) => Promise<boolean | SendResult>,
  onSample?: (s: OpenLoopSample) => void,
  signal?: AbortSignal,
): Promise<OpenLoopResult> {
  const out: OpenLoopResult = { latencies: [], ok: 0, failed: 0, skipped: 0, seconds: 0 };
  const interval = 1000 / rate;
  const pending = new Set<Promise<void>>();
  const t0 = performance.now();
  for (let i = 0; i < total && !signal?.aborted; i++) {
    const due = t0 + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (pending.size >= maxInFlight) {
      out.skipped++;
      const now = performance.now();
      onSample?.({ i, due, sentAt: now, endedAt: now, ok: false, status: 0, skipped: true });
      continue;
    }
    const handedAt = performance.now();
    const p: Promise<void> = send(i)
      .then(
        (r) => (typeof r === 'boolean' ? { ok: r } : r),
        (): SendResult => ({ ok: false }),
      )
      .then((r) => {
        const endedAt = performance.now();
        if (r.ok) {
          out.ok++;
          out.latencies.push(endedAt - due);
        } else out.failed++;
        onSample?.({ i, due, sentAt: r.sentAt ?? handedAt, endedAt, ok: r.ok, status: r.status ?? (r.ok ? 200 : 0), skipped: false });
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  }
  await Promise.all(pending);
  out.seconds = (performance.now() - t0) / 1000;
  return out;
}

/** POSTs one JSON body over a keep-alive agent; ok on a 2xx. `sentAt` is when the request got its connection. */
export function postJson(agent: http.Agent, url: URL, body: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<SendResult> {
  return new Promise((resolve) => {
    let sentAt: number | undefined;
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers }, timeout: timeoutMs },
      (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        res.on('end', () => resolve({ ok: status >= 200 && status < 300, sentAt, status }));
        res.on('error', () => resolve({ ok: false, sentAt, status }));
      },
    );
    // The agent queues a request until one of its connections is free: that wait is the client's, not the server's,
    // so the closed-loop figure starts once a connection took the request.
    req.on('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => (sentAt = performance.now()));
      else sentAt = performance.now();
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ok: false, sentAt, status: 0 }));
    req.end(body);
  });
}
