import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../common/logging/logger';
import { WORKER_SOURCES_ENTRY, type WorkerEntry } from './worker-bundle';
import type { WorkerHandle, WorkerRuntime, WorkerRuntimeEvents } from './worker-runtime';

export interface ProcessRuntimeOptions {
  /** Environment every worker gets (configuration and service endpoints). */
  baseEnv: Record<string, string>;
  /** Where each worker's stdout/stderr go: <logDir>/<id>.log. */
  logDir: string;
  /** Parent of the workers' data directories (<workersDir>/<id>), removed when a worker exits. */
  workersDir: string;
  /** WORKER_FAKETIME: each worker under libfaketime, its wall-clock offset in <dir>/<id> (for the harness's clock fault). */
  faketime?: { lib: string; dir: string };
  /** What workers start from (WORKER_BUNDLE: a bundle of the sources); default: the worker's sources as they are. */
  worker?: WorkerEntry;
  log: Logger;
}

/** Workers as child processes of the orchestrator: the embedded default. A worker's PID is its OS PID. */
/** V8's young generation may grow to 3 x 16 MB per process by default; a worker's garbage is short-lived records
 * and chunks, which 4 MB semi-spaces collect as well, at a lower peak memory (docs/performance.md). */
const WORKER_NODE_FLAGS = ['--max-semi-space-size=4'];

export class ProcessRuntime extends EventEmitter<WorkerRuntimeEvents> implements WorkerRuntime {
  readonly name = 'process' as const;
  private readonly children = new Map<string, { child: ChildProcess; handle: WorkerHandle; exited: Promise<void> }>();

  constructor(private readonly options: ProcessRuntimeOptions) {
    super();
    fs.mkdirSync(options.logDir, { recursive: true });
  }

  /** libfaketime reads the offset file at every clock call (no cache); no file means the real clock. Only the wall
   * clock moves, as when NTP steps it: timers and the lease's monotonic bound keep real time. */
  private faketimeEnv(id: string): Record<string, string> {
    const f = this.options.faketime;
    if (!f) return {};
    fs.mkdirSync(f.dir, { recursive: true });
    return { LD_PRELOAD: f.lib, FAKETIME_TIMESTAMP_FILE: path.join(f.dir, id), FAKETIME_NO_CACHE: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' };
  }

  async start(id: string, env: Record<string, string>): Promise<WorkerHandle> {
    const entry = (this.options.worker ?? WORKER_SOURCES_ENTRY).ensure();
    const out = fs.openSync(path.join(this.options.logDir, `${id}.log`), 'a');
    const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, ...entry.execArgv, entry.file], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', ...this.options.baseEnv, ...env, ...this.faketimeEnv(id), WORKER_ID: id, WORKER_PARENT_PID: String(process.pid) },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    if (child.pid === undefined) {
      await new Promise((resolve) => child.once('error', resolve));
      throw new Error(`could not start worker ${id}`);
    }
    child.on('error', (err) => this.options.log.warn({ id, err: err.message }, 'worker process error'));
    const handle: WorkerHandle = { id, pid: child.pid, startedAt: Date.now() };
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.children.delete(id);
        fs.rmSync(path.join(this.options.workersDir, id), { recursive: true, force: true });
        this.options.log.info({ id, pid: handle.pid, code, signal }, 'worker exited');
        this.emit('exit', { id, pid: handle.pid, code, signal, startedAt: handle.startedAt });
        resolve();
      });
    });
    this.children.set(id, { child, handle, exited });
    return handle;
  }

  async signal(id: string, signal: NodeJS.Signals): Promise<void> {
    const entry = this.children.get(id);
    if (!entry) throw new Error(`no running worker ${id}`);
    entry.child.kill(signal);
  }

  async stop(id: string, timeoutMs: number): Promise<void> {
    const entry = this.children.get(id);
    if (!entry) return;
    entry.child.kill('SIGTERM');
    const timer = setTimeout(() => entry.child.kill('SIGKILL'), timeoutMs);
    await entry.exited;
    clearTimeout(timer);
  }

  list(): WorkerHandle[] {
    return [...this.children.values()].map((c) => c.handle);
  }

  async close(timeoutMs: number): Promise<void> {
    await Promise.all([...this.children.keys()].map((id) => this.stop(id, timeoutMs)));
  }
}
