import { randomBytes } from 'node:crypto';
import { freePort } from '../../system/common/net/ports';
import Docker from 'dockerode';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { configToEnv, loadConfig } from '../../system/common/config/config';
import { createLogger } from '../../system/common/logging/logger';
import { ensureServices } from '../../system/common/services/ensure-services';
import { LABELS } from '../../system/orchestrator/runtime/container-spec';
import { HttpClient } from '../testing/http-client';
import type { Cluster, Environment, EnvironmentOptions } from './environment';

/** What system/orchestrator/main.ts prints once it listens. */
const READY_LINE = /DBaaS orchestrator listening on/;
const SOCKET_IN_CONTAINER = '/var/run/docker.sock';

/*
 * The `docker` environment: RabbitMQ and ZooKeeper on the host's loopback (no registry here to pull their images;
 * started like `npm start` does), the orchestrator in a container of the system's image started with Testcontainers,
 * with the Docker socket mounted and WORKER_RUNTIME=docker, so that it starts the workers as sibling containers.
 * Every container uses host networking: all traffic stays on 127.0.0.1. Ryuk (the reaper) cannot be pulled, so it is
 * disabled and stop() removes every container carrying this deployment's label itself.
 */
export class DockerEnvironment implements Environment {
  readonly name = 'docker' as const;

  async start(options: EnvironmentOptions): Promise<DockerCluster> {
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    const suite = `h${process.pid}-${randomBytes(3).toString('hex')}`;
    const base = loadConfig({ ...process.env, ...options.env });
    const log = createLogger('harness-docker', 'warn');
    const docker = new Docker({ socketPath: base.dockerSocket });
    await docker.getImage(base.dockerImage).inspect().catch(() => {
      throw new Error(`Docker image ${base.dockerImage} is not there: build it with npm run docker:build`);
    });
    const services = await ensureServices(base, log);
    // The orchestrator's and the workers' own users; the harness inspects replicas as the admin.
    let urls = { orchestrator: services.rabbitmqUrl, worker: services.rabbitmqWorkerUrl, admin: services.rabbitmqAdminUrl };
    let port: number;
    try {
      if (services.rabbitmq) {
        await services.rabbitmq.addVhost(suite);
        const r = services.rabbitmq;
        urls = { orchestrator: r.url(suite, 'orchestrator'), worker: r.url(suite, 'worker'), admin: r.url(suite, 'admin') };
      }
      port = await freePort();
    } catch (err) {
      await services.stop();
      throw err;
    }
    const deployment = `dbaas-${suite}`;
    const config = loadConfig({ ...process.env, ZK_SESSION_TIMEOUT_MS: '1000', LOG_LEVEL: 'warn', ...options.env });
    const env: Record<string, string> = {
      ...configToEnv(config),
      RABBITMQ_URL: urls.orchestrator,
      RABBITMQ_WORKER_URL: urls.worker,
      ZOOKEEPER_CONNECT: services.zookeeperConnect,
      ...(services.zookeeperAuth ? { ZOOKEEPER_AUTH: services.zookeeperAuth } : {}),
      ZK_ROOT: `/harness/${suite}`,
      BIND_HOST: '127.0.0.1',
      ORCHESTRATOR_PORT: String(port),
      ORCHESTRATOR_URL: `http://127.0.0.1:${port}`,
      WORKER_RUNTIME: 'docker',
      DOCKER_NETWORK: 'host',
      DOCKER_DEPLOYMENT: deployment,
      DOCKER_SOCKET: SOCKET_IN_CONTAINER,
      DATA_DIR: '/tmp/dbaas',
      SERVICES_AUTO_INSTALL: 'false',
    };
    const cluster = new DockerCluster(docker, deployment, `http://127.0.0.1:${port}`, new HttpClient(`http://127.0.0.1:${port}`, config.token), {
      rabbitmqUrl: urls.admin,
      token: config.token,
      settings: { ...options.env, WORKER_RUNTIME: 'docker' },
      restartRabbitMq: services.rabbitmq ? () => services.rabbitmq!.restart() : undefined,
      restartZookeeper: services.zookeeper ? () => services.zookeeper!.restart() : undefined,
      cleanup: async () => {
        if (services.rabbitmq) await services.rabbitmq.deleteVhost(suite);
        await services.stop();
      },
    });
    try {
      cluster.orchestrator = await new GenericContainer(base.dockerImage)
        .withName(`${deployment}-orchestrator`)
        .withCommand(['dist/system/orchestrator/main.js'])
        .withNetworkMode('host')
        .withBindMounts([{ source: base.dockerSocket, target: SOCKET_IN_CONTAINER, mode: 'rw' }])
        .withEnvironment(env)
        .withLabels({ [LABELS.deployment]: deployment, [LABELS.role]: 'orchestrator' })
        .withWaitStrategy(Wait.forLogMessage(READY_LINE))
        .withStartupTimeout(config.workerStartTimeoutMs * 2)
        .start();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }
}

interface ClusterParts {
  rabbitmqUrl: string;
  token?: string;
  settings: Record<string, string>;
  restartRabbitMq?: () => Promise<void>;
  restartZookeeper?: () => Promise<void>;
  cleanup: () => Promise<void>;
}

export class DockerCluster implements Cluster {
  readonly environment = 'docker' as const;
  orchestrator: StartedTestContainer | undefined;
  private stopped: Promise<void> | undefined;

  constructor(
    readonly docker: Docker,
    /** Value of the dbaas.deployment label on every container of this cluster. */
    readonly deployment: string,
    readonly url: string,
    readonly http: HttpClient,
    private readonly parts: ClusterParts,
  ) {}

  get rabbitmqUrl(): string {
    return this.parts.rabbitmqUrl;
  }

  get token(): string | undefined {
    return this.parts.token;
  }

  get settings(): Record<string, string> {
    return this.parts.settings;
  }

  /** This deployment's containers (all states), optionally only one role's. */
  async containers(role?: 'worker' | 'orchestrator', running = false): Promise<Docker.ContainerInfo[]> {
    const label = [`${LABELS.deployment}=${this.deployment}`, ...(role ? [`${LABELS.role}=${role}`] : [])];
    return this.docker.listContainers({ all: !running, filters: { label, ...(running ? { status: ['running'] } : {}) } });
  }

  /** Running worker containers with their State.Pid, from Docker itself. */
  async workerContainers(): Promise<Array<{ id: string; workerId: string; pid: number }>> {
    const list = await this.containers('worker', true);
    const inspected = await Promise.all(list.map((c) => this.docker.getContainer(c.Id).inspect().catch(() => undefined)));
    return inspected.flatMap((i) =>
      i && i.State.Running && i.State.Pid > 0 ? [{ id: i.Id, workerId: i.Config.Labels[LABELS.workerId], pid: i.State.Pid }] : [],
    );
  }

  async runningWorkerPids(): Promise<number[]> {
    return (await this.workerContainers()).map((c) => c.pid).sort((a, b) => a - b);
  }

  async signalWorker(pid: number, signal: NodeJS.Signals): Promise<void> {
    // Through the Docker API, and only to a container of this deployment: a stale PID could name anything else.
    const target = (await this.workerContainers()).find((c) => c.pid === pid);
    if (!target) throw new Error(`no running worker container with PID ${pid} in deployment ${this.deployment}`);
    await this.docker.getContainer(target.id).kill({ signal });
  }

  async restartRabbitMq(): Promise<void> {
    if (!this.parts.restartRabbitMq) throw new Error('RABBITMQ_URL points at an external broker: the harness cannot restart it');
    await this.parts.restartRabbitMq();
  }

  async restartZookeeper(): Promise<void> {
    if (!this.parts.restartZookeeper) throw new Error('ZOOKEEPER_CONNECT points at an external ZooKeeper: the harness cannot restart it');
    await this.parts.restartZookeeper();
  }

  /** Stops the orchestrator gracefully (it stops its workers), then removes whatever container of the deployment is left. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      await this.orchestrator?.stop({ timeout: 30000 }).catch(() => undefined);
      const left = await this.containers();
      await Promise.all(left.map((c) => this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
      await this.parts.cleanup();
    })();
    return this.stopped;
  }
}
