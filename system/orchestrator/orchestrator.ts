import type { Server } from 'node:http';
import type { Config } from '../common/config/config';
import type { Logger } from '../common/logging/logger';
import { applyHttpLimits, httpLimits } from '../common/http/server-limits';
import { listenError } from '../common/process/port-preflight';
import { once, runStopSteps } from '../common/process/stop-steps';
import { ZkClient } from '../common/zk/zk-client';
import { createApp } from './http/app';
import { OrchestratorMetrics } from './http/metrics';
import { AckedLsn } from './queue/acked-lsn';
import { RpcClient } from './queue/rpc-client';
import { Autoscaler } from './scaling/autoscaler';
import { createRuntime } from './runtime/create-runtime';
import { linkProxyEnv } from './runtime/link-proxy-client';
import type { WorkerRuntime } from './runtime/worker-runtime';
import { SessionKeeper } from './supervision/session-keeper';
import { Supervisor } from './supervision/supervisor';

export interface OrchestratorOptions {
  config: Config;
  /** The orchestrator's own AMQP URL (its user may publish requests and read replies, nothing else). */
  rabbitmqUrl: string;
  /** The AMQP URL its workers get (their user); default: rabbitmqUrl. */
  rabbitmqWorkerUrl?: string;
  zookeeperConnect: string;
  /** The ZooKeeper connect string its workers get; default: zookeeperConnect (the harness gives each part its own
   * link proxies, so the orchestrator's and the workers' differ). */
  workerZookeeperConnect?: string;
  /** ZOOKEEPER_AUTH (`user:password`) for the orchestrator's session and its workers'; undefined: no ACL. */
  zookeeperAuth?: string;
  log: Logger;
  /** Defaults to the runtime named by WORKER_RUNTIME. */
  runtime?: WorkerRuntime;
  /** Called when the orchestrator cannot go on; the owner should stop it. (A lost ZooKeeper session is not such a case: it is renewed.) */
  onFatal?: (reason: string) => void;
}

/*
 * The DBaaS orchestrator: HTTP API in front, queues behind, and the supervisor that keeps the workers running.
 */
export class Orchestrator {
  private server: Server | undefined;
  private session: SessionKeeper | undefined;
  private rpc: RpcClient | undefined;
  private supervisorRef: Supervisor | undefined;
  private autoscaler: Autoscaler | undefined;
  private boundPort = 0;
  private runtimeRef: WorkerRuntime | undefined;

  constructor(private readonly o: OrchestratorOptions) {}

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  /** Where the workers run (processes or containers): the harness asks it which workers really run. */
  get runtime(): WorkerRuntime {
    if (!this.runtimeRef) throw new Error('orchestrator not started');
    return this.runtimeRef;
  }

  get supervisor(): Supervisor {
    if (!this.supervisorRef) throw new Error('orchestrator not started');
    return this.supervisorRef;
  }

  async start(): Promise<void> {
    const { config, log } = this.o;
    // The orchestrator only watches; a longer session than the workers' keeps a busy machine from expiring it. When it
    // is lost all the same, the keeper opens a new one and the supervisor adopts its workers again.
    this.session = new SessionKeeper({
      open: async () => {
        const zk = new ZkClient({
          connect: this.o.zookeeperConnect,
          root: config.zkRoot,
          sessionTimeoutMs: config.orchestratorZkSessionTimeoutMs,
          auth: this.o.zookeeperAuth,
        });
        await zk.connect();
        return zk;
      },
      retryMs: config.orchestratorZkReconnectMs,
      sessionTimeoutMs: config.orchestratorZkSessionTimeoutMs,
      log,
    });
    await this.session.start();
    this.rpc = new RpcClient({ url: this.o.rabbitmqUrl, timeoutMs: config.rpcTimeoutMs, log });
    await this.rpc.start();

    const workerLinks = { rabbitmqUrl: this.o.rabbitmqWorkerUrl ?? this.o.rabbitmqUrl, zookeeperConnect: this.o.workerZookeeperConnect ?? this.o.zookeeperConnect };
    const runtime = this.o.runtime ?? (await createRuntime(config, { ...workerLinks, zookeeperAuth: this.o.zookeeperAuth }, log));
    const linkProxy = config.workerLinkProxy;
    this.runtimeRef = runtime;
    this.supervisorRef = new Supervisor({
      runtime,
      session: this.session,
      log,
      initialSlaves: config.initialSlaves,
      maxSlaves: config.maxSlaves,
      startTimeoutMs: config.workerStartTimeoutMs,
      stopTimeoutMs: config.workerStopTimeoutMs,
      killLostWorkers: config.killLostWorkers,
      // Only the harness sets it: each worker then connects through proxies that can cut its links.
      workerEnv: linkProxy ? (id) => linkProxyEnv(linkProxy, id, workerLinks) : undefined,
    });

    const supervisor = this.supervisorRef;
    const session = this.session;
    const metrics = new OrchestratorMetrics();
    const autoscaler = new Autoscaler({
      intervalMs: config.scaleIntervalMs,
      readsPerSlave: config.readsPerSlave,
      maxSlaves: config.maxSlaves,
      apply: async (wanted) => {
        metrics.scalingDecisions.inc();
        await supervisor.setWantedSlaves(wanted);
      },
      log,
    });
    this.autoscaler = autoscaler;
    const scalingView = async () => {
      const slaves = (await supervisor.workers()).filter((w) => w.role !== 'master' && w.state !== 'stopping').length;
      return { ...autoscaler.snapshot(), wantedSlaves: supervisor.wantedSlaves, actualSlaves: slaves };
    };
    const rpc = this.rpc;
    // The master's applied LSN, asked of the master itself (the last one found, looked up again when it does not
    // answer); without a master that answers, the highest LSN in the workers' znodes.
    let masterId: string | undefined;
    const askMaster = async (id: string) => (await rpc.control(id, { cmd: 'lsn' }, config.minLsnCheckTimeoutMs)).lsn;
    const ackedLsn = new AckedLsn(async () => {
      if (masterId) {
        try {
          return await askMaster(masterId);
        } catch {
          masterId = undefined;
        }
      }
      const workers = await supervisor.workers();
      masterId = workers.find((w) => w.role === 'master' && w.state === 'ready')?.id;
      if (masterId) {
        try {
          return await askMaster(masterId);
        } catch (err) {
          log.warn({ err: (err as Error).message }, 'the master did not tell its LSN; going by ZooKeeper');
        }
      }
      return Math.max(0, ...workers.map((w) => w.appliedLsn ?? 0));
    });
    const app = createApp({
      rpc: this.rpc,
      ackedLsn,
      supervisor: this.supervisorRef,
      metrics,
      log,
      token: config.token,
      bodyLimit: config.bodyLimit,
      onRead: () => autoscaler.recordRead(),
      views: { scaling: scalingView },
      zookeeperUp: () => session.available,
      gauges: () => {
        metrics.zookeeperSession.set(session.available ? 1 : 0);
        metrics.zookeeperRenewals.set(session.renewals);
        const s = autoscaler.snapshot();
        metrics.scalingReads.set(s.readsThisInterval);
        metrics.scalingWanted.set(supervisor.wantedSlaves);
      },
    });
    await this.supervisorRef.bootstrap();
    this.server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.orchestratorPort, config.bindHost, () => resolve(s));
      applyHttpLimits(s, httpLimits(config));
      s.once('error', (err) => reject(listenError(err, config.bindHost, config.orchestratorPort)));
    });
    const address = this.server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : config.orchestratorPort;
    log.info({ url: this.url }, 'orchestrator listening');
  }

  /**
   * Graceful stop: no new requests, every worker stopped, connections closed. Every step runs even when one fails;
   * a second call waits for the first.
   */
  readonly stop = once(() =>
    runStopSteps([
      {
        name: 'HTTP server',
        run: async () => {
          const server = this.server;
          if (!server) return;
          // No new connections; requests in flight get up to RPC_TIMEOUT_MS (the longest a request waits on the
          // queues), then every connection is closed. Waiting for keep-alive clients to leave by themselves hung a
          // restart of the system under load (found by the long-history scenario).
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections?.();
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, this.o.config.rpcTimeoutMs)))]);
          clearTimeout(timer);
          server.closeAllConnections?.();
          await closed;
        },
      },
      { name: 'autoscaler', run: () => this.autoscaler?.stop() },
      { name: 'workers', run: () => this.supervisorRef?.close() },
      { name: 'queue client', run: () => this.rpc?.close() },
      { name: 'ZooKeeper session', run: () => this.session?.close() },
    ]),
  );
}
