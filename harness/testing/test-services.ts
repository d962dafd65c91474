import { loadConfig } from '../../system/common/config/config';
import { createLogger } from '../../system/common/logging/logger';
import { ensureServices, type ServiceEndpoints } from '../../system/common/services/ensure-services';

/**
 * Finds or starts RabbitMQ and ZooKeeper for a run of test systems (the integration run, the bench, the fuzzer) and
 * names them to test-system.ts. The broker URL is the orchestrator's; test systems on the local broker make a vhost
 * and URLs of their own.
 */
export async function ensureTestServices(logName: string): Promise<ServiceEndpoints> {
  const services = await ensureServices(loadConfig(), createLogger(logName, 'warn'));
  process.env.TEST_RABBITMQ_URL = services.rabbitmqUrl;
  process.env.TEST_ZOOKEEPER_CONNECT = services.zookeeperConnect;
  return services;
}
