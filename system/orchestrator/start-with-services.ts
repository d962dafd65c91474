import { assertPortsAvailable, type WantedPort } from '../common/process/port-preflight';
import type { MainContext } from '../common/process/run-main';
import { ensureServices, type ServiceEndpoints } from '../common/services/ensure-services';
import { Orchestrator } from './orchestrator';

/**
 * The orchestrator as a process runs it (`npm start` and the orchestrator's own main): the ports checked first, then
 * RabbitMQ and ZooKeeper found or started, then the orchestrator and its workers; each registered to be stopped.
 * A fatal orchestrator error stops the process with exit code 1.
 */
export async function startOrchestratorWithServices(
  { config, log, onStop, shutdown }: MainContext,
  /** Ports the caller will listen on too, checked with the orchestrator's before anything starts. */
  otherPorts: WantedPort[] = [],
): Promise<{ orchestrator: Orchestrator; services: ServiceEndpoints }> {
  await assertPortsAvailable(config.bindHost, [{ port: config.orchestratorPort, setting: 'ORCHESTRATOR_PORT' }, ...otherPorts]);
  const services = await ensureServices(config, log);
  onStop('the services this run started', () => services.stop());
  const orchestrator = new Orchestrator({
    config,
    rabbitmqUrl: services.rabbitmqUrl,
    rabbitmqWorkerUrl: services.rabbitmqWorkerUrl,
    zookeeperConnect: services.zookeeperConnect,
    zookeeperAuth: services.zookeeperAuth,
    log,
    onFatal: (reason) => void shutdown(`fatal: ${reason}`, 1),
  });
  onStop('workers and orchestrator', () => orchestrator.stop());
  await orchestrator.start();
  return { orchestrator, services };
}
