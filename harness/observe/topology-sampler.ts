import { sleep } from '../../system/common/time/sleep';
import type { TopologySample, WorkerSample } from '../core/history';
import type { HttpClient } from '../testing/http-client';
import { workers } from '../testing/topology';

export async function readTopology(http: HttpClient): Promise<WorkerSample[]> {
  return (await workers(http)).map((w) => ({ id: w.id, pid: w.pid, role: w.role, state: w.state, appliedLsn: w.appliedLsn }));
}

/*
 * Samples the orchestrator's view of the workers every `everyMs` into the history (the report's "workers by role"
 * chart), and lets the nemesis wait for a condition on the next fresh samples.
 */
export class TopologySampler {
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private listeners = new Set<(s: TopologySample) => void>();

  constructor(
    private readonly http: HttpClient,
    private readonly samples: TopologySample[],
    private readonly everyMs = 200,
  ) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          const sample = { at: Date.now(), workers: await readTopology(this.http) };
          this.samples.push(sample);
          for (const l of this.listeners) l(sample);
        } catch {
          // The orchestrator may be briefly unreachable during a fault; the gap shows in the chart.
        }
        await sleep(this.everyMs);
      }
    })();
  }

  /** Resolves with the first sample (taken from now on) that satisfies `predicate`; rejects after `timeoutMs`. */
  waitFor(what: string, predicate: (workers: WorkerSample[]) => boolean, timeoutMs: number): Promise<TopologySample> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        const last = this.samples.at(-1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last?.workers ?? null)}`));
      }, timeoutMs);
      const listener = (s: TopologySample) => {
        if (!predicate(s.workers)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(s);
      };
      this.listeners.add(listener);
    });
  }

  /** Calls `listener` with every sample from now on, until the returned function is called. */
  subscribe(listener: (s: TopologySample) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  latest(): TopologySample | undefined {
    return this.samples.at(-1);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}
