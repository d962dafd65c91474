import type { SpectrumPoint } from './spectrum';

export interface LatencyPercentiles {
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
  max: number;
}

/** One load run (a phase) of the `load` scenario. */
export interface LoadRun {
  label: string;
  /** Target rate in requests/s, or null for saturation. */
  rate: number | null;
  connections: number;
  durationS: number;
  requestsPerSec: { mean: number; p50: number; min: number; max: number };
  /** Latency of the ok requests: open loop (from each request's scheduled start) when `loop` is 'open'. */
  latencyMs: LatencyPercentiles;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Throughput per second of the run, for the chart. */
  perSecond?: number[];
  /** When it ran, epoch ms (absent in older reports). */
  startedAt?: number;
  endedAt?: number;
  /** open: a fixed schedule, latency charged from each request's scheduled start; closed: autocannon's connections,
   * latency from each send (a server that falls behind slows the client down and is not charged for it). */
  loop?: 'open' | 'closed';
  /** For an open-loop run: the same requests timed closed-loop, from when each went out on a connection. */
  closedLoopLatencyMs?: LatencyPercentiles;
  /** Latency distribution of the ok requests (percentile spectrum), and its closed-loop twin for an open-loop run. */
  spectrum?: SpectrumPoint[];
  closedLoopSpectrum?: SpectrumPoint[];
}
