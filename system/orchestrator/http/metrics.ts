import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The orchestrator's Prometheus metrics, on its own registry (tests run several orchestrators in one process). */
export class OrchestratorMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'dbaas_requests_total',
    help: 'Database API requests by kind and outcome',
    labelNames: ['kind', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'dbaas_request_seconds',
    help: 'Database API request latency by kind',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly workers = new Gauge({
    name: 'dbaas_workers',
    help: 'Running workers by role',
    labelNames: ['role'] as const,
    registers: [this.registry],
  });

  readonly scalingReads = new Gauge({
    name: 'dbaas_scaling_reads_in_interval',
    help: 'Database reads counted so far in the current scaling interval',
    registers: [this.registry],
  });
  readonly scalingWanted = new Gauge({
    name: 'dbaas_scaling_wanted_slaves',
    help: 'Slave count the autoscaler currently wants',
    registers: [this.registry],
  });
  readonly scalingDecisions = new Counter({
    name: 'dbaas_scaling_decisions_total',
    help: 'Scaling decisions taken (one per interval after the first read)',
    registers: [this.registry],
  });

  readonly zookeeperSession = new Gauge({
    name: 'dbaas_orchestrator_zookeeper_session',
    help: 'Whether the orchestrator has a usable ZooKeeper session (1) or not (0)',
    registers: [this.registry],
  });
  readonly zookeeperRenewals = new Gauge({
    name: 'dbaas_orchestrator_zookeeper_sessions_renewed',
    help: 'New ZooKeeper sessions the orchestrator opened after losing one',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
