import { sleep } from '../../system/common/time/sleep';
import type { DbClient } from './db-client';
import { seededRandom } from './random';
import { WriteKeys } from './write-keys';

export interface MixedLoadOptions {
  /** Share of reads among operations, 0..1. */
  readRatio: number;
  /** Share of reads that carry minLsn (the client's highest LSN seen: read-your-writes), 0..1; the rest are plain
   * reads, which may be answered by any replica at any LSN. Default 0.5. */
  minLsnRatio?: number;
  /** Total operations per second over all clients (each client paces itself at rate / clients). */
  rate: number;
  /** Stops after this long... */
  durationMs: number;
  /** ...or after this many operations in all, whichever comes first. */
  maxOps: number;
  seed: number;
  /** Prefix of write keys; unique per run. */
  keyPrefix: string;
  /** Stops the load early. */
  signal?: AbortSignal;
}

/*
 * A bounded mixed workload: each client alternates reads and writes chosen by a seeded RNG at a fixed pace. It stops
 * by itself (duration, count) or when `signal` aborts; `done` settles when every client has finished. Every read
 * reads back the written rows, so that the read checkers know what it saw.
 */
export class MixedLoad {
  private stopped = false;
  private issued = 0;
  private readonly keys: WriteKeys;
  readonly done: Promise<void>;

  constructor(clients: DbClient[], private readonly o: MixedLoadOptions) {
    const until = Date.now() + o.durationMs;
    const gapMs = (1000 * clients.length) / o.rate;
    this.keys = new WriteKeys(o.keyPrefix);
    o.signal?.addEventListener('abort', () => (this.stopped = true), { once: true });
    this.done = Promise.all(clients.map((c, i) => this.runClient(c, seededRandom(o.seed + i), until, gapMs))).then(() => undefined);
  }

  /** Stops issuing operations (those in flight complete); `done` resolves once they have. */
  stop(): void {
    this.stopped = true;
  }

  private async runClient(client: DbClient, random: () => number, until: number, gapMs: number): Promise<void> {
    let next = Date.now() + random() * gapMs;
    while (!this.stopped && Date.now() < until && this.issued < this.o.maxOps) {
      await sleep(Math.max(0, next - Date.now()));
      if (this.stopped) break;
      this.issued++;
      if (random() < this.o.readRatio) await client.readWrites(this.keys, random() < (this.o.minLsnRatio ?? 0.5));
      else {
        const { seq, key } = this.keys.take(client.id);
        await client.write(key, seq);
      }
      next = Math.max(next + gapMs, Date.now() - gapMs);
    }
  }
}

/** Issues exactly `count` reads from `clients` in parallel, as fast as they are answered (a burst). */
export async function readBurst(clients: DbClient[], count: number): Promise<void> {
  let left = count;
  await Promise.all(
    clients.map(async (c) => {
      while (left > 0) {
        left--;
        await c.read();
      }
    }),
  );
}
