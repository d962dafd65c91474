/** One autocannon run of the `load` scenario. */
export interface LoadRun {
  label: string;
  /** Target rate in requests/s, or null for saturation. */
  rate: number | null;
  connections: number;
  durationS: number;
  requestsPerSec: { mean: number; p50: number; min: number; max: number };
  latencyMs: { p50: number; p90: number; p97_5: number; p99: number; max: number };
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Throughput per second of the run, for the chart. */
  perSecond?: number[];
}
