import * as hdr from 'hdr-histogram-js';
import type { History, LoadPhase, LoadSecond } from './history';
import type { LatencyPercentiles } from './load-run';
import { spectrumOf, type SpectrumPoint } from './spectrum';

/*
 * Records the requests of load runs into the history as per-second aggregates: one HdrHistogram per second (all
 * phases together, on one grid counted from the workload's start, so that the report's charts line up with the
 * operations of other workloads) and one per phase for its whole distribution. A run of an hour at thousands of
 * requests per second then costs a few thousand small records, not millions of operations.
 * Latencies are recorded in microseconds (HdrHistogram counts integers; 3 significant digits).
 */

/** One finished request, epoch ms. */
export interface LoadSample {
  /** When it was meant to start: open-loop latency runs from here. */
  startedAt: number;
  /** When it went out on a connection (closed-loop latency); the same as startedAt for a closed-loop client. */
  sentAt: number;
  endedAt: number;
  ok: boolean;
}

/** A second stays open this long after it ends, for requests invoked in it that are still waiting for their answer. */
export const SECOND_GRACE_MS = 15_000;

interface OpenSecond {
  ok: number;
  failed: number;
  hist: hdr.Histogram;
}

function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
}

const us = (ms: number) => Math.max(1, Math.round(ms * 1000));
const ms = (us: number) => us / 1000;

function percentiles(h: hdr.Histogram): LatencyPercentiles {
  if (h.totalCount === 0) return { p50: NaN, p90: NaN, p97_5: NaN, p99: NaN, max: NaN };
  return {
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p97_5: ms(h.getValueAtPercentile(97.5)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
  };
}

function spectrum(h: hdr.Histogram): SpectrumPoint[] {
  return spectrumOf(h.totalCount, (p) => ms(p >= 100 ? h.maxValue : h.getValueAtPercentile(p)));
}

function toSecond(at: number, s: OpenSecond): LoadSecond {
  const n = s.hist.totalCount;
  return {
    at,
    ok: s.ok,
    failed: s.failed,
    p50: n ? ms(s.hist.getValueAtPercentile(50)) : null,
    p90: n ? ms(s.hist.getValueAtPercentile(90)) : null,
    p99: n ? ms(s.hist.getValueAtPercentile(99)) : null,
    max: n ? ms(s.hist.maxValue) : null,
  };
}

/** What a phase measured, for its LoadRun. */
export interface PhaseFigures {
  ok: number;
  failed: number;
  latencyMs: LatencyPercentiles;
  closedLoopLatencyMs: LatencyPercentiles;
  spectrum: SpectrumPoint[];
  closedLoopSpectrum: SpectrumPoint[];
  /** Ok answers per second of the phase (by completion), for its requests/s figures. */
  perSecond: number[];
}

export class LoadPhaseRecorder {
  private ok = 0;
  private failed = 0;
  private readonly open = newHistogram();
  private readonly closed = newHistogram();
  private readonly perSecond: number[] = [];

  constructor(
    private readonly parent: LoadRecorder,
    readonly phase: LoadPhase,
  ) {}

  record(s: LoadSample): void {
    if (s.ok) {
      this.ok++;
      this.open.recordValue(us(s.endedAt - s.startedAt));
      this.closed.recordValue(us(s.endedAt - s.sentAt));
      const second = Math.max(0, Math.floor((s.endedAt - this.phase.startedAt) / 1000));
      while (this.perSecond.length <= second) this.perSecond.push(0);
      this.perSecond[second]++;
    } else this.failed++;
    this.parent.recordSecond(s, this.phase.loop);
  }

  /** Ends the phase: its window goes into the history, its figures to the caller. */
  finish(): PhaseFigures {
    this.phase.endedAt = Date.now();
    return {
      ok: this.ok,
      failed: this.failed,
      latencyMs: percentiles(this.open),
      closedLoopLatencyMs: percentiles(this.closed),
      spectrum: spectrum(this.open),
      closedLoopSpectrum: spectrum(this.closed),
      perSecond: this.perSecond,
    };
  }
}

export class LoadRecorder {
  private readonly seconds = new Map<number, OpenSecond>();

  /** @param t0 epoch ms the seconds are counted from (the workload's start). */
  constructor(
    private readonly history: History,
    private readonly t0: number,
    private readonly now: () => number = Date.now,
  ) {
    history.loadSeconds ??= [];
    history.loadPhases ??= [];
  }

  /** Starts a phase; its window is in the history at once (endedAt follows the clock until it finishes). */
  phase(label: string, loop: LoadPhase['loop']): LoadPhaseRecorder {
    const phase: LoadPhase = { label, startedAt: this.now(), endedAt: 0, loop };
    this.history.loadPhases!.push(phase);
    return new LoadPhaseRecorder(this, phase);
  }

  /** @internal counts one request in the second it was invoked in. */
  recordSecond(s: LoadSample, loop: LoadPhase['loop']): void {
    const invoked = loop === 'open' ? s.startedAt : s.sentAt;
    const key = this.t0 + Math.floor((invoked - this.t0) / 1000) * 1000;
    let sec = this.seconds.get(key);
    if (!sec) this.seconds.set(key, (sec = { ok: 0, failed: 0, hist: newHistogram() }));
    if (s.ok) {
      sec.ok++;
      sec.hist.recordValue(us(s.endedAt - s.startedAt));
    } else sec.failed++;
    this.settle(this.now() - SECOND_GRACE_MS);
  }

  /** Moves the seconds that ended before `before` from the open histograms into the history. */
  settle(before = Infinity): void {
    let moved = false;
    for (const [at, sec] of this.seconds) {
      if (at + 1000 > before) continue;
      this.history.loadSeconds!.push(toSecond(at, sec));
      this.seconds.delete(at);
      moved = true;
    }
    if (moved) this.history.loadSeconds!.sort((a, b) => a.at - b.at);
  }

  /** The settled seconds and the open ones, for a live view (the history itself is not changed). */
  snapshot(): LoadSecond[] {
    const open = [...this.seconds].map(([at, s]) => toSecond(at, s));
    return [...this.history.loadSeconds!, ...open].sort((a, b) => a.at - b.at);
  }
}
