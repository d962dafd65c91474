import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** What a benchmark child sends its parent over IPC. */
export type ChildMessage =
  | { type: 'ready'; info: Record<string, unknown> }
  | { type: 'reply'; id: number; error?: string }
  | { type: 'fatal'; message: string };

/** What the parent sends: a command with an id (answered by a reply with that id), or stop. */
export type ParentMessage = { type: 'command'; id: number; command: Record<string, unknown> } | { type: 'stop' };

function tail(file: string, bytes = 2000): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-bytes).trim();
  } catch {
    return '';
  }
}

/*
 * A benchmark child process (the system under test, or the baseline server) started with tsx and an IPC channel.
 * Keeping the servers out of the benchmark's own process means the load generator does not share their event loop,
 * and each process's memory can be read on its own.
 */
export class ChildHost {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private readonly exited: Promise<void>;
  private exitInfo: string | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitInfo = `exited with ${signal ?? `code ${code}`}`;
        for (const w of this.waiting.values()) w.reject(new Error(`${this.describe()}`));
        this.waiting.clear();
        resolve();
      }),
    );
    child.on('message', (m: ChildMessage) => {
      if (m.type !== 'reply') return;
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.error) w?.reject(new Error(m.error));
      else w?.resolve();
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  private describe(): string {
    const last = tail(this.logFile);
    return `child process ${this.pid} ${this.exitInfo ?? 'failed'}${last ? `; last output (${this.logFile}):\n${last}` : ''}`;
  }

  /** Starts `entry` with `args` and waits for its ready message. */
  static async start(entry: string, args: string[], logFile: string, readyTimeoutMs: number): Promise<{ host: ChildHost; info: Record<string, unknown> }> {
    const out = fs.openSync(logFile, 'a');
    const child = fork(entry, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', out, out, 'ipc'] });
    fs.closeSync(out);
    const host = new ChildHost(child, logFile);
    const info = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready message within ${readyTimeoutMs} ms; ${host.describe()}`)), readyTimeoutMs);
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          resolve(m.info);
        } else if (m.type === 'fatal') {
          clearTimeout(timer);
          reject(new Error(m.message));
        }
      });
      void host.exited.then(() => {
        clearTimeout(timer);
        reject(new Error(host.describe()));
      });
    }).catch(async (err) => {
      await host.stop(5000);
      throw err;
    });
    return { host, info };
  }

  /** Sends a command and waits for its reply. */
  command(command: Record<string, unknown>, timeoutMs = 120000): Promise<void> {
    const id = ++this.nextId;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`command ${JSON.stringify(command)} got no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.send({ type: 'command', id, command } satisfies ParentMessage);
    });
  }

  /** Asks the child to stop gracefully; kills it after `timeoutMs`. */
  async stop(timeoutMs = 30000): Promise<void> {
    if (this.exitInfo) return;
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies ParentMessage);
    else this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The child's side: announce readiness, answer commands, stop on request or when the parent goes away. */
export function serveParent(
  info: Record<string, unknown>,
  handlers: { command: (c: Record<string, unknown>) => Promise<void>; stop: () => Promise<void> },
): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    handlers.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (m: ParentMessage) => {
    if (m.type === 'stop') return stop();
    handlers.command(m.command).then(
      () => process.send?.({ type: 'reply', id: m.id } satisfies ChildMessage),
      (err) => process.send?.({ type: 'reply', id: m.id, error: (err as Error).message } satisfies ChildMessage),
    );
  });
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.send?.({ type: 'ready', info } satisfies ChildMessage);
}
