import { loadConfig } from '../../system/common/config/config';
import { createLogger } from '../../system/common/logging/logger';
import { ensureServices } from '../../system/common/services/ensure-services';

/** Finds or starts RabbitMQ and ZooKeeper once for the whole integration run; the teardown stops what it started. */
export default async function globalSetup(): Promise<void> {
  const config = loadConfig();
  const services = await ensureServices(config, createLogger('test-services', 'warn'));
  // The orchestrator's URL; test systems on the local broker make a vhost and URLs of their own (test-system.ts).
  process.env.TEST_RABBITMQ_URL = services.rabbitmqUrl;
  process.env.TEST_ZOOKEEPER_CONNECT = services.zookeeperConnect;
  (globalThis as { __dbaasServices?: typeof services }).__dbaasServices = services;
}
