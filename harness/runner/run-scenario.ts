import os from 'node:os';
import { loadConfig } from '../../system/common/config/config';
import { mergeValidity, type Verdict } from '../core/checker';
import { HistoryRecorder } from '../core/history';
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
  const progress = (line: string) => run.progress(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${line}`);

  progress(`starting the ${options.environment} environment`);
  const cluster = await run.environment.start({ env: settings });
  const sampler = new TopologySampler(cluster.http, history.topology);
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
      progress,
      signal,
    };
    try {
      await scenario.run(ctx);
    } catch (err) {
      verdicts.push(aborted(err));
    }
    if (signal.aborted) verdicts.push(aborted(new Error('interrupted by the user')));
    const ops = history.ops;
    progress(`workload done: ${ops.length} operations (${ops.filter((o) => o.outcome === 'ok').length} ok)`);
    let final;
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
    for (const checker of scenario.checkers(options)) {
      try {
        verdicts.push(checker.check({ history, final, load }));
      } catch (err) {
        verdicts.push({ checker: checker.name, valid: false, summary: `checker crashed: ${(err as Error).message}`, thresholds: [] });
      }
    }
  } catch (err) {
    verdicts.push(aborted(err));
  } finally {
    await sampler.stop();
    progress('stopping the system');
    await cluster.stop().catch((err) => progress(`could not stop cleanly: ${(err as Error).message}`));
  }
  return {
    scenario: scenario.name,
    description: scenario.description,
    environment: options.environment,
    startedAt,
    endedAt: Date.now(),
    options: { ...options },
    settings,
    machine: { cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}`, memoryMb: Math.round(os.totalmem() / 2 ** 20) },
    history,
    load,
    verdicts,
    valid: mergeValidity(verdicts.map((v) => v.valid)),
  };
}

function aborted(err: unknown): Verdict {
  return { checker: 'run', valid: false, summary: `the scenario could not complete: ${(err as Error).message}`, thresholds: [] };
}
