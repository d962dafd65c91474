import path from 'node:path';
import type { Config } from '../config/config';
import type { Logger } from '../logging/logger';
import { LocalRabbitMq } from './local-rabbitmq';
import { LocalZookeeper } from './local-zookeeper';

export interface ServiceEndpoints {
  rabbitmqUrl: string;
  zookeeperConnect: string;
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
    rabbitmq: new LocalRabbitMq({ port: config.localRabbitmqPort, dataDir, autoInstall: config.servicesAutoInstall, log }),
    zookeeper: new LocalZookeeper({
      port: config.localZookeeperPort,
      dataDir,
      tickMs: config.localZkTickMs,
      maxSessionMs: config.localZkMaxSessionMs,
      autoInstall: config.servicesAutoInstall,
      log,
    }),
  };
}

/**
 * Finds or starts RabbitMQ and ZooKeeper: the configured ones when RABBITMQ_URL / ZOOKEEPER_CONNECT are set, otherwise
 * local servers on loopback (reused when already running, started and installed when not).
 */
export async function ensureServices(config: Config, log: Logger): Promise<ServiceEndpoints> {
  const local = localServices(config, log);
  const started: Array<{ stop(): Promise<void> }> = [];
  const endpoints: ServiceEndpoints = {
    rabbitmqUrl: config.rabbitmqUrl ?? local.rabbitmq.url('/'),
    zookeeperConnect: config.zookeeperConnect ?? local.zookeeper.connectString,
    stop: async () => {
      for (const s of started.reverse()) await s.stop();
    },
  };
  const tasks: Promise<void>[] = [];
  if (!config.rabbitmqUrl) {
    endpoints.rabbitmq = local.rabbitmq;
    tasks.push(
      (async () => {
        if (await local.rabbitmq.isRunning()) return log.info({ port: local.rabbitmq.port }, 'using the RabbitMQ already running on loopback');
        await local.rabbitmq.start();
        started.push(local.rabbitmq);
      })(),
    );
  }
  if (!config.zookeeperConnect) {
    endpoints.zookeeper = local.zookeeper;
    tasks.push(
      (async () => {
        if (await local.zookeeper.isRunning()) return log.info('using the ZooKeeper already running on loopback');
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
