import type { EnvironmentName } from '../environment/environment';
import type { Validity, Verdict } from './checker';
import type { History } from './history';
import type { LoadRun } from './load-run';

/** Everything a run produced; report.json is this object, report.md and report.html are drawn from it. */
export interface ScenarioReport {
  scenario: string;
  description: string;
  environment: EnvironmentName;
  startedAt: number;
  endedAt: number;
  /** The workload's span (epoch ms): the report's time axis starts here; what came before is start-up. Absent in
   * reports written before it was recorded, and when the system never came up. */
  workloadStartedAt?: number;
  workloadEndedAt?: number;
  /** The scenario's options as run (duration, rate, interval, seed...). */
  options: Record<string, unknown>;
  /** The system's configuration overrides. */
  settings: Record<string, string>;
  machine: { cores: number; node: string; platform: string; memoryMb: number };
  history: History;
  load: LoadRun[];
  verdicts: Verdict[];
  /** The verdicts merged (mergeValidity): false when one fails, 'unknown' when one could not decide, else true. */
  valid: Validity;
}
