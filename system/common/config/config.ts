import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors/errors';

/*
 * The one typed configuration of the project. Every part (orchestrator, worker, rideshare services, harness) reads
 * its settings from here, from environment variables, validated once at start. The defaults are documented in
 * README.md ("Configuration"); keep the two in step.
 */

const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const envSchema = z.object({
  // External services. Unset: the project starts local servers on loopback.
  RABBITMQ_URL: optionalString,
  ZOOKEEPER_CONNECT: optionalString,
  LOCAL_RABBITMQ_PORT: port.default(5672),
  LOCAL_ZOOKEEPER_PORT: port.default(2181),
  LOCAL_ZK_TICK_MS: positiveMs.default(200),
  LOCAL_ZK_MAX_SESSION_MS: positiveMs.default(30000),
  SERVICES_AUTO_INSTALL: flag.default(true),
  LOCAL_RABBITMQ_BIN_DIR: z.string().min(1).default('/usr/lib/rabbitmq/bin'),
  LOCAL_ZOOKEEPER_CLASSPATH: z.string().min(1).default('/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar'),
  LOCAL_SERVICE_START_TIMEOUT_MS: positiveMs.default(60000),

  // HTTP endpoints (0 = any free port, useful in tests).
  BIND_HOST: z.string().default('127.0.0.1'),
  ORCHESTRATOR_PORT: port.default(80),
  ORCHESTRATOR_URL: optionalString,
  GATEWAY_PORT: port.default(8080),
  USERS_PORT: port.default(8081),
  RIDES_PORT: port.default(8082),
  USERS_URL: optionalString,
  RIDES_URL: optionalString,
  RIDESHARE_TIMEOUT_MS: positiveMs.default(10000),
  BODY_LIMIT: z.string().default('100kb'),
  DBAAS_TOKEN: optionalString,

  // Workers.
  WORKER_RUNTIME: z.enum(['process', 'docker']).default('process'),
  INITIAL_SLAVES: z.coerce.number().int().min(1).default(1),
  MAX_SLAVES: z.coerce.number().int().min(1).default(8),
  WORKER_START_TIMEOUT_MS: positiveMs.default(30000),
  WORKER_STOP_TIMEOUT_MS: positiveMs.default(5000),
  KILL_LOST_WORKERS: flag.default(true),
  // Docker runtime (WORKER_RUNTIME=docker): which image, which engine, which network, and the label that marks this
  // deployment's containers (several deployments can share one engine).
  DOCKER_IMAGE: z.string().min(1).default('rideshare-dbaas:latest'),
  DOCKER_SOCKET: z.string().min(1).default('/var/run/docker.sock'),
  DOCKER_NETWORK: z.string().min(1).default('host'),
  DOCKER_DEPLOYMENT: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'letters, digits, _ . - (used in container names)').default('dbaas'),
  DATA_DIR: z.string().default('.data'),

  // Autoscaling.
  SCALE_INTERVAL_MS: positiveMs.default(120000),
  READS_PER_SLAVE: z.coerce.number().int().positive().default(20),

  // Coordination and timeouts.
  ZK_SESSION_TIMEOUT_MS: positiveMs.default(2000),
  ORCHESTRATOR_ZK_SESSION_TIMEOUT_MS: positiveMs.default(15000),
  ZK_ROOT: z.string().regex(/^(\/[A-Za-z0-9_.-]+)*$/, 'must be an absolute znode path like /dbaas').default('/dbaas'),
  RPC_TIMEOUT_MS: positiveMs.default(5000),
  MIN_LSN_WAIT_MS: positiveMs.default(2000),
  ZNODE_UPDATE_MS: positiveMs.default(200),
  SYNC_MAX_BYTES: z.coerce.number().int().positive().default(2_000_000_000),
  // Breaks replication on purpose (slaves consume the log without applying writes): only for the harness's proof
  // that its checkers catch a broken promise. Never set it in a real deployment.
  UNSAFE_SKIP_REPLICATION: flag.default(false),

  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Readonly<{
  rabbitmqUrl: string | undefined;
  zookeeperConnect: string | undefined;
  localRabbitmqPort: number;
  localZookeeperPort: number;
  localZkTickMs: number;
  localZkMaxSessionMs: number;
  servicesAutoInstall: boolean;
  /** Where RabbitMQ's own scripts are; they are run directly, as the invoking user. */
  localRabbitmqBinDir: string;
  /** Java class path of the local ZooKeeper. */
  localZookeeperClasspath: string;
  /** How long a local server may take to start. */
  localServiceStartTimeoutMs: number;
  bindHost: string;
  orchestratorPort: number;
  orchestratorUrl: string;
  gatewayPort: number;
  usersPort: number;
  ridesPort: number;
  /** Where the rides service and the gateway reach the users service. */
  usersUrl: string;
  /** Where the gateway reaches the rides service. */
  ridesUrl: string;
  /** How long a RideShare service waits for the DBaaS, the users service or (gateway) a service. */
  rideshareTimeoutMs: number;
  bodyLimit: string;
  token: string | undefined;
  workerRuntime: 'process' | 'docker';
  initialSlaves: number;
  maxSlaves: number;
  workerStartTimeoutMs: number;
  workerStopTimeoutMs: number;
  killLostWorkers: boolean;
  dockerImage: string;
  dockerSocket: string;
  /** Network mode of worker containers: `host`, or the name of a Docker network (compose's). */
  dockerNetwork: string;
  /** Value of the dbaas.deployment label on every container of this deployment. */
  dockerDeployment: string;
  dataDir: string;
  scaleIntervalMs: number;
  readsPerSlave: number;
  zkSessionTimeoutMs: number;
  orchestratorZkSessionTimeoutMs: number;
  zkRoot: string;
  rpcTimeoutMs: number;
  minLsnWaitMs: number;
  znodeUpdateMs: number;
  syncMaxBytes: number;
  unsafeSkipReplication: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.MAX_SLAVES < e.INITIAL_SLAVES) {
    throw new ConfigError(`invalid configuration: MAX_SLAVES (${e.MAX_SLAVES}) < INITIAL_SLAVES (${e.INITIAL_SLAVES})`);
  }
  return Object.freeze({
    rabbitmqUrl: e.RABBITMQ_URL,
    zookeeperConnect: e.ZOOKEEPER_CONNECT,
    localRabbitmqPort: e.LOCAL_RABBITMQ_PORT,
    localZookeeperPort: e.LOCAL_ZOOKEEPER_PORT,
    localZkTickMs: e.LOCAL_ZK_TICK_MS,
    localZkMaxSessionMs: e.LOCAL_ZK_MAX_SESSION_MS,
    servicesAutoInstall: e.SERVICES_AUTO_INSTALL,
    localRabbitmqBinDir: e.LOCAL_RABBITMQ_BIN_DIR,
    localZookeeperClasspath: e.LOCAL_ZOOKEEPER_CLASSPATH,
    localServiceStartTimeoutMs: e.LOCAL_SERVICE_START_TIMEOUT_MS,
    bindHost: e.BIND_HOST,
    orchestratorPort: e.ORCHESTRATOR_PORT,
    orchestratorUrl: e.ORCHESTRATOR_URL ?? `http://127.0.0.1:${e.ORCHESTRATOR_PORT}`,
    gatewayPort: e.GATEWAY_PORT,
    usersPort: e.USERS_PORT,
    ridesPort: e.RIDES_PORT,
    usersUrl: e.USERS_URL ?? `http://127.0.0.1:${e.USERS_PORT}`,
    ridesUrl: e.RIDES_URL ?? `http://127.0.0.1:${e.RIDES_PORT}`,
    rideshareTimeoutMs: e.RIDESHARE_TIMEOUT_MS,
    bodyLimit: e.BODY_LIMIT,
    token: e.DBAAS_TOKEN,
    workerRuntime: e.WORKER_RUNTIME,
    initialSlaves: e.INITIAL_SLAVES,
    maxSlaves: e.MAX_SLAVES,
    workerStartTimeoutMs: e.WORKER_START_TIMEOUT_MS,
    workerStopTimeoutMs: e.WORKER_STOP_TIMEOUT_MS,
    killLostWorkers: e.KILL_LOST_WORKERS,
    dockerImage: e.DOCKER_IMAGE,
    dockerSocket: e.DOCKER_SOCKET,
    dockerNetwork: e.DOCKER_NETWORK,
    dockerDeployment: e.DOCKER_DEPLOYMENT,
    dataDir: path.resolve(e.DATA_DIR),
    scaleIntervalMs: e.SCALE_INTERVAL_MS,
    readsPerSlave: e.READS_PER_SLAVE,
    zkSessionTimeoutMs: e.ZK_SESSION_TIMEOUT_MS,
    orchestratorZkSessionTimeoutMs: e.ORCHESTRATOR_ZK_SESSION_TIMEOUT_MS,
    zkRoot: e.ZK_ROOT,
    rpcTimeoutMs: e.RPC_TIMEOUT_MS,
    minLsnWaitMs: e.MIN_LSN_WAIT_MS,
    znodeUpdateMs: e.ZNODE_UPDATE_MS,
    syncMaxBytes: e.SYNC_MAX_BYTES,
    unsafeSkipReplication: e.UNSAFE_SKIP_REPLICATION,
    logLevel: e.LOG_LEVEL,
  });
}

/** The same settings as environment variables, for handing to child processes (workers, services). */
export function configToEnv(config: Config): Record<string, string> {
  const env: Record<string, string | undefined> = {
    RABBITMQ_URL: config.rabbitmqUrl,
    ZOOKEEPER_CONNECT: config.zookeeperConnect,
    LOCAL_RABBITMQ_PORT: String(config.localRabbitmqPort),
    LOCAL_ZOOKEEPER_PORT: String(config.localZookeeperPort),
    LOCAL_ZK_TICK_MS: String(config.localZkTickMs),
    LOCAL_ZK_MAX_SESSION_MS: String(config.localZkMaxSessionMs),
    SERVICES_AUTO_INSTALL: String(config.servicesAutoInstall),
    LOCAL_RABBITMQ_BIN_DIR: config.localRabbitmqBinDir,
    LOCAL_ZOOKEEPER_CLASSPATH: config.localZookeeperClasspath,
    LOCAL_SERVICE_START_TIMEOUT_MS: String(config.localServiceStartTimeoutMs),
    BIND_HOST: config.bindHost,
    ORCHESTRATOR_PORT: String(config.orchestratorPort),
    ORCHESTRATOR_URL: config.orchestratorUrl,
    GATEWAY_PORT: String(config.gatewayPort),
    USERS_PORT: String(config.usersPort),
    RIDES_PORT: String(config.ridesPort),
    USERS_URL: config.usersUrl,
    RIDES_URL: config.ridesUrl,
    RIDESHARE_TIMEOUT_MS: String(config.rideshareTimeoutMs),
    BODY_LIMIT: config.bodyLimit,
    DBAAS_TOKEN: config.token,
    WORKER_RUNTIME: config.workerRuntime,
    INITIAL_SLAVES: String(config.initialSlaves),
    MAX_SLAVES: String(config.maxSlaves),
    WORKER_START_TIMEOUT_MS: String(config.workerStartTimeoutMs),
    WORKER_STOP_TIMEOUT_MS: String(config.workerStopTimeoutMs),
    KILL_LOST_WORKERS: String(config.killLostWorkers),
    DOCKER_IMAGE: config.dockerImage,
    DOCKER_SOCKET: config.dockerSocket,
    DOCKER_NETWORK: config.dockerNetwork,
    DOCKER_DEPLOYMENT: config.dockerDeployment,
    DATA_DIR: config.dataDir,
    SCALE_INTERVAL_MS: String(config.scaleIntervalMs),
    READS_PER_SLAVE: String(config.readsPerSlave),
    ZK_SESSION_TIMEOUT_MS: String(config.zkSessionTimeoutMs),
    ORCHESTRATOR_ZK_SESSION_TIMEOUT_MS: String(config.orchestratorZkSessionTimeoutMs),
    ZK_ROOT: config.zkRoot,
    RPC_TIMEOUT_MS: String(config.rpcTimeoutMs),
    MIN_LSN_WAIT_MS: String(config.minLsnWaitMs),
    ZNODE_UPDATE_MS: String(config.znodeUpdateMs),
    SYNC_MAX_BYTES: String(config.syncMaxBytes),
    UNSAFE_SKIP_REPLICATION: String(config.unsafeSkipReplication),
    LOG_LEVEL: config.logLevel,
  };
  return Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => kv[1] !== undefined));
}
