import type { EnvironmentName } from '../environment/environment';
import type { Verdict } from './checker';
import type { History } from './history';

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

/** Everything a run produced; report.json is this object, report.md and report.html are drawn from it. */
export interface ScenarioReport {
  scenario: string;
  description: string;
  environment: EnvironmentName;
  startedAt: number;
  endedAt: number;
  /** The scenario's options as run (duration, rate, interval, seed...). */
  options: Record<string, unknown>;
  /** The system's configuration overrides. */
  settings: Record<string, string>;
  machine: { cores: number; node: string; platform: string; memoryMb: number };
  history: History;
  load: LoadRun[];
  verdicts: Verdict[];
  /** True when every verdict is valid. */
  valid: boolean;
}
