import path from 'node:path';
import { loadConfig } from '../../system/common/config/config';
import { createLogger } from '../../system/common/logging/logger';
import { ensureServices } from '../../system/common/services/ensure-services';
import { startTestSystem } from '../testing/test-system';
import { LinkHub } from '../network/link-hub';
import type { Cluster, ClusterLinks, Environment, EnvironmentOptions } from './environment';

/*
 * The `local` environment: RabbitMQ and ZooKeeper on loopback (started, and installed when missing, like `npm start`
 * does), the orchestrator in this process with its own vhost and ZooKeeper root, workers as child processes.
 * Faults are real: signals to worker PIDs, restarts of the real servers, and (with `linkProxies`) links cut, slowed or
 * reset by a TCP proxy per link of every part.
 */
export class LocalEnvironment implements Environment {
  readonly name = 'local' as const;

  async start(options: EnvironmentOptions): Promise<Cluster> {
    const base = loadConfig({ ...process.env, ...options.env });
    const services = await ensureServices(base, createLogger('harness', 'warn'));
    const hub = options.linkProxies ? new LinkHub() : undefined;
    let system;
    try {
      await hub?.start();
      system = await startTestSystem(options.env, services, hub, options.keepLogsIn);
    } catch (err) {
      await hub?.close();
      // Why the system did not start is what the user needs; a server that then also fails to stop must not hide it.
      await services.stop().catch((stopErr: Error) => {
        (err as Error).message += ` (and stopping the local servers failed too: ${stopErr.message})`;
      });
      throw err;
    }
    const sys = system;
    // Read at each use: a restart of the system brings a new orchestrator with a runtime of its own.
    const runtime = () => sys.orchestrator.runtime;
    // A worker that is gone takes its proxies with it (the runtime of each orchestrator the system runs).
    const watched = new WeakSet<object>();
    const watchExits = () => {
      const r = runtime();
      if (!hub || watched.has(r)) return;
      watched.add(r);
      r.on('exit', (exit) => void hub.dropWorker(exit.id));
    };
    watchExits();
    const links: ClusterLinks | undefined = hub && {
      worker(pid) {
        const handle = runtime().list().find((h) => h.pid === pid);
        if (!handle) throw new Error(`no running worker with PID ${pid}`);
        return hub.worker(handle.id);
      },
      get orchestrator() {
        return hub.orchestrator;
      },
    };
    const runningWorkerPids = async () => runtime().list().map((h) => h.pid).sort((a, b) => a - b);
    return {
      environment: 'local',
      url: sys.orchestrator.url,
      http: sys.http,
      token: sys.config.token,
      rabbitmqUrl: sys.rabbitmqUrl,
      settings: options.env,
      links,
      runningWorkerPids,
      async signalWorker(pid, signal) {
        // Only ever signal a process this system started: a stale PID could have been reused by the OS.
        const handle = runtime().list().find((h) => h.pid === pid);
        if (!handle) throw new Error(`no running worker with PID ${pid}`);
        await runtime().signal(handle.id, signal);
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
        const handle = runtime().list().find((h) => h.pid === pid);
        return handle ? path.join(sys.config.dataDir, 'workers', handle.id) : undefined;
      },
      workerClockFile(pid) {
        const handle = runtime().list().find((h) => h.pid === pid);
        return handle && sys.config.workerFaketime ? path.join(sys.config.dataDir, 'faketime', handle.id) : undefined;
      },
      async restartZookeeper() {
        if (!services.zookeeper) throw new Error('ZOOKEEPER_CONNECT points at an external ZooKeeper: the harness cannot restart it');
        await services.zookeeper.restart();
      },
      async restartSystem() {
        await sys.restart();
        watchExits();
      },
      async stop() {
        await sys.stop();
        await hub?.close();
        await services.stop();
      },
    };
  }
}
