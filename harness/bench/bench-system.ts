import fs from 'node:fs';
import path from 'node:path';
import { HttpClient } from '../testing/http-client';
import { ChildHost } from './child-host';
import { MemorySampler, type PeakRss } from './memory';

/** Peak memory of one system the run started. */
export interface SystemMemory {
  system: string;
  peaks: PeakRss[];
}

/** What sections share: where logs go, the systems that are running (for Ctrl-C), and the memory samples. */
export class BenchContext {
  readonly memory: SystemMemory[] = [];
  readonly running = new Set<{ stop(): Promise<unknown> }>();
  private counter = 0;

  constructor(
    readonly logDir: string,
    /** Configuration overrides from the command line, applied over each section's own. */
    readonly envOverrides: Record<string, string>,
  ) {
    fs.mkdirSync(logDir, { recursive: true });
  }

  logFile(label: string): string {
    return path.join(this.logDir, `${String(++this.counter).padStart(2, '0')}-${label.replace(/[^A-Za-z0-9_.-]+/g, '-')}.log`);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((r) => r.stop().catch(() => undefined)));
  }
}

/** Settings every benchmark system gets: no autoscaling surprises, quiet logs. */
export const BENCH_SYSTEM_DEFAULTS: Record<string, string> = {
  SCALE_INTERVAL_MS: '3600000',
  LOG_LEVEL: 'warn',
};

/*
 * One DBaaS under test, in a child process of its own (orchestrator there, workers as its children), sampled for
 * memory while it runs.
 */
export class BenchSystem {
  readonly http: HttpClient;
  readonly settings: Record<string, string>;
  private readonly sampler: MemorySampler;

  private constructor(
    private readonly ctx: BenchContext,
    readonly label: string,
    private readonly host: ChildHost,
    readonly url: string,
    readonly rabbitmqUrl: string,
    settings: Record<string, string>,
  ) {
    this.http = new HttpClient(url);
    this.settings = settings;
    this.sampler = new MemorySampler(host.pid);
    this.sampler.start();
    ctx.running.add(this);
  }

  static async start(ctx: BenchContext, label: string, env: Record<string, string>): Promise<BenchSystem> {
    const settings = { ...BENCH_SYSTEM_DEFAULTS, ...env, ...ctx.envOverrides };
    const { host, info } = await ChildHost.start(path.join(__dirname, 'system-process.ts'), [JSON.stringify(settings)], ctx.logFile(label), 180000);
    return new BenchSystem(ctx, label, host, String(info.url), String(info.rabbitmqUrl), settings);
  }

  get orchestratorPid(): number {
    return this.host.pid;
  }

  /** Sets the wanted slave count through the supervisor (as the autoscaler would). */
  scale(slaves: number): Promise<void> {
    return this.host.command({ cmd: 'scale', slaves });
  }

  /** Stops the orchestrator and every worker, keeping the data (vhost, ZooKeeper root, data directory). */
  stopOrchestrator(): Promise<void> {
    return this.host.command({ cmd: 'stop-orchestrator' });
  }

  /** Starts the orchestrator again over the old data; resolves once it answers (its first worker is a ready master). */
  startOrchestrator(timeoutMs: number): Promise<void> {
    return this.host.command({ cmd: 'start-orchestrator' }, timeoutMs);
  }

  async stop(): Promise<void> {
    if (!this.ctx.running.delete(this)) return;
    this.ctx.memory.push({ system: this.label, peaks: this.sampler.stop() });
    await this.host.stop();
  }
}
