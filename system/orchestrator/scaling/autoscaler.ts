import type { Logger } from '../../common/logging/logger';
import { systemClock, type Clock } from '../../common/time/clock';
import { wantedSlaves } from './scaling-rule';

export interface AutoscalerOptions {
  /** Length of a counting interval. Default 120000 (SCALE_INTERVAL_MS). */
  intervalMs: number;
  /** Reads one slave is meant to carry per interval. Default 20 (READS_PER_SLAVE). */
  readsPerSlave: number;
  maxSlaves: number;
  /** Applies a decision (the supervisor's setWantedSlaves). */
  apply: (wanted: number) => Promise<void>;
  log: Logger;
  clock?: Clock;
}

export interface ScalingDecision {
  /** Wall-clock time of the decision (ms since the epoch), for people and the harness. */
  at: number;
  reads: number;
  wanted: number;
}

const KEPT_DECISIONS = 50;

/*
 * Read-driven autoscaling, as the assignment has it: only db reads are counted; the first read starts the timer;
 * at the end of every interval the wanted slave count becomes max(1, ceil(count / readsPerSlave)) and the count
 * starts again from zero. The supervisor owns the actual count and converges to the decision.
 */
export class Autoscaler {
  private reads = 0;
  private timer: unknown;
  private startedAt: number | undefined;
  private nextTickAt: number | undefined;
  private readonly decisions: ScalingDecision[] = [];
  private stopped = false;
  private readonly clock: Clock;

  constructor(private readonly o: AutoscalerOptions) {
    this.clock = o.clock ?? systemClock;
  }

  recordRead(): void {
    this.reads++;
    if (this.startedAt === undefined && !this.stopped) {
      this.startedAt = this.clock.now();
      this.schedule(this.startedAt + this.o.intervalMs);
    }
  }

  private schedule(at: number): void {
    this.nextTickAt = at;
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(0, at - this.clock.now()));
  }

  private tick(): void {
    if (this.stopped) return;
    const at = this.clock.now();
    const decision: ScalingDecision = { at: this.clock.wall(), reads: this.reads, wanted: wantedSlaves(this.reads, this.o.readsPerSlave, this.o.maxSlaves) };
    this.reads = 0;
    this.decisions.push(decision);
    if (this.decisions.length > KEPT_DECISIONS) this.decisions.shift();
    this.o.log.info(decision, 'scaling decision');
    // Ticks keep their cadence from the first read, whatever the time spent applying a decision.
    this.schedule((this.nextTickAt ?? at) + this.o.intervalMs);
    this.o.apply(decision.wanted).catch((err) => this.o.log.error({ err: (err as Error).message }, 'could not apply a scaling decision'));
  }

  snapshot() {
    return {
      intervalMs: this.o.intervalMs,
      readsPerSlave: this.o.readsPerSlave,
      maxSlaves: this.o.maxSlaves,
      timerStarted: this.startedAt !== undefined,
      readsThisInterval: this.reads,
      nextTickInMs: this.nextTickAt === undefined ? null : Math.max(0, this.nextTickAt - this.clock.now()),
      lastDecision: this.decisions.at(-1) ?? null,
      decisions: [...this.decisions],
    };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
  }
}
