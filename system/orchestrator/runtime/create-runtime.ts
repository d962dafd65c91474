import path from 'node:path';
import { configToEnv, type Config } from '../../common/config/config';
import type { Logger } from '../../common/logging/logger';
import { DockerRuntime } from './docker-runtime';
import { ProcessRuntime } from './process-runtime';
import { WORKER_SOURCES_ENTRY, WorkerBundle } from './worker-bundle';
import type { WorkerRuntime } from './worker-runtime';

export interface RuntimeEndpoints {
  /** The workers' AMQP URL (their own broker user), which they get as RABBITMQ_URL. */
  rabbitmqUrl: string;
  zookeeperConnect: string;
  /** ZOOKEEPER_AUTH for the workers' sessions; undefined: no ACL. */
  zookeeperAuth?: string;
}

/** The worker runtime that WORKER_RUNTIME names, handing workers the configuration and the service endpoints. */
export async function createRuntime(config: Config, endpoints: RuntimeEndpoints, log: Logger): Promise<WorkerRuntime> {
  const baseEnv: Record<string, string> = {
    ...configToEnv(config),
    RABBITMQ_URL: endpoints.rabbitmqUrl,
    ZOOKEEPER_CONNECT: endpoints.zookeeperConnect,
    ...(endpoints.zookeeperAuth ? { ZOOKEEPER_AUTH: endpoints.zookeeperAuth } : {}),
  };
  const logDir = path.join(config.dataDir, 'logs');
  if (config.workerRuntime === 'docker') {
    return DockerRuntime.create({
      baseEnv,
      image: config.dockerImage,
      socketPath: config.dockerSocket,
      network: config.dockerNetwork,
      deployment: config.dockerDeployment,
      logDir,
      log,
    });
  }
  const faketime = config.workerFaketime ? { lib: config.workerFaketimeLib, dir: path.join(config.dataDir, 'faketime') } : undefined;
  const worker = config.workerBundle ? await WorkerBundle.create({ dir: path.join(config.dataDir, 'bundle'), log }) : WORKER_SOURCES_ENTRY;
  return new ProcessRuntime({ baseEnv, logDir, workersDir: path.join(config.dataDir, 'workers'), faketime, worker, log });
}
