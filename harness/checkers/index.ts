/*
 * The checkers: each judges a run's history (and the final state of the replicas) against one promise of the
 * system and returns a Verdict with a one-line summary and threshold rows for the report.
 */
export { AvailabilityChecker, AVAILABILITY_DEFAULTS, type AvailabilityCheckerOptions } from './availability-checker';
export { ConvergenceChecker, CONVERGENCE_DEFAULTS, type ConvergenceCheckerOptions } from './convergence-checker';
export { ElectionChecker, ELECTION_DEFAULTS, type ElectionCheckerOptions } from './election-checker';
export { LatencyChecker, LATENCY_DEFAULTS, LATENCY_METRICS, type LatencyCheckerOptions, type LatencyLimits, type LatencyMetric } from './latency-checker';
export { ScalingChecker, SCALING_DEFAULTS, type ScalingCheckerOptions } from './scaling-checker';
export { WriteIntegrityChecker, WRITE_INTEGRITY_DEFAULTS, type WriteIntegrityCheckerOptions } from './write-integrity-checker';
export { LoadChecker, type LoadCheckerOptions } from './load-checker';
