/*
 * Environment variables of the project that are not settings: set by one part of the project for another (a worker's
 * id), by and for the test suites and the harness, or read by the deployment files (docker-compose.yml, docker/*.sh)
 * rather than by the system. They are declared here, once, so that code reads them by a checked name and loadConfig
 * does not take them for misspelled settings (see lookalikes.ts). Settings themselves are the table in settings.ts.
 */

export type VariableScope =
  /** Set by the project's own launchers for the processes they start; not for users. */
  | 'process'
  /** Set and read by the test suites (and the bench, which starts test systems). */
  | 'test'
  /** Read by a harness tool. */
  | 'harness'
  /** Read by docker-compose.yml or a docker/*.sh script, never by the system itself. */
  | 'deployment';

export const OTHER_VARIABLES = {
  WORKER_ID: { scope: 'process', doc: "a worker's id (letters, digits, _ . -), given by the orchestrator's runtime" },
  WORKER_PID: { scope: 'process', doc: 'the PID a worker is known by (optional; by default its own)' },
  WORKER_PARENT_PID: { scope: 'process', doc: "the orchestrator's PID, given by the process runtime: a worker whose parent is gone stops" },
  RIDESHARE_PARENT_PID: { scope: 'process', doc: "the launcher's PID, given by npm start to the RideShare services: a service whose parent is gone stops" },
  TEST_RABBITMQ_URL: { scope: 'test', doc: "the integration run's broker (the orchestrator's URL), set by its global setup (and by the bench)" },
  TEST_ZOOKEEPER_CONNECT: { scope: 'test', doc: "the integration run's ZooKeeper, set by its global setup (and by the bench)" },
  TEST_LOG_LEVEL: { scope: 'test', doc: 'log level of the systems tests start (default warn)' },
  TARGET: { scope: 'harness', doc: 'base URL the k6 smoke run aims at (harness/k6/smoke-run.ts; default http://127.0.0.1:80)' },
  ORCHESTRATOR_HOST_PORT: { scope: 'deployment', doc: "docker-compose.yml: host port of the orchestrator's published port (default 80)" },
  GATEWAY_HOST_PORT: { scope: 'deployment', doc: "docker-compose.yml: host port of the gateway's published port (default 8080)" },
  RABBITMQ_ORCHESTRATOR_PASSWORD: { scope: 'deployment', doc: "docker-compose.yml (.env, required): password of the broker's dbaas-orchestrator user" },
  RABBITMQ_WORKER_PASSWORD: { scope: 'deployment', doc: "docker-compose.yml (.env, required): password of the broker's dbaas-worker user" },
  RABBITMQ_ADMIN_PASSWORD: { scope: 'deployment', doc: "docker-compose.yml (.env, required): password of the broker's dbaas-admin user" },
  ZOOKEEPER_PASSWORD: { scope: 'deployment', doc: "docker-compose.yml (.env, required): password of ZOOKEEPER_AUTH's dbaas user" },
  RABBITMQ_IMAGE: { scope: 'deployment', doc: 'docker-compose.yml, the docker environment: RabbitMQ image (default rabbitmq:3.13; local: rideshare-dbaas-local-rabbitmq:3.10)' },
  ZOOKEEPER_IMAGE: { scope: 'deployment', doc: 'docker-compose.yml, the docker environment: ZooKeeper image (default zookeeper:3.8; local: rideshare-dbaas-local-zookeeper:3.8)' },
  DOCKER_BUILD_IMAGE: { scope: 'deployment', doc: 'docker/build-images.sh, docker-compose.yml: build stage image of the system image (node, npm, python3, make, g++)' },
  EXTRA_CA_DIR: { scope: 'deployment', doc: 'docker/build-images.sh: directory of the certificates this machine added to its trust store, passed to npm ci in the build stage (default /usr/local/share/ca-certificates)' },
  LOCAL_RABBITMQ_IMAGE: { scope: 'deployment', doc: 'docker/service-images.sh: tag of the RabbitMQ image built from Debian packages' },
  LOCAL_ZOOKEEPER_IMAGE: { scope: 'deployment', doc: 'docker/service-images.sh: tag of the ZooKeeper image built from Debian packages' },
  LOCAL_BUILD_IMAGE: { scope: 'deployment', doc: "docker/service-images.sh: tag of the build base made from Debian and the host's node" },
  DEBIAN_SUITE: { scope: 'deployment', doc: 'docker/service-images.sh: Debian release of the local images (default bookworm)' },
  DEBIAN_MIRROR: { scope: 'deployment', doc: 'docker/service-images.sh: Debian mirror (default http://deb.debian.org/debian)' },
  COMPOSE_CHECK_GATEWAY_PORT: { scope: 'deployment', doc: 'docker/compose-check.sh: host port of the gateway during the check (default 18080, on 127.0.0.1)' },
  COMPOSE_CHECK_ORCHESTRATOR_PORT: { scope: 'deployment', doc: 'docker/compose-check.sh: host port of the orchestrator during the check (default 18000, on 127.0.0.1)' },
  COMPOSE_CHECK_TIMEOUT_S: { scope: 'deployment', doc: 'docker/compose-check.sh: how long it waits for health checks and elections (default 240)' },
  DOCKER_BASE_IMAGE: { scope: 'deployment', doc: 'docker/build-images.sh, docker-compose.yml: Node base image of the system image' },
  LOCAL_BASE_IMAGE: { scope: 'deployment', doc: "docker/build-images.sh, docker/make-local-base.sh: tag of the base image made from the host's Node" },
  DOCKERD_LOG: { scope: 'deployment', doc: "docker/engine.sh: log file of the Docker engine it starts" },
  DOCKERD_START_TIMEOUT_S: { scope: 'deployment', doc: 'docker/engine.sh: how long it waits for the engine it starts' },
} as const satisfies Record<string, { scope: VariableScope; doc: string }>;

export type OtherVariableName = keyof typeof OTHER_VARIABLES;

export function isOtherVariable(name: string): name is OtherVariableName {
  return Object.prototype.hasOwnProperty.call(OTHER_VARIABLES, name);
}

/** The value of one of the variables above (undefined when unset). */
export function readVariable(name: OtherVariableName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[name];
}
