import path from 'node:path';
import { z } from 'zod';

/*
 * The settings table: every configuration variable of the project, once. Each row gives the environment variable
 * (the key), its zod schema with the default, the Config field it becomes, its group, and the one line the README's
 * configuration table shows for it. The schema loadConfig validates with, the Config type, configToEnv and the README
 * table (`npm run docs:config`) all come from here, so adding a setting is adding a row.
 *
 * Variables that the project reads or sets but that are not settings (a worker's id, the test suites' endpoints...)
 * are declared in variables.ts.
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

export type SettingGroup = 'servers' | 'http' | 'workers' | 'docker' | 'autoscaling' | 'coordination' | 'storage and logs' | 'harness';

/** For `doc`: this setting shares the README row of the setting above it (`A` / `B`, defaults `a` / `b`). */
export const DITTO = Symbol('same README row as the setting above');

export interface Setting<S extends z.ZodType = z.ZodType, F extends string = string, T = unknown> {
  /** The field of Config that holds the value. */
  readonly field: F;
  /** Validation, coercion and default of the variable. */
  readonly schema: S;
  readonly group: SettingGroup;
  /** The README's meaning of the row (one line), or DITTO. */
  readonly doc: string | typeof DITTO;
  /** The README's default, when it is not the schema's default (unset values, derived ones). */
  readonly shownDefault?: string;
  /** The Config value, from the validated variable and every other validated variable (derived settings). */
  readonly derive?: (value: z.output<S>, all: Readonly<Record<string, unknown>>) => T;
}

function setting<S extends z.ZodType, F extends string, T = z.output<S>>(s: Setting<S, F, T>): Setting<S, F, T> {
  return s;
}

/** A URL that defaults to the loopback address and the port of another setting. */
function loopbackUrlOf(portSetting: string) {
  return {
    shownDefault: `\`http://127.0.0.1:$${portSetting}\``,
    derive: (value: string | undefined, all: Readonly<Record<string, unknown>>): string => value ?? `http://127.0.0.1:${String(all[portSetting])}`,
  };
}

/** The order is the README's. */
export const SETTINGS = {
  // Servers. Unset URLs: the project starts local servers on loopback.
  RABBITMQ_URL: setting({
    field: 'rabbitmqUrl',
    schema: optionalString,
    group: 'servers',
    doc: "AMQP URL of the broker, with the orchestrator's user (see Credentials)",
    shownDefault: 'unset: local server',
  }),
  RABBITMQ_WORKER_URL: setting({
    field: 'rabbitmqWorkerUrl',
    schema: optionalString,
    group: 'servers',
    doc: "AMQP URL of the broker with the workers' user (see Credentials); the orchestrator hands it to its workers",
    shownDefault: '`$RABBITMQ_URL`',
    derive: (value: string | undefined, all: Readonly<Record<string, unknown>>): string | undefined => value ?? (all.RABBITMQ_URL as string | undefined),
  }),
  ZOOKEEPER_CONNECT: setting({
    field: 'zookeeperConnect',
    schema: optionalString,
    group: 'servers',
    doc: '`host:port[,host:port]` of ZooKeeper',
    shownDefault: 'unset: local server',
  }),
  ZOOKEEPER_AUTH: setting({
    field: 'zookeeperAuth',
    schema: optionalString.refine((v) => v === undefined || /^[^:\s]+:\S+$/.test(v), 'must be user:password'),
    group: 'servers',
    doc: '`user:password` of the digest ACL on every znode under `ZK_ROOT` (all rights for it, read for anyone; see Credentials)',
    shownDefault: 'unset: no ACL (local server: generated)',
  }),
  LOCAL_RABBITMQ_PORT: setting({ field: 'localRabbitmqPort', schema: port.default(5672), group: 'servers', doc: 'ports of the local servers' }),
  LOCAL_ZOOKEEPER_PORT: setting({ field: 'localZookeeperPort', schema: port.default(2181), group: 'servers', doc: DITTO }),
  LOCAL_ZK_TICK_MS: setting({
    field: 'localZkTickMs',
    schema: positiveMs.default(200),
    group: 'servers',
    doc: 'tickTime of the local ZooKeeper (sessions may be 2 ticks at least)',
  }),
  LOCAL_ZK_MAX_SESSION_MS: setting({
    field: 'localZkMaxSessionMs',
    schema: positiveMs.default(30000),
    group: 'servers',
    doc: "longest session the local ZooKeeper grants (the orchestrator's must outlive a ZooKeeper restart)",
  }),
  LOCAL_RABBITMQ_BIN_DIR: setting({
    field: 'localRabbitmqBinDir',
    schema: z.string().min(1).default('/usr/lib/rabbitmq/bin'),
    group: 'servers',
    doc: "RabbitMQ's own scripts; the local broker runs them as the invoking user (not through Debian's wrapper)",
  }),
  LOCAL_ZOOKEEPER_CLASSPATH: setting({
    field: 'localZookeeperClasspath',
    schema: z.string().min(1).default('/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar'),
    group: 'servers',
    doc: "Java class path of the local ZooKeeper (its jar and one logging binding, so that its errors reach its log)",
  }),
  LOCAL_SERVICE_START_TIMEOUT_MS: setting({
    field: 'localServiceStartTimeoutMs',
    schema: positiveMs.default(60000),
    group: 'servers',
    doc: 'how long a local server may take to start (a server that fails says so at once)',
  }),
  SERVICES_AUTO_INSTALL: setting({ field: 'servicesAutoInstall', schema: flag.default(true), group: 'servers', doc: 'install missing Debian packages (root only)' }),

  // HTTP endpoints (0 = any free port, useful in tests).
  BIND_HOST: setting({ field: 'bindHost', schema: z.string().default('127.0.0.1'), group: 'http', doc: 'address the HTTP services bind to' }),
  ORCHESTRATOR_PORT: setting({ field: 'orchestratorPort', schema: port.default(80), group: 'http', doc: 'orchestrator HTTP port (0: any free port)' }),
  ORCHESTRATOR_URL: setting({
    field: 'orchestratorUrl',
    schema: optionalString,
    group: 'http',
    doc: 'where clients reach the orchestrator',
    ...loopbackUrlOf('ORCHESTRATOR_PORT'),
  }),
  GATEWAY_PORT: setting({ field: 'gatewayPort', schema: port.default(8080), group: 'http', doc: 'RideShare services' }),
  USERS_PORT: setting({ field: 'usersPort', schema: port.default(8081), group: 'http', doc: DITTO }),
  RIDES_PORT: setting({ field: 'ridesPort', schema: port.default(8082), group: 'http', doc: DITTO }),
  USERS_URL: setting({
    field: 'usersUrl',
    schema: optionalString,
    group: 'http',
    doc: 'where the rides service and the gateway reach the users service, and the gateway the rides service (`npm start` sets them)',
    ...loopbackUrlOf('USERS_PORT'),
  }),
  RIDES_URL: setting({ field: 'ridesUrl', schema: optionalString, group: 'http', doc: DITTO, ...loopbackUrlOf('RIDES_PORT') }),
  RIDESHARE_TIMEOUT_MS: setting({
    field: 'rideshareTimeoutMs',
    schema: positiveMs.default(10000),
    group: 'http',
    doc: 'how long a RideShare service waits for the DBaaS or another service (then 504)',
  }),
  RIDESHARE_WRITE_ATTEMPTS: setting({
    field: 'rideshareWriteAttempts',
    schema: z.coerce.number().int().min(1).max(10).default(3),
    group: 'http',
    doc: 'most attempts of a RideShare write whose outcome is unknown (504/503), each with the same `writeId`',
  }),
  DBAAS_TOKEN: setting({
    field: 'token',
    schema: optionalString,
    group: 'http',
    doc: 'when set, every endpoint but `/healthz` requires `Authorization: Bearer <token>`',
    shownDefault: 'unset: no auth',
  }),
  BODY_LIMIT: setting({ field: 'bodyLimit', schema: z.string().default('100kb'), group: 'http', doc: 'largest accepted request body' }),

  HTTP_HEADERS_TIMEOUT_MS: setting({
    field: 'httpHeadersTimeoutMs',
    schema: positiveMs.default(10000),
    group: 'http',
    doc: "HTTP servers (orchestrator, RideShare): time to receive a request's headers / its whole body (then 408); at most the request timeout",
  }),
  HTTP_REQUEST_TIMEOUT_MS: setting({ field: 'httpRequestTimeoutMs', schema: positiveMs.default(30000), group: 'http', doc: DITTO }),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: setting({
    field: 'httpKeepAliveTimeoutMs',
    schema: positiveMs.default(5000),
    group: 'http',
    doc: 'HTTP servers: how long an idle keep-alive connection stays open',
  }),
  HTTP_MAX_CONNECTIONS: setting({
    field: 'httpMaxConnections',
    schema: z.coerce.number().int().positive().default(1024),
    group: 'http',
    doc: 'HTTP servers: most open connections each; more are closed at once',
  }),

  // Workers.
  WORKER_RUNTIME: setting({
    field: 'workerRuntime',
    schema: z.enum(['process', 'docker']).default('process'),
    group: 'workers',
    doc: '`process` (child processes) or `docker`',
  }),
  INITIAL_SLAVES: setting({ field: 'initialSlaves', schema: z.coerce.number().int().min(1).default(1), group: 'workers', doc: 'slaves at start / at most' }),
  MAX_SLAVES: setting({ field: 'maxSlaves', schema: z.coerce.number().int().min(1).default(8), group: 'workers', doc: DITTO }),
  WORKER_START_TIMEOUT_MS: setting({
    field: 'workerStartTimeoutMs',
    schema: positiveMs.default(30000),
    group: 'workers',
    doc: 'a started worker that has not registered in ZooKeeper within this (its snapshot download included) is killed and replaced; at start, the bound on the first worker becoming master without progress',
  }),
  WORKER_STOP_TIMEOUT_MS: setting({ field: 'workerStopTimeoutMs', schema: positiveMs.default(5000), group: 'workers', doc: 'graceful stop of a worker, after which it is killed' }),
  // Under the tsx loader a worker spends about 30 MB and 0.7 s more than as plain JavaScript (docs/performance.md).
  WORKER_BUNDLE: setting({
    field: 'workerBundle',
    schema: flag.default(true),
    group: 'workers',
    doc: 'process runtime, when the system runs from its TypeScript sources: bundle the worker into one JavaScript file at start (esbuild, into DATA_DIR/bundle) and start workers from it; false: each worker loads the sources through the tsx loader',
  }),
  KILL_LOST_WORKERS: setting({
    field: 'killLostWorkers',
    schema: flag.default(true),
    group: 'workers',
    doc: 'kill a worker whose ZooKeeper session expired while its process still runs (a paused one)',
  }),

  // Docker runtime (WORKER_RUNTIME=docker): which image, which engine, which network, and the label that marks this
  // deployment's containers (several deployments can share one engine).
  DOCKER_IMAGE: setting({
    field: 'dockerImage',
    schema: z.string().min(1).default('rideshare-dbaas:latest'),
    group: 'docker',
    doc: 'image of worker containers (`docker` runtime; `npm run docker:build` makes it)',
  }),
  DOCKER_SOCKET: setting({
    field: 'dockerSocket',
    schema: z.string().min(1).default('/var/run/docker.sock'),
    group: 'docker',
    doc: 'Docker Engine API socket the orchestrator uses',
  }),
  DOCKER_NETWORK: setting({
    field: 'dockerNetwork',
    schema: z.string().min(1).default('host'),
    group: 'docker',
    doc: "network mode of worker containers: `host` or a Docker network name (compose's)",
  }),
  DOCKER_DEPLOYMENT: setting({
    field: 'dockerDeployment',
    schema: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'letters, digits, _ . - (used in container names)')
      .default('dbaas'),
    group: 'docker',
    doc: "value of the `dbaas.deployment` label on this deployment's containers (and their name prefix)",
  }),

  // Autoscaling.
  SCALE_INTERVAL_MS: setting({
    field: 'scaleIntervalMs',
    schema: positiveMs.default(120000),
    group: 'autoscaling',
    doc: 'autoscaling interval and reads per slave',
  }),
  READS_PER_SLAVE: setting({ field: 'readsPerSlave', schema: z.coerce.number().int().positive().default(20), group: 'autoscaling', doc: DITTO }),

  // Coordination and timeouts.
  ZK_SESSION_TIMEOUT_MS: setting({
    field: 'zkSessionTimeoutMs',
    schema: positiveMs.default(2000),
    group: 'coordination',
    doc: "workers' ZooKeeper session timeout (failure detection of paused workers)",
  }),
  ORCHESTRATOR_ZK_SESSION_TIMEOUT_MS: setting({
    field: 'orchestratorZkSessionTimeoutMs',
    schema: positiveMs.default(15000),
    group: 'coordination',
    doc: "the orchestrator's session: it only watches, so a long one costs nothing and lets it ride out a ZooKeeper restart; when it is lost all the same (a pause, a partition) the orchestrator opens a new one and keeps its workers",
  }),
  ORCHESTRATOR_ZK_RECONNECT_MS: setting({
    field: 'orchestratorZkReconnectMs',
    schema: positiveMs.default(1000),
    group: 'coordination',
    doc: 'pause between the orchestrator\'s attempts to open a new ZooKeeper session after losing one (meanwhile what needs ZooKeeper answers 503)',
  }),
  WORKER_AMQP_HEARTBEAT_S: setting({
    field: 'workerAmqpHeartbeatS',
    schema: z.coerce.number().int().min(1).max(60).default(2),
    group: 'coordination',
    doc: "workers' AMQP heartbeat, in seconds: a worker whose broker sent nothing for two of them stops; a master cut from the broker holds `/master` until then (with 5 s, writes stopped for 10 to 15 s). The orchestrator's connection keeps 5 s (a short pause of it must not cost its connection)",
  }),
  ZK_ROOT: setting({
    field: 'zkRoot',
    schema: z
      .string()
      .regex(/^(\/[A-Za-z0-9_.-]+)*$/, 'must be an absolute znode path like /dbaas')
      .default('/dbaas'),
    group: 'coordination',
    doc: 'znode under which everything lives (isolation)',
  }),
  RPC_TIMEOUT_MS: setting({
    field: 'rpcTimeoutMs',
    schema: positiveMs.default(5000),
    group: 'coordination',
    doc: "how long the orchestrator waits for a worker's reply (then 504)",
  }),
  MIN_LSN_WAIT_MS: setting({
    field: 'minLsnWaitMs',
    schema: positiveMs.default(2000),
    group: 'coordination',
    doc: "how long a slave waits to reach a read's `minLsn` (then 504)",
  }),
  MIN_LSN_CHECK_TIMEOUT_MS: setting({
    field: 'minLsnCheckTimeoutMs',
    schema: positiveMs.default(1000),
    group: 'coordination',
    doc: "how long the orchestrator asks the master for its LSN when a read's `minLsn` is beyond every LSN it has seen (then it goes by ZooKeeper's)",
  }),
  MIN_LSN_MAX_WAITING: setting({
    field: 'minLsnMaxWaiting',
    schema: z.coerce.number().int().positive().default(256),
    group: 'coordination',
    doc: "reads a slave keeps waiting for their `minLsn` (set aside, not holding its read slot); one more is a 503",
  }),
  READ_DEFAULT_LIMIT: setting({
    field: 'readDefaultLimit',
    schema: z.coerce.number().int().positive().max(10_000).default(1000),
    group: 'coordination',
    doc: 'most rows a read without `limit` may match (more: 400 asking for a `limit`, up to 10000)',
  }),
  READ_REPLY_MAX_BYTES: setting({
    field: 'readReplyMaxBytes',
    schema: z.coerce.number().int().positive().default(4_000_000),
    group: 'coordination',
    doc: "largest read answer a slave sends (more: 400 asking for fewer rows or columns); keep it under the broker's `max_message_size`",
  }),
  ELECTION_WAIT_FOR_STARTING_MS: setting({
    field: 'electionWaitForStartingMs',
    schema: positiveMs.default(5000),
    group: 'coordination',
    doc: 'how long an election waits for a lower-PID worker that is still starting (then it goes on without it)',
  }),
  ZNODE_UPDATE_MS: setting({
    field: 'znodeUpdateMs',
    schema: positiveMs.default(200),
    group: 'coordination',
    doc: 'how often a worker publishes its applied LSN to its znode',
  }),
  SYNC_MAX_BYTES: setting({
    field: 'syncMaxBytes',
    schema: z.coerce.number().int().positive().default(2_000_000_000),
    group: 'coordination',
    doc: 'retention of the syncQ stream; the master refuses writes (503) that would push records no snapshot covers out of it',
  }),
  SYNC_SEGMENT_BYTES: setting({
    field: 'syncSegmentBytes',
    schema: z.coerce.number().int().positive().default(100_000_000),
    group: 'coordination',
    doc: 'size of one syncQ segment file (retention drops whole segments); at most a quarter of `SYNC_MAX_BYTES`',
  }),
  SNAPSHOT_EVERY_RECORDS: setting({
    field: 'snapshotEveryRecords',
    schema: z.coerce.number().int().min(0).default(20_000),
    group: 'coordination',
    doc: 'a slave takes a snapshot once the log has grown by this many records since the newest one (0: never)',
  }),
  SNAPSHOT_CHUNK_BYTES: setting({
    field: 'snapshotChunkBytes',
    schema: z.coerce.number().int().min(4096).max(16_000_000).default(1_048_576),
    group: 'coordination',
    doc: 'size of one message of a snapshot in the snapshotQ stream',
  }),
  SNAPSHOT_KEEP: setting({
    field: 'snapshotKeep',
    schema: z.coerce.number().int().min(1).default(3),
    group: 'coordination',
    doc: 'how many snapshots the index in ZooKeeper keeps (older ones are forgotten, then dropped by retention)',
  }),
  SNAPSHOT_MAX_BYTES: setting({
    field: 'snapshotMaxBytes',
    schema: z.coerce.number().int().positive().default(4_000_000_000),
    group: 'coordination',
    doc: 'retention of the snapshotQ stream; keep it above `SNAPSHOT_KEEP` snapshots',
  }),
  SNAPSHOT_CHECK_MS: setting({
    field: 'snapshotCheckMs',
    schema: positiveMs.default(5000),
    group: 'coordination',
    doc: 'how often a slave looks whether a snapshot is due when no record comes (a full log brings none), and its pause after a failed one',
  }),
  SNAPSHOT_FETCH_TIMEOUT_MS: setting({
    field: 'snapshotFetchTimeoutMs',
    schema: positiveMs.default(10000),
    group: 'coordination',
    doc: 'longest wait for the next part of a snapshot being read (then the next older snapshot is tried)',
  }),

  // Storage and logs.
  DATA_DIR: setting({
    field: 'dataDir',
    schema: z.string().default('.data'),
    group: 'storage and logs',
    doc: "worker databases, logs, local servers' data",
    derive: (dir): string => path.resolve(dir),
  }),
  LOG_LEVEL: setting({
    field: 'logLevel',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    group: 'storage and logs',
    doc: 'pino log level (logs are JSON on stderr)',
  }),

  // The harness's network faults: where workers connect is asked of its link proxies (see harness/network/).
  WORKER_LINK_PROXY: setting({
    field: 'workerLinkProxy',
    schema: optionalString.refine(
      (v) => v === undefined || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?$/.test(v),
      'must be http://127.0.0.1:<port> (a link-proxy control endpoint on loopback)',
    ),
    group: 'harness',
    doc: "link-proxy control endpoint (`http://127.0.0.1:<port>`) the orchestrator asks, before starting a worker, for that worker's broker and ZooKeeper addresses, so that the harness can cut, slow or reset each worker's links; unset: workers connect directly",
    shownDefault: 'unset: off',
  }),
  // Breaks replication on purpose (slaves consume the log without applying writes): only for the harness's proof
  // that its checkers catch a broken promise. Never set it in a real deployment.
  UNSAFE_SKIP_REPLICATION: setting({
    field: 'unsafeSkipReplication',
    schema: flag.default(false),
    group: 'harness',
    doc: "breaks replication on purpose (slaves skip every replicated write): only for the harness's proof that its checkers catch lost writes; never in a deployment",
  }),
  LIVE_PORT: setting({
    field: 'livePort',
    schema: port.default(8390),
    group: 'harness',
    doc: "port of the scenario CLI's live view (`--live`), on 127.0.0.1 (0: any free port)",
  }),
  LIVE_UPDATE_MS: setting({
    field: 'liveUpdateMs',
    schema: positiveMs.default(1000),
    group: 'harness',
    doc: 'how often the live view sends the charts to the page',
  }),
  // The clock fault moves one worker's wall clock: each worker (process runtime) runs under libfaketime, reading its
  // offset from a file of its own, which is absent (the real clock) until the fault writes it.
  WORKER_FAKETIME: setting({
    field: 'workerFaketime',
    schema: flag.default(false),
    group: 'harness',
    doc: "process runtime: start each worker under libfaketime (LD_PRELOAD), its wall-clock offset read from DATA_DIR/faketime/<worker id> (absent: the real clock; the monotonic clock is never moved), for the harness's clock fault",
  }),
  WORKER_FAKETIME_LIB: setting({
    field: 'workerFaketimeLib',
    schema: z.string().default('/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1'),
    group: 'harness',
    doc: "libfaketime's library for WORKER_FAKETIME (Debian package `libfaketime`)",
  }),
  // The disk-full fault needs the workers' files on a disk it can fill without filling the machine's.
  WORKERS_TMPFS_MB: setting({
    field: 'workersTmpfsMb',
    schema: z.coerce.number().int().positive().optional(),
    group: 'harness',
    doc: "the harness's local environment mounts a tmpfs of this size (MB) as DATA_DIR/workers, which the disk-full fault fills (needs root; without it the fault is skipped); unset: no tmpfs",
    shownDefault: 'unset',
  }),
};

export type SettingName = keyof typeof SETTINGS;

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

export function isSettingName(name: string): name is SettingName {
  return Object.prototype.hasOwnProperty.call(SETTINGS, name);
}

/** A setting's Config value: what its derive returns, or else what its schema outputs. */
type ValueOf<N extends SettingName> = ReturnType<NonNullable<(typeof SETTINGS)[N]['derive']>>;

/** The typed configuration: one field per setting, named by the table. */
export type Config = Readonly<{ [N in SettingName as (typeof SETTINGS)[N]['field']]: ValueOf<N> }>;
