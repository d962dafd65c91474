import type { FaultWindow } from '../core/history';

/*
 * Small formatting helpers shared by the checkers, so that every summary names things the same way: times as UTC
 * wall-clock (they line up with the system's logs), faults as "kind of target at time", lists cut short.
 */

/** UTC time of day with milliseconds, e.g. "12:00:01.234". */
export function clock(at: number): string {
  return new Date(at).toISOString().slice(11, 23);
}

/** "kill-master of 4567 at 12:00:01.234" */
export function faultLabel(fault: FaultWindow): string {
  return `${fault.kind}${fault.target !== undefined ? ` of ${fault.target}` : ''} at ${clock(fault.startedAt)}`;
}

/** The first `max` items joined by ", ", with "…" when some were left out. */
export function listSome(items: readonly (string | number)[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown}, …` : shown;
}

/** "1 write" / "3 writes": only the regular plurals the summaries need. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Rounds to one decimal, for percentages and milliseconds in threshold rows. */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Joins the failures of a verdict into its one-line summary: the first few, then how many more. */
export function joinProblems(problems: readonly string[], max = 3): string {
  const shown = problems.slice(0, max).join('; ');
  return problems.length > max ? `${shown}; and ${problems.length - max} more` : shown;
}

/** A fault's target as a worker PID, or undefined when it hit a service or names no worker. */
export function targetPid(fault: FaultWindow): number | undefined {
  if (fault.target === undefined || !/^\d+$/.test(fault.target.trim())) return undefined;
  return Number(fault.target.trim());
}
