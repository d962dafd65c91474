import type { ScenarioReport } from '../core/scenario-report';

/** A report's load runs added up: requests sent and the share that failed (errors, timeouts, non-2xx). */
export function loadTotals(report: Pick<ScenarioReport, 'load'>): { requests: number; bad: number; errorShare: number | null } {
  let requests = 0;
  let bad = 0;
  for (const r of report.load) {
    // autocannon counts answered requests; errors (no answer) come on top, as the load checker counts them.
    requests += r.requests + r.errors;
    bad += r.errors + r.timeouts + r.non2xx;
  }
  return { requests, bad, errorShare: requests > 0 ? bad / requests : null };
}
