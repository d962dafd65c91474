import { STALENESS_DEFAULTS } from '../checkers/staleness-checker';
import type { Checker } from '../core/checker';
import type { FaultKind, HistoryRecorder } from '../core/history';
import type { LoadRecorder } from '../core/load-recorder';
import type { LoadRun } from '../core/load-run';
import { RECOVERABLE_FAULT_KINDS } from '../nemesis/registry';
import type { Cluster, EnvironmentName } from '../environment/environment';
import type { NemesisContext } from '../nemesis/nemesis';
import type { TopologySampler } from '../observe/topology-sampler';
import type { DbClient } from '../workload/db-client';

/** What a user can set on the command line; each scenario documents which ones it uses. */
export interface ScenarioOptions {
  environment: EnvironmentName;
  /** Length of the loaded / faulty part of the run, in seconds. */
  durationS: number;
  /** Operations per second over all clients (chaos), or the fixed rate of the `load` scenario. */
  rate: number;
  /** Autoscaling interval in ms (read-burst). */
  intervalMs: number;
  clients: number;
  seed: number;
  /** Faults the chaos scenario chooses from (default: all but those that stop the system by design). */
  faults: FaultKind[];
  /** Longest a read may still miss an acknowledged write, ms (the staleness checker of the mixed-load scenarios). */
  maxStaleMs: number;
  /** Extra configuration for the system under test (--set KEY=VALUE). */
  settings: Record<string, string>;
}

export const DEFAULT_OPTIONS: ScenarioOptions = {
  environment: 'local',
  durationS: 30,
  rate: 40,
  intervalMs: 5000,
  clients: 4,
  seed: 1,
  faults: [...RECOVERABLE_FAULT_KINDS],
  maxStaleMs: STALENESS_DEFAULTS.maxStaleMs,
  settings: {},
};

/*
 * The fault and load scenarios keep two slaves throughout: the autoscaler must not move the topology the nemesis waits
 * for (its interval outlasts the longest allowed run, and MAX_SLAVES caps it anyway).
 */
export const FIXED_TWO_SLAVES: Record<string, string> = {
  INITIAL_SLAVES: '2',
  MAX_SLAVES: '2',
  SCALE_INTERVAL_MS: String(24 * 3600 * 1000),
};

export interface ScenarioContext {
  cluster: Cluster;
  options: ScenarioOptions;
  recorder: HistoryRecorder;
  sampler: TopologySampler;
  nemesis: NemesisContext;
  clients: DbClient[];
  /** Unique per run: write keys start with it. */
  keyPrefix: string;
  load: LoadRun[];
  /** Where load runs record their requests (per-second aggregates in the history). */
  loadRecorder: LoadRecorder;
  progress: (line: string) => void;
  /** Aborted when the user interrupts the run: workloads and nemeses stop early. */
  signal: AbortSignal;
}

/*
 * A scenario is a composition: the system's settings, what the workload and the nemesis do, and which checkers judge
 * the history. The runner does the rest (environment, sampling, final state, report).
 */
export interface Scenario {
  name: string;
  description: string;
  /** Configuration of the system under test for this scenario (the user's --set wins). */
  settings(o: ScenarioOptions): Record<string, string>;
  /** Whether the system's links go through link proxies (network faults); default: no. */
  linkProxies?(o: ScenarioOptions): boolean;
  run(ctx: ScenarioContext): Promise<void>;
  checkers(o: ScenarioOptions): Checker[];
  /** Whether to collect every replica's content afterwards (convergence and lost/duplicated writes). */
  collectsFinalState: boolean;
}
