import type { EventEmitter } from 'node:events';

/** A running worker as its runtime knows it. */
export interface WorkerHandle {
  id: string;
  /** OS PID under the process runtime; the container's State.Pid under Docker. */
  pid: number;
  startedAt: number;
}

export interface WorkerExit {
  id: string;
  pid: number;
  code: number | null;
  signal: string | null;
  startedAt: number;
}

/** What a runtime emits; typed so that a misspelled event name fails to compile. */
export interface WorkerRuntimeEvents {
  /** A worker is gone, for whatever reason (crash, kill, stop). */
  exit: [WorkerExit];
}

/*
 * Where workers run. Everything above this interface (supervision, crash APIs, autoscaling) is the same code for
 * child processes and for containers.
 * Its events are `WorkerRuntimeEvents`.
 */
export interface WorkerRuntime extends EventEmitter<WorkerRuntimeEvents> {
  readonly name: 'process' | 'docker';
  /** Starts a worker with these extra environment variables; resolves once its PID is known. */
  start(id: string, env: Record<string, string>): Promise<WorkerHandle>;
  /** Sends a signal (SIGKILL for crashes, SIGSTOP/SIGCONT for pauses). */
  signal(id: string, signal: NodeJS.Signals): Promise<void>;
  /** Graceful stop: SIGTERM, then SIGKILL after `timeoutMs`; resolves once it exited. */
  stop(id: string, timeoutMs: number): Promise<void>;
  list(): WorkerHandle[];
  /** Stops every worker. */
  close(timeoutMs: number): Promise<void>;
}
