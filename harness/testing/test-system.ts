import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { configToEnv, loadConfig, type Config } from '../../system/common/config/config';
import { createLogger } from '../../system/common/logging/logger';
import { localServices } from '../../system/common/services/ensure-services';
import { waitUntil } from '../../system/common/time/wait-until';
import { Orchestrator } from '../../system/orchestrator/orchestrator';
import { HttpClient } from './http-client';
import { mountTmpfs } from './tmpfs';
import { readVariable } from '../../system/common/config/variables';
import type { LinkHub } from '../network/link-hub';

export interface TestSystem {
  orchestrator: Orchestrator;
  config: Config;
  http: HttpClient;
  /** An AMQP URL with every right on the system's vhost (the admin's): for inspecting replicas and forging records.
   * The orchestrator and its workers connect with their own, narrower users. */
  rabbitmqUrl: string;
  zookeeperConnect: string;
  /** Stops the orchestrator and its workers, then starts a new orchestrator on the same port over the same vhost,
   * ZooKeeper root and data directory: a restart of the whole system on its old data. */
  restart(): Promise<void>;
  /** The two halves of `restart`, for timing them apart. */
  stopOrchestrator(): Promise<void>;
  startOrchestrator(): Promise<void>;
  stop(): Promise<void>;
}

/** The servers a test system uses; unset fields come from the integration run or the configuration. */
export interface TestEndpoints {
  rabbitmqUrl?: string;
  rabbitmqWorkerUrl?: string;
  rabbitmqAdminUrl?: string;
  zookeeperConnect?: string;
  zookeeperAuth?: string;
}

/*
 * A whole DBaaS (orchestrator and worker processes) on the real servers of the integration run, isolated in a vhost
 * and a ZooKeeper root of its own. Settings come through the same configuration as in production; tests shorten
 * intervals by passing environment overrides.
 */
export async function startTestSystem(
  env: Record<string, string> = {},
  /** The servers to use; by default those of the integration run (TEST_RABBITMQ_URL / TEST_ZOOKEEPER_CONNECT). */
  endpoints: TestEndpoints = {},
  /** When given, the orchestrator and every worker reach the servers through its link proxies (network faults). */
  linkHub?: LinkHub,
  /** When given, the workers' logs are copied here before the system's data directory is removed at the end. */
  keepLogsIn?: string,
): Promise<TestSystem> {
  const suite = `t-${process.pid}-${randomBytes(3).toString('hex')}`;
  const base = loadConfig({ ...process.env, ...env });
  const log = createLogger('test', readVariable('TEST_LOG_LEVEL') ?? 'warn');
  const { rabbitmq, zookeeper } = localServices(base, log);
  // The local broker: a vhost of the suite's own, each part with its user. An external one: the URLs as configured.
  const ownVhost = !base.rabbitmqUrl;
  let urls: { orchestrator: string; worker: string; admin: string };
  if (ownVhost) {
    await rabbitmq.addVhost(suite);
    urls = { orchestrator: rabbitmq.url(suite, 'orchestrator'), worker: rabbitmq.url(suite, 'worker'), admin: rabbitmq.url(suite, 'admin') };
  } else {
    const orchestrator = endpoints.rabbitmqUrl ?? readVariable('TEST_RABBITMQ_URL') ?? base.rabbitmqUrl!;
    const worker = endpoints.rabbitmqWorkerUrl ?? base.rabbitmqWorkerUrl ?? orchestrator;
    urls = { orchestrator, worker, admin: endpoints.rabbitmqAdminUrl ?? worker };
  }
  const zookeeperConnect =
    endpoints.zookeeperConnect ?? readVariable('TEST_ZOOKEEPER_CONNECT') ?? base.zookeeperConnect ?? `127.0.0.1:${base.localZookeeperPort}`;
  const zookeeperAuth = endpoints.zookeeperAuth ?? base.zookeeperAuth ?? (base.zookeeperConnect ? undefined : zookeeper.auth());
  const dataDir = path.resolve(base.dataDir, 'test', suite);
  const config = loadConfig({
    ...process.env,
    ORCHESTRATOR_PORT: '0',
    ZK_ROOT: `/test/${suite}`,
    DATA_DIR: dataDir,
    ZK_SESSION_TIMEOUT_MS: '1000',
    LOG_LEVEL: readVariable('TEST_LOG_LEVEL') ?? 'warn',
    ...env,
    ...(linkHub ? { WORKER_LINK_PROXY: linkHub.controlUrl } : {}),
  });
  // For the disk-full fault: the workers' files on a small disk of their own (see WORKERS_TMPFS_MB).
  const tmpfs = config.workersTmpfsMb ? await mountTmpfs(path.join(dataDir, 'workers'), config.workersTmpfsMb) : undefined;
  if (tmpfs && !tmpfs.mounted) log.warn({ dir: tmpfs.dir }, `WORKERS_TMPFS_MB: cannot mount a tmpfs (${tmpfs.why}); the disk-full fault will be skipped`);
  // The orchestrator's own links through proxies of their own; its workers get theirs from the hub (WORKER_LINK_PROXY).
  const own = linkHub ? await linkHub.openOrchestrator(urls.orchestrator, zookeeperConnect) : { rabbitmqUrl: urls.orchestrator, zookeeperConnect };
  const orchestratorOn = (c: Config) =>
    new Orchestrator({
      config: c,
      rabbitmqUrl: own.rabbitmqUrl,
      rabbitmqWorkerUrl: urls.worker,
      zookeeperConnect: own.zookeeperConnect,
      workerZookeeperConnect: zookeeperConnect,
      zookeeperAuth,
      log,
    });
  let orchestrator = orchestratorOn(config);
  const cleanup = async () => {
    if (ownVhost) await rabbitmq.deleteVhost(suite);
    if (tmpfs?.mounted) await tmpfs.unmount().catch((err) => log.warn({ err: (err as Error).message }, 'could not unmount the workers\' tmpfs'));
    const logs = path.join(dataDir, 'logs');
    try {
      if (keepLogsIn && fs.existsSync(logs)) fs.cpSync(logs, keepLogsIn, { recursive: true });
    } catch (err) {
      log.warn({ err: (err as Error).message, keepLogsIn }, 'could not keep the workers\' logs');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await orchestrator.start();
    // The orchestrator answers once the master is ready; its slaves may still be starting (several seconds on a busy
    // machine), and a read published meanwhile waits in readQ until RPC_TIMEOUT_MS. Tests begin with every slave ready.
    const slavesReady = async () =>
      (await orchestrator.supervisor.workers()).filter((w) => w.role === 'slave' && w.state === 'ready').length >= config.initialSlaves;
    await waitUntil(`${config.initialSlaves} ready slaves`, slavesReady, config.workerStartTimeoutMs);
  } catch (err) {
    await orchestrator.stop().catch(() => undefined);
    await cleanup();
    throw err;
  }
  // A restart keeps the port, so that clients holding the URL go on.
  let port = 0;
  const stopOrchestrator = async () => {
    port = orchestrator.port;
    await orchestrator.stop();
  };
  const startOrchestrator = async () => {
    orchestrator = orchestratorOn(loadConfig({ ...configToEnv(config), ORCHESTRATOR_PORT: String(port) }));
    await orchestrator.start();
  };
  return {
    get orchestrator() {
      return orchestrator;
    },
    config,
    http: new HttpClient(orchestrator.url, config.token),
    rabbitmqUrl: urls.admin,
    zookeeperConnect,
    stopOrchestrator,
    startOrchestrator,
    restart: async () => {
      await stopOrchestrator();
      await startOrchestrator();
    },
    stop: async () => {
      await orchestrator.stop();
      await cleanup();
    },
  };
}
