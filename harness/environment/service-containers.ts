import { randomBytes } from 'node:crypto';
import net from 'node:net';
import amqp from 'amqplib';
import type Docker from 'dockerode';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import type { Config } from '../../system/common/config/config';
import { readVariable } from '../../system/common/config/variables';
import { freePort } from '../../system/common/net/ports';
import { brokerDefinitions } from '../../system/common/services/broker-definitions';
import { BROKER_USERS, type BrokerRole } from '../../system/common/services/broker-users';
import { waitUntil } from '../../system/common/time/wait-until';

/** The images docker/service-images.sh builds from Debian packages; RABBITMQ_IMAGE / ZOOKEEPER_IMAGE pick others. */
export const LOCAL_RABBITMQ_IMAGE = 'rideshare-dbaas-local-rabbitmq:3.10';
export const LOCAL_ZOOKEEPER_IMAGE = 'rideshare-dbaas-local-zookeeper:3.8';

const DEFINITIONS_FILE = '/etc/rabbitmq/dbaas/definitions.json';

export interface ServiceContainer {
  readonly container: StartedTestContainer;
  /** Restarts the container (the same one: its data stays) and returns once the server answers again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface RabbitMqContainer extends ServiceContainer {
  url(role: BrokerRole): string;
}

export interface ZookeeperContainer extends ServiceContainer {
  connectString: string;
  /** `user:password` of the digest ACL (ZOOKEEPER_AUTH) the system uses. */
  auth: string;
}

export async function serviceImage(docker: Docker, which: 'rabbitmq' | 'zookeeper'): Promise<string> {
  const image = which === 'rabbitmq' ? (readVariable('RABBITMQ_IMAGE') ?? LOCAL_RABBITMQ_IMAGE) : (readVariable('ZOOKEEPER_IMAGE') ?? LOCAL_ZOOKEEPER_IMAGE);
  await docker.getImage(image).inspect().catch(() => {
    throw new Error(`Docker image ${image} is not there: build it with npm run docker:images (or set ${which === 'rabbitmq' ? 'RABBITMQ' : 'ZOOKEEPER'}_IMAGE)`);
  });
  return image;
}

const secret = () => randomBytes(12).toString('hex');

/*
 * RabbitMQ in a container on the host's network, listening on 127.0.0.1 only, with the system's three users (each its
 * own password, from definitions the broker imports at boot). Its node name, Erlang distribution port and epmd port are
 * its own, so that it shares the host's loopback with other brokers (the project's local ones) without a clash.
 */
export async function startRabbitMqContainer(image: string, name: string, labels: Record<string, string>, timeoutMs: number): Promise<RabbitMqContainer> {
  const [port, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
  const passwords: Record<BrokerRole, string> = { orchestrator: secret(), worker: secret(), admin: secret() };
  const url = (role: BrokerRole) => `amqp://${BROKER_USERS[role].name}:${passwords[role]}@127.0.0.1:${port}`;
  const container = await new GenericContainer(image)
    .withName(name)
    .withNetworkMode('host')
    .withLabels(labels)
    .withEnvironment({
      RABBITMQ_NODENAME: `${name}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      ERL_EPMD_PORT: String(epmdPort),
      ERL_EPMD_ADDRESS: '127.0.0.1',
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
      RABBITMQ_DEFAULT_USER: BROKER_USERS.admin.name,
      RABBITMQ_DEFAULT_PASS: passwords.admin,
    })
    .withCopyContentToContainer([
      { content: JSON.stringify(brokerDefinitions(passwords)), target: DEFINITIONS_FILE, mode: 0o644 },
      { content: `load_definitions = ${DEFINITIONS_FILE}\n`, target: '/etc/rabbitmq/conf.d/20-dbaas.conf', mode: 0o644 },
    ])
    .withWaitStrategy(Wait.forLogMessage(/Server startup complete/))
    .withStartupTimeout(timeoutMs)
    .start();
  const answers = () => waitUntil(`RabbitMQ in ${name} to accept ${BROKER_USERS.orchestrator.name}`, () => amqpAnswers(url('orchestrator')), timeoutMs, 500);
  await answers();
  return {
    container,
    url,
    async restart() {
      await container.restart({ timeout: 30000 });
      await answers();
    },
    stop: () => removeContainer(container),
  };
}

/*
 * ZooKeeper in a container on the host's network, its client port on 127.0.0.1, with the tick and the longest session
 * of the local servers (LOCAL_ZK_TICK_MS, LOCAL_ZK_MAX_SESSION_MS). The settings go in ZOO_CFG_EXTRA too, whose lines
 * come last in zoo.cfg, so that the official image (which has no ZOO_PORT) listens where asked as well.
 */
export async function startZookeeperContainer(image: string, name: string, labels: Record<string, string>, config: Config, timeoutMs: number): Promise<ZookeeperContainer> {
  const port = await freePort();
  const extra = [`clientPort=${port}`, 'clientPortAddress=127.0.0.1', `maxSessionTimeout=${config.localZkMaxSessionMs}`];
  const container = await new GenericContainer(image)
    .withName(name)
    .withNetworkMode('host')
    .withLabels(labels)
    .withEnvironment({
      ZOO_PORT: String(port),
      ZOO_TICK_TIME: String(config.localZkTickMs),
      ZOO_MAX_SESSION_TIMEOUT: String(config.localZkMaxSessionMs),
      ZOO_CFG_EXTRA: extra.join(' '),
      ZOO_ADMINSERVER_ENABLED: 'false',
      ZOO_4LW_COMMANDS_WHITELIST: 'srvr,ruok,mntr',
    })
    .withWaitStrategy(Wait.forLogMessage(/binding to port/))
    .withStartupTimeout(timeoutMs)
    .start();
  const answers = () => waitUntil(`ZooKeeper in ${name} to serve`, () => zookeeperServes(port), timeoutMs, 250);
  await answers();
  return {
    container,
    connectString: `127.0.0.1:${port}`,
    auth: `dbaas:${secret()}`,
    async restart() {
      await container.restart({ timeout: 30000 });
      await answers();
    },
    stop: () => removeContainer(container),
  };
}

async function amqpAnswers(url: string): Promise<boolean> {
  const conn = await amqp.connect(url);
  await conn.close().catch(() => undefined);
  return true;
}

/** `srvr` (a four-letter word) answers with the server's mode once it serves clients. */
function zookeeperServes(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.end('srvr'));
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('data', (d) => (text += d.toString()));
    socket.on('close', () => resolve(/Mode: standalone/.test(text)));
    socket.on('error', () => resolve(false));
  });
}

async function removeContainer(container: StartedTestContainer): Promise<void> {
  // The images declare their data directories as volumes: remove those with the container.
  await container.stop({ timeout: 10000, remove: true, removeVolumes: true }).catch(() => undefined);
}
