import type { WorkerView } from '../../system/common/protocol/worker-view';
import type { FaultKind } from '../nemesis/registry';

/*
 * The history of a run: every client operation with its invocation and completion time and outcome, the faults the
 * nemesis injected, and samples of the topology. Checkers judge a history; the report draws it.
 * Times are milliseconds since the epoch (Date.now()) so that they line up with the system's own logs.
 */

/** ok: the system acknowledged it. failed: the system said it did not happen (4xx, or 503 before acceptance).
 * unknown: no answer or a 5xx/timeout after the request may have reached a worker: it may or may not have applied. */
export type Outcome = 'ok' | 'failed' | 'unknown';

export type OpKind = 'read' | 'write';

export interface Operation {
  /** Sequential index in the history. */
  index: number;
  /** The client (logical process) that issued it. */
  client: number;
  kind: OpKind;
  /** For writes: the unique tag written with the row, to find it on every replica afterwards. */
  key?: string;
  /** For writes: the run-wide number of the write (0, 1, 2... as issued); reads name the writes they saw by it. */
  writeSeq?: number;
  /** For reads of the written rows: the writes the reply held, as write numbers in ranges ("0-41,43,45-47", see
   * ranges.ts). A read mostly sees a prefix of the writes, so this stays short where a list of keys would grow with
   * every write and make the history quadratic. Absent for reads that do not look at the written rows. */
  saw?: string;
  /** For reads of the written rows in a long run: the read asked only for writes numbered from this one on (the newest
   * ones, so that a read stays small however long the run); older writes were out of its sight. Absent: all writes. */
  sawFrom?: number;
  /** For reads: the minLsn the request carried (the highest LSN its client had seen); absent for a plain read. */
  minLsn?: number;
  startedAt: number;
  endedAt: number;
  outcome: Outcome;
  /** HTTP status, or 0 when no response came. */
  status: number;
  /** PID of the worker that answered, when the reply says so. */
  worker?: number;
  /** LSN of an acknowledged write; for a read, the LSN its reply carries (the replica's applied LSN when it read). */
  lsn?: number;
  /** Epoch of the master that acknowledged a write, when the reply carries one (the fencing checker uses it). */
  epoch?: number;
  error?: string;
}

/** The kinds of fault, derived from the nemesis's registry: the one list of faults. */
export type { FaultKind };

/** One fault from injection until the nemesis considers it healed (the window the report shades). */
export interface FaultWindow {
  kind: FaultKind;
  startedAt: number;
  endedAt: number;
  /** PID or service the fault hit. */
  target?: string;
  /** Topology just before the fault, when the nemesis looked (election checks compare against it). */
  before?: WorkerSample[];
  note?: string;
  /** Whether the nemesis saw the fault take effect (absent: the fault does not check). */
  inEffect?: boolean;
}

/** One worker in a topology sample: the orchestrator's `WorkerView` without the epoch, which no chart or checker reads. */
export type WorkerSample = Omit<WorkerView, 'epoch' | 'seededLsn'>;

export interface TopologySample {
  at: number;
  workers: WorkerSample[];
}

/** One autoscaler decision, as /api/v1/scaling reported it. */
export interface ScaleTick {
  at: number;
  reads: number;
  target: number;
  /** Ready slaves observed once the decision settled. */
  observedSlaves: number;
}

export interface ElectionEvent {
  /** When the new master was first seen. */
  at: number;
  /** The fault that caused it. */
  fault: FaultWindow;
  newMasterPid: number;
}

/*
 * A load run sends thousands of requests a second: too many to keep one by one, so its requests are kept as
 * per-second aggregates (LoadRecorder, HdrHistogram per second) instead of Operations.
 */
export interface LoadSecond {
  /** Start of the second, epoch ms; seconds count from the workload's start. */
  at: number;
  /** Requests invoked in this second, by outcome (failed: an error, a timeout, a non-2xx answer or not sent). */
  ok: number;
  failed: number;
  /** Latency of the ok ones, ms: open loop (from the scheduled start) in a fixed-rate phase, else from the send. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

/** One phase of a load workload (the report marks it on every time chart). */
export interface LoadPhase {
  label: string;
  startedAt: number;
  endedAt: number;
  /** open: requests sent on a fixed schedule, latency from the scheduled start; closed: each connection waits for its answer. */
  loop: 'open' | 'closed';
}

/** A fault after which the system stopped by design (e.g. its replication log deleted), and when it was seen stopped. */
export interface SystemStop {
  kind: FaultKind;
  /** When the fault hit. */
  faultAt: number;
  /** When the nemesis first saw no ready master (from then on nothing may be answered). */
  at: number;
  reason: string;
}

export interface History {
  ops: Operation[];
  /** Per-second aggregates of load runs (absent in reports written before they existed). */
  loadSeconds?: LoadSecond[];
  loadPhases?: LoadPhase[];
  faults: FaultWindow[];
  topology: TopologySample[];
  scaleTicks: ScaleTick[];
  elections: ElectionEvent[];
  /** Set when a fault stopped the system by design; no fault follows it. */
  stopped?: SystemStop;
}

export function emptyHistory(): History {
  return { ops: [], loadSeconds: [], loadPhases: [], faults: [], topology: [], scaleTicks: [], elections: [] };
}

/** Appends operations with sequential indexes; one recorder per run, shared by every client. */
export class HistoryRecorder {
  readonly history: History = emptyHistory();

  record(op: Omit<Operation, 'index'>): Operation {
    const full = { ...op, index: this.history.ops.length };
    this.history.ops.push(full);
    return full;
  }
}
