import path from 'node:path';
import { loadConfig } from '../../system/common/config/config';
import { createLogger } from '../../system/common/logging/logger';
import { ensureServices } from '../../system/common/services/ensure-services';
import { startTestSystem } from '../testing/test-system';
import type { Cluster, Environment, EnvironmentOptions } from './environment';

/*
 * The `local` environment: RabbitMQ and ZooKeeper on loopback (started, and installed when missing, like `npm start`
 * does), the orchestrator in this process with its own vhost and ZooKeeper root, workers as child processes.
 * Faults are real: signals to worker PIDs, restarts of the real servers.
 */
export class LocalEnvironment implements Environment {
  readonly name = 'local' as const;

  async start(options: EnvironmentOptions): Promise<Cluster> {
    const base = loadConfig({ ...process.env, ...options.env });
    const services = await ensureServices(base, createLogger('harness', 'warn'));
    let system;
    try {
      system = await startTestSystem(options.env, services);
    } catch (err) {
      await services.stop();
      throw err;
    }
    const sys = system;
    const runtime = sys.orchestrator.runtime;
    const runningWorkerPids = async () => runtime.list().map((h) => h.pid).sort((a, b) => a - b);
    return {
      environment: 'local',
      url: sys.orchestrator.url,
      http: sys.http,
      token: sys.config.token,
      rabbitmqUrl: sys.rabbitmqUrl,
      settings: options.env,
      runningWorkerPids,
      async signalWorker(pid, signal) {
        // Only ever signal a process this system started: a stale PID could have been reused by the OS.
        const handle = runtime.list().find((h) => h.pid === pid);
        if (!handle) throw new Error(`no running worker with PID ${pid}`);
        await runtime.signal(handle.id, signal);
      },
      async restartRabbitMq() {
        if (!services.rabbitmq) throw new Error('RABBITMQ_URL points at an external broker: the harness cannot restart it');
        await services.rabbitmq.restart();
      },
      async wipeRabbitMq() {
        const broker = services.rabbitmq;
        if (!broker) throw new Error('RABBITMQ_URL points at an external broker: the harness cannot wipe it');
        const vhost = decodeURIComponent(new URL(sys.rabbitmqUrl).pathname.slice(1));
        await broker.deleteVhost(vhost);
        await broker.restart();
        await broker.addVhost(vhost);
      },
      workerDataDir(pid) {
        const handle = runtime.list().find((h) => h.pid === pid);
        return handle ? path.join(sys.config.dataDir, 'workers', handle.id) : undefined;
      },
      workerClockFile(pid) {
        const handle = runtime.list().find((h) => h.pid === pid);
        return handle && sys.config.workerFaketime ? path.join(sys.config.dataDir, 'faketime', handle.id) : undefined;
      },
      async restartZookeeper() {
        if (!services.zookeeper) throw new Error('ZOOKEEPER_CONNECT points at an external ZooKeeper: the harness cannot restart it');
        await services.zookeeper.restart();
      },
      async stop() {
        await sys.stop();
        await services.stop();
      },
    };
  }
}
