import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { ServiceSetupError } from '../../common/errors/errors';
import type { Logger } from '../../common/logging/logger';
import { JsonLines, LABELS, demuxLogs, signalOfExitCode, workerContainerSpec } from './container-spec';
import type { WorkerExit, WorkerHandle, WorkerRuntime, WorkerRuntimeEvents } from './worker-runtime';

export interface DockerRuntimeOptions {
  /** Environment every worker gets (configuration and service endpoints as the workers reach them). */
  baseEnv: Record<string, string>;
  image: string;
  socketPath: string;
  /** `host`, or a Docker network the workers join (compose's). */
  network: string;
  /** Label value that marks this deployment's containers; containers left by an earlier run are removed at start. */
  deployment: string;
  /** Where each exited worker's container log is kept: <logDir>/<id>.log. */
  logDir: string;
  log: Logger;
  /** How often to compare the containers with what the event stream said (a backstop for missed events). */
  sweepMs?: number;
}

interface Entry {
  id: string;
  container: Docker.Container;
  handle?: WorkerHandle;
  /** The container exited before start() learned its PID. */
  diedEarly: boolean;
  done: boolean;
  exited: Promise<void>;
  markExited: () => void;
  /** Settles when start() is done either way: a stop must not race a container that is still being started. */
  started?: Promise<unknown>;
}

interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/*
 * Workers as containers started through the Docker API. A worker's PID is its container's State.Pid. Exits are
 * noticed from Docker's event stream (a 'die' is certain death, so the supervisor may drop the worker's znodes at
 * once); a slow sweep of the container list covers events missed while the stream reconnects.
 */
export class DockerRuntime extends EventEmitter<WorkerRuntimeEvents> implements WorkerRuntime {
  readonly name = 'docker' as const;
  private readonly docker: Docker;
  private readonly entries = new Map<string, Entry>();
  /** Exited workers whose containers are still being removed (close waits for them). */
  private readonly removals = new Set<Promise<void>>();
  private events: NodeJS.ReadableStream | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(private readonly o: DockerRuntimeOptions) {
    super();
    this.docker = new Docker({ socketPath: o.socketPath });
    fs.mkdirSync(o.logDir, { recursive: true });
  }

  /** Checks the engine and the image, removes this deployment's leftover containers, and starts watching events. */
  static async create(o: DockerRuntimeOptions): Promise<DockerRuntime> {
    const rt = new DockerRuntime(o);
    try {
      await rt.docker.ping();
    } catch (err) {
      throw new ServiceSetupError(`no Docker engine answers at ${o.socketPath} (${(err as Error).message}); start one with docker/engine.sh`);
    }
    try {
      await rt.docker.getImage(o.image).inspect();
    } catch {
      throw new ServiceSetupError(`Docker image ${o.image} is not there; build it with npm run docker:build`);
    }
    await rt.removeLeftovers();
    await rt.watchEvents();
    rt.sweepTimer = setInterval(() => void rt.sweep(), o.sweepMs ?? 5000);
    rt.sweepTimer.unref();
    return rt;
  }

  private labelFilter(): string[] {
    return [`${LABELS.deployment}=${this.o.deployment}`, `${LABELS.role}=worker`];
  }

  /** Worker containers of this deployment from an earlier orchestrator: nobody supervises them any more. */
  private async removeLeftovers(): Promise<void> {
    const old = await this.docker.listContainers({ all: true, filters: { label: this.labelFilter() } });
    if (old.length === 0) return;
    this.o.log.warn({ count: old.length, deployment: this.o.deployment }, 'removing worker containers left by an earlier run');
    await Promise.all(old.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  }

  private async watchEvents(): Promise<void> {
    const stream = await this.docker.getEvents({ filters: { type: ['container'], event: ['die'], label: this.labelFilter() } });
    this.events = stream;
    const lines = new JsonLines();
    stream.on('data', (chunk: Buffer) => {
      for (const e of lines.push(chunk) as DockerEvent[]) {
        const workerId = e.Actor?.Attributes?.[LABELS.workerId];
        const code = Number(e.Actor?.Attributes?.exitCode);
        if (workerId) this.onDie(workerId, Number.isFinite(code) ? code : null);
      }
    });
    const reopen = () => {
      if (this.closed || this.events !== stream) return;
      this.events = undefined;
      this.o.log.warn('Docker event stream ended; reopening it');
      setTimeout(() => {
        if (this.closed) return;
        void this.sweep();
        this.watchEvents().catch((err) => this.o.log.error({ err: (err as Error).message }, 'could not reopen the Docker event stream'));
      }, 500);
    };
    stream.on('end', reopen);
    stream.on('error', reopen);
  }

  private onDie(id: string, code: number | null): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    if (!entry.handle) entry.diedEarly = true;
    else void this.finish(entry, code);
  }

  /** Containers that are no longer running although no 'die' event said so. */
  private async sweep(): Promise<void> {
    if (this.closed) return;
    try {
      const running = new Set(
        (await this.docker.listContainers({ filters: { label: this.labelFilter(), status: ['running', 'paused'] } })).map((c) => c.Labels[LABELS.workerId]),
      );
      for (const entry of this.entries.values()) {
        if (entry.handle && !running.has(entry.id)) await this.reap(entry);
      }
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message }, 'could not list worker containers');
    }
  }

  /** Finishes an entry whose container is not running any more (after an inspect says so). */
  private async reap(entry: Entry): Promise<void> {
    const state = await entry.container.inspect().then(
      (i) => i.State,
      () => undefined,
    );
    if (!state || !state.Running) await this.finish(entry, state?.ExitCode ?? null);
  }

  async start(id: string, env: Record<string, string>): Promise<WorkerHandle> {
    const spec = workerContainerSpec({ id, image: this.o.image, network: this.o.network, deployment: this.o.deployment, env: { ...this.o.baseEnv, ...env } });
    const container = await this.docker.createContainer(spec);
    let markExited = () => {};
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const entry: Entry = { id, container, diedEarly: false, done: false, exited, markExited };
    this.entries.set(id, entry);
    const starting = this.startContainer(entry, spec.name ?? id);
    entry.started = starting.catch(() => undefined);
    return starting;
  }

  private async startContainer(entry: Entry, name: string): Promise<WorkerHandle> {
    const { id, container } = entry;
    try {
      await container.start();
      const info = await container.inspect();
      if (entry.diedEarly || !info.State.Running || !info.State.Pid) {
        throw new Error(`worker container ${name} exited at once (exit code ${info.State.ExitCode})`);
      }
      entry.handle = { id, pid: info.State.Pid, startedAt: Date.now() };
      return entry.handle;
    } catch (err) {
      // Never started as far as the supervisor knows: keep its log, remove it, report no exit.
      entry.done = true;
      this.entries.delete(id);
      await this.saveLog(entry);
      await container.remove({ force: true }).catch(() => undefined);
      entry.markExited();
      throw err;
    }
  }

  private async finish(entry: Entry, code: number | null): Promise<void> {
    if (entry.done || !entry.handle) return;
    entry.done = true;
    this.entries.delete(entry.id);
    const { pid, startedAt } = entry.handle;
    const signal = signalOfExitCode(code);
    this.o.log.info({ id: entry.id, pid, code, signal }, 'worker container exited');
    // Tell the supervisor first: the exit is what speeds up failure detection; removal can follow.
    const exit: WorkerExit = { id: entry.id, pid, code, signal, startedAt };
    this.emit('exit', exit);
    const removal = (async () => {
      await this.saveLog(entry);
      await entry.container.remove({ force: true }).catch((err: Error & { statusCode?: number }) => {
        // 404: already gone; 409: already being removed (by a newer runtime of the deployment, say).
        if (err.statusCode !== 404 && err.statusCode !== 409) this.o.log.warn({ id: entry.id, err: err.message }, 'could not remove worker container');
      });
    })();
    this.removals.add(removal);
    await removal;
    this.removals.delete(removal);
    entry.markExited();
  }

  private async saveLog(entry: Entry): Promise<void> {
    try {
      const raw = (await entry.container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
      fs.writeFileSync(path.join(this.o.logDir, `${entry.id}.log`), demuxLogs(raw));
    } catch {
      // The log is a convenience; a container that is already gone has none to keep.
    }
  }

  async signal(id: string, signal: NodeJS.Signals): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry?.handle) throw new Error(`no running worker ${id}`);
    await entry.container.kill({ signal });
  }

  async stop(id: string, timeoutMs: number): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    await entry.started;
    if (entry.done) return;
    // Docker's stop is the graceful stop: SIGTERM, then SIGKILL after t seconds; it returns once the container stopped.
    await entry.container.stop({ t: Math.max(1, Math.ceil(timeoutMs / 1000)) }).catch(async (err: Error & { statusCode?: number }) => {
      // 304: already stopped; 404: gone. Anything else (a busy engine): make sure it dies anyway.
      if (err.statusCode !== 304 && err.statusCode !== 404) await entry.container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
    });
    await this.reap(entry);
    // Bounded: if the engine never reports the exit, remove the container by force and count it as exited.
    const gaveUp = new Promise<boolean>((resolve) => setTimeout(() => resolve(true), timeoutMs + 15000).unref());
    if (await Promise.race([entry.exited.then(() => false), gaveUp])) {
      // finish() keeps the log, then removes the container by force.
      this.o.log.warn({ id }, 'worker container did not report its exit: removing it by force');
      await this.finish(entry, null);
    }
  }

  list(): WorkerHandle[] {
    return [...this.entries.values()].flatMap((e) => (e.handle && !e.done ? [e.handle] : []));
  }

  async close(timeoutMs: number): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.stop(id, timeoutMs)));
    await Promise.all([...this.removals]);
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    const events = this.events as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
    this.events = undefined;
    events?.destroy?.();
    await this.removeLeftovers();
  }
}
