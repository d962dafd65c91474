import os from 'node:os';
import { loadConfig } from '../../system/common/config/config';
import { mergeValidity, type FinalState, type Verdict } from '../core/checker';
import { HistoryRecorder } from '../core/history';
import { LoadRecorder } from '../core/load-recorder';
import type { ScenarioReport } from '../core/scenario-report';
import type { Environment } from '../environment/environment';
import type { NemesisContext } from '../nemesis/nemesis';
import { collectFinalState } from '../observe/final-state';
import { TopologySampler } from '../observe/topology-sampler';
import { isComplete } from '../testing/topology';
import type { Scenario, ScenarioContext, ScenarioOptions } from '../scenarios/scenario';
import { DbClient, prepareData } from '../workload/db-client';
import { seededRandom } from '../workload/random';

export interface RunOptions {
  environment: Environment;
  progress: (line: string) => void;
  /** Bound on waiting for the system to heal after a fault, and for replicas to converge at the end. */
  healTimeoutMs?: number;
  /** Interrupts the run: the workload and the nemesis stop early; the system is still torn down and reported. */
  signal?: AbortSignal;
  /** Called once at the start with a function that returns the run's report so far (the live view polls it). */
  observe?: (snapshot: () => ScenarioReport) => void;
  /** Where the workers' logs go when the system stops (see EnvironmentOptions). */
  keepLogsIn?: string;
}

/** Settings every scenario starts from: fast failure detection, quiet logs. */
const BASE_SETTINGS: Record<string, string> = { ZK_SESSION_TIMEOUT_MS: '1000', LOG_LEVEL: 'warn' };

/*
 * Runs one scenario: brings the environment up, samples the topology, lets the scenario compose workload and nemesis,
 * gathers the final state, runs the checkers and tears everything down, whatever happened in between.
 */
export async function runScenario(scenario: Scenario, options: ScenarioOptions, run: RunOptions): Promise<ScenarioReport> {
  const settings = { ...BASE_SETTINGS, ...scenario.settings(options), ...options.settings };
  const healTimeoutMs = run.healTimeoutMs ?? 30000;
  const startedAt = Date.now();
  const recorder = new HistoryRecorder();
  const history = recorder.history;
  const verdicts: Verdict[] = [];
  const load: ScenarioContext['load'] = [];
  // The healthy topology the nemesis and the final state wait for: the one the system starts with.
  const slaves = loadConfig({ ...process.env, ...settings }).initialSlaves;
  let workloadStartedAt: number | undefined;
  let workloadEndedAt: number | undefined;
  let loadRecorder: LoadRecorder | undefined;
  const report = (): ScenarioReport => ({
    scenario: scenario.name,
    description: scenario.description,
    environment: options.environment,
    startedAt,
    endedAt: Date.now(),
    ...(workloadStartedAt !== undefined ? { workloadStartedAt } : {}),
    ...(workloadEndedAt !== undefined ? { workloadEndedAt } : {}),
    options: { ...options },
    settings,
    machine: { cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}`, memoryMb: Math.round(os.totalmem() / 2 ** 20) },
    history,
    load,
    verdicts,
    valid: mergeValidity(verdicts.map((v) => v.valid)),
  });
  run.observe?.(() => {
    // A copy in which the open seconds of a load run and a fault still going on show as of now.
    const now = Date.now();
    const r = report();
    const faults = history.faults.map((f) => (f.endedAt ? f : { ...f, endedAt: now }));
    const loadPhases = (history.loadPhases ?? []).map((p) => (p.endedAt ? p : { ...p, endedAt: now }));
    return { ...r, history: { ...history, faults, loadPhases, loadSeconds: loadRecorder?.snapshot() ?? [] } };
  });
  const progress = (line: string) => run.progress(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${line}`);

  progress(`starting the ${options.environment} environment`);
  const cluster = await run.environment.start({ env: settings, linkProxies: scenario.linkProxies?.(options) ?? false, keepLogsIn: run.keepLogsIn });
  const sampler = new TopologySampler(cluster.http, history.topology);
  let final: FinalState | undefined;
  try {
    sampler.start();
    await sampler.waitFor(`1 master and ${slaves} slaves ready`, (w) => isComplete(w, slaves), 60000);
    progress(`system up at ${cluster.url}: 1 master, ${slaves} slave(s)`);
    await prepareData(cluster.http);
    const random = seededRandom(options.seed);
    const signal = run.signal ?? new AbortController().signal;
    const nemesis: NemesisContext = { cluster, sampler, history, slaves, healTimeoutMs, random, progress, signal };
    const ctx: ScenarioContext = {
      cluster,
      options,
      recorder,
      sampler,
      nemesis,
      clients: Array.from({ length: options.clients }, (_, i) => new DbClient(cluster.http, recorder, i)),
      keyPrefix: `r${startedAt.toString(36)}`,
      load,
      loadRecorder: (loadRecorder = new LoadRecorder(history, (workloadStartedAt = Date.now()))),
      progress,
      signal,
    };
    try {
      await scenario.run(ctx);
    } catch (err) {
      verdicts.push(aborted(err));
    }
    workloadEndedAt = Date.now();
    loadRecorder.settle();
    if (signal.aborted) verdicts.push(aborted(new Error('interrupted by the user')));
    const ops = history.ops;
    progress(`workload done: ${ops.length} operations (${ops.filter((o) => o.outcome === 'ok').length} ok)`);
    if (scenario.collectsFinalState && history.stopped) {
      // Its log is gone and its replicas with it: there is nothing to converge, and waiting for it would only time out.
      progress(`the system stopped by design (${history.stopped.reason}): no final state to collect`);
    } else if (scenario.collectsFinalState) {
      const since = Math.max(history.faults.at(-1)?.endedAt ?? 0, ops.reduce((m, o) => Math.max(m, o.endedAt), 0));
      progress('waiting for the replicas to converge, then reading every replica');
      final = await collectFinalState(cluster.http, cluster.rabbitmqUrl, history, { slaves, timeoutMs: healTimeoutMs, since });
      progress(
        final.convergedAfterMs === null
          ? `replicas did NOT converge within ${healTimeoutMs} ms`
          : `${final.replicas.length} replicas identical ${final.convergedAfterMs} ms after the last fault`,
      );
    }
  } catch (err) {
    verdicts.push(aborted(err));
  } finally {
    await sampler.stop();
    progress('stopping the system');
    await cluster.stop().catch((err) => progress(`could not stop cleanly: ${(err as Error).message}`));
  }
  // The checkers run once the system is down: they are CPU-bound for seconds on a long history, and the orchestrator
  // (and, with link proxies, every worker's links) share this process's event loop; a system left running meanwhile
  // saw its heartbeats time out and its workers die in the middle of the teardown.
  for (const checker of scenario.checkers(options)) {
    try {
      verdicts.push(checker.check({ history, final, load }));
    } catch (err) {
      verdicts.push({ checker: checker.name, valid: false, summary: `checker crashed: ${(err as Error).message}`, thresholds: [] });
    }
  }
  return report();
}

function aborted(err: unknown): Verdict {
  return { checker: 'run', valid: false, summary: `the scenario could not complete: ${(err as Error).message}`, thresholds: [] };
}
