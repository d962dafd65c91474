import { randomBytes } from 'node:crypto';
import { freePort } from '../../system/common/net/ports';
import Docker from 'dockerode';
import { waitUntil } from '../../system/common/time/wait-until';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { configToEnv, loadConfig } from '../../system/common/config/config';
import { LABELS } from '../../system/orchestrator/runtime/container-spec';
import { HttpClient } from '../testing/http-client';
import type { Cluster, Environment, EnvironmentOptions } from './environment';
import { serviceImage, startRabbitMqContainer, startZookeeperContainer, type RabbitMqContainer, type ZookeeperContainer } from './service-containers';

/** What system/orchestrator/main.ts prints once it listens. */
const READY_LINE = /DBaaS orchestrator listening on/;
const SOCKET_IN_CONTAINER = '/var/run/docker.sock';

/*
 * The `docker` environment: every part of the system is a container. RabbitMQ and ZooKeeper run from their images
 * (RABBITMQ_IMAGE / ZOOKEEPER_IMAGE; by default the ones docker/service-images.sh builds from Debian packages) with
 * Testcontainers, each with its own generated credentials; the orchestrator runs from the system's image with the
 * Docker socket mounted and WORKER_RUNTIME=docker, so that it starts the workers as sibling containers. Every container
 * uses host networking: all traffic stays on 127.0.0.1. The restart nemeses restart the two server containers. Ryuk
 * (the reaper) cannot be pulled, so it is disabled and stop() removes every container carrying this deployment's label.
 */
export class DockerEnvironment implements Environment {
  readonly name = 'docker' as const;

  async start(options: EnvironmentOptions): Promise<DockerCluster> {
    if (options.linkProxies) throw new Error('network faults need link proxies, which only the local environment has (use --env local)');
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    const suite = `h${process.pid}-${randomBytes(3).toString('hex')}`;
    const deployment = `dbaas-${suite}`;
    const base = loadConfig({ ...process.env, ...options.env });
    const docker = new Docker({ socketPath: base.dockerSocket });
    await docker.getImage(base.dockerImage).inspect().catch(() => {
      throw new Error(`Docker image ${base.dockerImage} is not there: build it with npm run docker:build`);
    });
    const [rabbitmqImage, zookeeperImage] = [await serviceImage(docker, 'rabbitmq'), await serviceImage(docker, 'zookeeper')];
    const labels = (role: string) => ({ [LABELS.deployment]: deployment, [LABELS.role]: role });
    const startTimeoutMs = base.localServiceStartTimeoutMs;
    const servers: { rabbitmq?: RabbitMqContainer; zookeeper?: ZookeeperContainer } = {};
    const stopServers = async () => {
      await Promise.all([servers.rabbitmq?.stop(), servers.zookeeper?.stop()]);
    };
    let port: number;
    try {
      [servers.rabbitmq, servers.zookeeper] = await Promise.all([
        startRabbitMqContainer(rabbitmqImage, `${deployment}-rabbitmq`, labels('rabbitmq'), startTimeoutMs),
        startZookeeperContainer(zookeeperImage, `${deployment}-zookeeper`, labels('zookeeper'), base, startTimeoutMs),
      ]);
      port = await freePort();
    } catch (err) {
      await stopServers();
      await removeLabelled(docker, deployment);
      throw err;
    }
    const { rabbitmq, zookeeper } = servers as Required<typeof servers>;
    const config = loadConfig({ ...process.env, ZK_SESSION_TIMEOUT_MS: '1000', LOG_LEVEL: 'warn', ...options.env });
    const env: Record<string, string> = {
      ...configToEnv(config),
      RABBITMQ_URL: rabbitmq.url('orchestrator'),
      RABBITMQ_WORKER_URL: rabbitmq.url('worker'),
      ZOOKEEPER_CONNECT: zookeeper.connectString,
      ZOOKEEPER_AUTH: zookeeper.auth,
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
      rabbitmqUrl: rabbitmq.url('admin'),
      token: config.token,
      settings: { ...options.env, WORKER_RUNTIME: 'docker', RABBITMQ_IMAGE: rabbitmqImage, ZOOKEEPER_IMAGE: zookeeperImage },
      restartRabbitMq: () => rabbitmq.restart(),
      restartZookeeper: () => zookeeper.restart(),
      cleanup: stopServers,
    });
    try {
      cluster.orchestrator = await new GenericContainer(base.dockerImage)
        .withName(`${deployment}-orchestrator`)
        .withCommand(['dist/system/orchestrator/main.js'])
        .withNetworkMode('host')
        .withBindMounts([{ source: base.dockerSocket, target: SOCKET_IN_CONTAINER, mode: 'rw' }])
        .withEnvironment(env)
        .withLabels(labels('orchestrator'))
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

/** Removes every container (and its anonymous volumes) carrying the deployment's label. */
async function removeLabelled(docker: Docker, deployment: string, except: string[] = []): Promise<void> {
  const left = await docker.listContainers({ all: true, filters: { label: [`${LABELS.deployment}=${deployment}`] } });
  await Promise.all(
    left.filter((c) => !except.includes(c.Id)).map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)),
  );
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
  async containers(role?: 'worker' | 'orchestrator' | 'rabbitmq' | 'zookeeper', running = false): Promise<Docker.ContainerInfo[]> {
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

  async wipeRabbitMq(): Promise<void> {
    throw new Error('wipe-rabbitmq runs in the local environment only');
  }

  /** A worker's files are inside its container: the disk faults run in the local environment only. */
  workerDataDir(): string | undefined {
    return undefined;
  }

  /** Containers keep the host's clock: the clock fault runs in the local environment only. */
  workerClockFile(): string | undefined {
    return undefined;
  }

  async restartZookeeper(): Promise<void> {
    if (!this.parts.restartZookeeper) throw new Error('ZOOKEEPER_CONNECT points at an external ZooKeeper: the harness cannot restart it');
    await this.parts.restartZookeeper();
  }

  /** The orchestrator's container restarted: it stops its workers gracefully, and the new one starts them again. */
  async restartSystem(): Promise<void> {
    if (!this.orchestrator) throw new Error('the orchestrator container is not running');
    await this.orchestrator.restart({ timeout: 30000 });
    await waitUntil('the restarted orchestrator to answer', async () => (await this.http.get('/api/v1/workers').catch(() => ({ status: 0 }))).status === 200, 120000, 200);
  }

  /** Stops the orchestrator gracefully (it stops its workers), then removes whatever container of the deployment is left. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      // The orchestrator first (it stops its workers), then any worker left, then the servers.
      await this.orchestrator?.stop({ timeout: 30000 }).catch(() => undefined);
      const workers = await this.containers('worker');
      await Promise.all(workers.map((c) => this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
      await this.parts.cleanup();
      await removeLabelled(this.docker, this.deployment);
    })();
    return this.stopped;
  }
}
