import type { FaultWindow, Operation } from '../core/history';

/*
 * Which operations a fault may have disturbed. An operation belongs to a fault window when its lifetime
 * [startedAt, endedAt] overlaps the window stretched by a grace period after the fault healed: an op already in
 * flight when the master died fails because of the fault, as much as one started during it, and counting it in the
 * steady state would blame the steady state for the fault.
 */

export interface Span {
  from: number;
  to: number;
}

/** The window of a fault, its end pushed back by `graceMs`. */
export function faultSpan(fault: FaultWindow, graceMs: number): Span {
  return { from: fault.startedAt, to: Math.max(fault.endedAt, fault.startedAt) + graceMs };
}

export function overlaps(op: Pick<Operation, 'startedAt' | 'endedAt'>, span: Span): boolean {
  return op.startedAt <= span.to && Math.max(op.endedAt, op.startedAt) >= span.from;
}

/** True when the op overlaps none of the faults (each stretched by `graceMs`): the steady state. */
export function isSteady(op: Pick<Operation, 'startedAt' | 'endedAt'>, faults: readonly FaultWindow[], graceMs: number): boolean {
  return faults.every((f) => !overlaps(op, faultSpan(f, graceMs)));
}
