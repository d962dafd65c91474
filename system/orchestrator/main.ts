import { loadConfig } from '../common/config/config';
import { ConfigError, ServiceSetupError } from '../common/errors/errors';
import { createLogger } from '../common/logging/logger';
import { ensureServices } from '../common/services/ensure-services';
import { Orchestrator } from './orchestrator';

const HELP = `Usage: node --import tsx system/orchestrator/main.ts [--help]

The DBaaS orchestrator on its own, without the RideShare services: the command of the orchestrator container in
docker-compose.yml and in the harness's docker environment. It reaches RABBITMQ_URL and ZOOKEEPER_CONNECT (unset:
local servers on loopback, as npm start does), listens on BIND_HOST:ORCHESTRATOR_PORT, and runs its workers with
WORKER_RUNTIME (process | docker; docker: DOCKER_IMAGE, DOCKER_SOCKET, DOCKER_NETWORK, DOCKER_DEPLOYMENT).
SIGTERM or SIGINT stops the workers and then the orchestrator. Configuration: README.md ("Configuration").`;

/** The line that says the orchestrator is ready (the harness waits for it). */
const READY_LINE = 'DBaaS orchestrator listening on';

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) return void console.log(HELP);
  const config = loadConfig();
  const log = createLogger('orchestrator', config.logLevel);
  const services = await ensureServices(config, log);
  let stopping = false;
  const orchestrator = new Orchestrator({
    config,
    rabbitmqUrl: services.rabbitmqUrl,
    zookeeperConnect: services.zookeeperConnect,
    log,
    onFatal: (reason) => void shutdown(`fatal: ${reason}`, 1),
  });
  const shutdown = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    console.log(`${reason}: stopping the workers and the orchestrator...`);
    await orchestrator.stop().catch((err) => log.error({ err: (err as Error).message }, 'orchestrator stop failed'));
    await services.stop().catch((err) => log.error({ err: (err as Error).message }, 'service stop failed'));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    await orchestrator.start();
  } catch (err) {
    await orchestrator.stop().catch(() => undefined);
    await services.stop().catch(() => undefined);
    throw err;
  }
  console.log(`${READY_LINE} ${config.bindHost}:${orchestrator.port} (workers: ${config.workerRuntime})`);
}

main().catch((err) => {
  const known = err instanceof ConfigError || err instanceof ServiceSetupError;
  console.error(`orchestrator: ${known ? err.message : (err as Error).stack}`);
  process.exit(1);
});
