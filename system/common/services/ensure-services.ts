import path from 'node:path';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import { LocalRabbitMq } from './local-rabbitmq';
import { LocalZookeeper } from './local-zookeeper';
import { isPortOpen } from '../net/ports';

export interface ServiceEndpoints {
  /** The orchestrator's AMQP URL (its own user). */
  rabbitmqUrl: string;
  /** The workers' AMQP URL (their own user): the orchestrator hands it to its runtime. */
  rabbitmqWorkerUrl: string;
  /** An AMQP URL with every right, for tests, the harness and operators: the local broker's admin; with an external
   * broker, the workers' URL (the widest one known). */
  rabbitmqAdminUrl: string;
  zookeeperConnect: string;
  /** `user:password` of ZooKeeper's digest ACL; undefined: no ACL (an external ZooKeeper without ZOOKEEPER_AUTH). */
  zookeeperAuth?: string;
  /** The local broker, when the project runs one (RABBITMQ_URL unset). */
  rabbitmq?: LocalRabbitMq;
  /** The local ZooKeeper, when the project runs one (ZOOKEEPER_CONNECT unset). */
  zookeeper?: LocalZookeeper;
  /** Stops what this call started; servers that were already running are left alone. */
  stop(): Promise<void>;
}

export function localServices(config: Config, log: Logger): { rabbitmq: LocalRabbitMq; zookeeper: LocalZookeeper } {
  const dataDir = path.join(config.dataDir, 'services');
  return {
    rabbitmq: new LocalRabbitMq({
      port: config.localRabbitmqPort,
      dataDir,
      binDir: config.localRabbitmqBinDir,
      autoInstall: config.servicesAutoInstall,
      startTimeoutMs: config.localServiceStartTimeoutMs,
      log,
    }),
    zookeeper: new LocalZookeeper({
      port: config.localZookeeperPort,
      dataDir,
      classPath: config.localZookeeperClasspath,
      tickMs: config.localZkTickMs,
      maxSessionMs: config.localZkMaxSessionMs,
      autoInstall: config.servicesAutoInstall,
      startTimeoutMs: config.localServiceStartTimeoutMs,
      log,
    }),
  };
}

/**
 * Finds or starts RabbitMQ and ZooKeeper: the configured ones when RABBITMQ_URL / ZOOKEEPER_CONNECT are set, otherwise
 * local servers on loopback, with their files in DATA_DIR/services (reused when this project's servers already run
 * there, started and installed when not; a port held by any other program is an error that says which).
 */
export async function ensureServices(config: Config, log: Logger): Promise<ServiceEndpoints> {
  const local = localServices(config, log);
  const started: Array<{ stop(): Promise<void> }> = [];
  const workerUrl = config.rabbitmqWorkerUrl ?? config.rabbitmqUrl;
  const endpoints: ServiceEndpoints = {
    rabbitmqUrl: config.rabbitmqUrl ?? local.rabbitmq.url('/', 'orchestrator'),
    rabbitmqWorkerUrl: workerUrl ?? local.rabbitmq.url('/', 'worker'),
    rabbitmqAdminUrl: workerUrl ?? local.rabbitmq.url('/', 'admin'),
    zookeeperConnect: config.zookeeperConnect ?? local.zookeeper.connectString,
    zookeeperAuth: config.zookeeperAuth ?? (config.zookeeperConnect ? undefined : local.zookeeper.auth()),
    stop: async () => {
      for (const s of started.reverse()) await s.stop();
    },
  };
  const tasks: Promise<void>[] = [];
  if (!config.rabbitmqUrl) {
    endpoints.rabbitmq = local.rabbitmq;
    tasks.push(
      (async () => {
        if (await local.rabbitmq.isRunning()) {
          local.rabbitmq.assertPortUsable();
          log.info({ port: local.rabbitmq.port }, 'using this project\'s RabbitMQ, already running on loopback');
          // A broker started by an older checkout may still have guest and lack the users.
          return local.rabbitmq.provision();
        }
        await local.rabbitmq.start();
        started.push(local.rabbitmq);
      })(),
    );
  }
  if (!config.zookeeperConnect) {
    endpoints.zookeeper = local.zookeeper;
    tasks.push(
      (async () => {
        if (await isPortOpen(local.zookeeper.port)) {
          local.zookeeper.assertPortUsable();
          return log.info({ port: local.zookeeper.port }, 'using this project\'s ZooKeeper, already running on loopback');
        }
        await local.zookeeper.start();
        started.push(local.zookeeper);
      })(),
    );
  }
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await endpoints.stop();
    throw failed.reason;
  }
  return endpoints;
}
