import type { PartLinks } from '../network/link-hub';
import type { HttpClient } from '../testing/http-client';

export type EnvironmentName = 'local' | 'docker';

export interface EnvironmentOptions {
  /** Configuration overrides for the system under test (the README's variables, e.g. SCALE_INTERVAL_MS). */
  env: Record<string, string>;
  /** Every link of the orchestrator and of each worker to the broker and ZooKeeper goes through a link proxy that the
   * nemesis can cut, slow or reset (network faults). Default: direct links. */
  linkProxies?: boolean;
  /** Where the workers' logs are kept when the system is stopped (the local environment; a container's log goes
   * with it). Default: removed with the system's data. */
  keepLogsIn?: string;
}

/** The link proxies of a system started with `linkProxies` (see harness/network/). */
export interface ClusterLinks {
  /** The links of the running worker known by this PID. */
  worker(pid: number): PartLinks;
  /** The orchestrator's own links. */
  readonly orchestrator: PartLinks;
}

/*
 * A running system under test, however it was brought up. Everything the workload, nemesis and checkers need goes
 * through this: the orchestrator's HTTP API (always on 127.0.0.1), the broker URL for per-replica inspection, real
 * signals to workers, and restarts of the two services.
 */
export interface Cluster {
  readonly environment: EnvironmentName;
  /** Orchestrator base URL, on loopback. */
  readonly url: string;
  readonly http: HttpClient;
  /** The bearer token the orchestrator requires (DBAAS_TOKEN), if any: load tools outside `http` need it. */
  readonly token?: string;
  /** AMQP URL (vhost included) with every right (the admin's): it reaches the workers' control queues. */
  readonly rabbitmqUrl: string;
  /** Present when the system was started with `linkProxies`. */
  readonly links?: ClusterLinks;
  /** The configuration the system runs with (after overrides), for the report. */
  readonly settings: Record<string, string>;
  /** A real signal to the worker known by this PID (an OS process, or a container's State.Pid). */
  signalWorker(pid: number, signal: NodeJS.Signals): Promise<void>;
  /** PIDs of the workers that actually run, from the runtime's own view (processes or containers), sorted. */
  runningWorkerPids(): Promise<number[]>;
  restartRabbitMq(): Promise<void>;
  restartZookeeper(): Promise<void>;
  /** Stops the whole system (orchestrator and every worker) and starts it again over its old data, on the same URL. */
  restartSystem(): Promise<void>;
  /** The broker restarted with the system's data wiped: its vhost (every queue, message and binding of the system)
   * deleted, the broker restarted, the vhost and its users' rights created again, empty. Other vhosts on the broker
   * (other test suites) keep theirs. */
  wipeRabbitMq(): Promise<void>;
  /** The data directory of the worker with this PID, when the environment can reach it (process runtime). */
  workerDataDir(pid: number): string | undefined;
  /** The file holding the wall-clock offset of the worker with this PID (libfaketime), when it runs under
   * WORKER_FAKETIME in this environment. */
  workerClockFile(pid: number): string | undefined;
  /** Stops the system and removes everything it started (processes, containers, vhost, data). */
  stop(): Promise<void>;
}

export interface Environment {
  readonly name: EnvironmentName;
  start(options: EnvironmentOptions): Promise<Cluster>;
}
