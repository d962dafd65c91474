import { loadConfig } from './common/config/config';
import { ConfigError, ServiceSetupError } from './common/errors/errors';
import { createLogger } from './common/logging/logger';
import { ensureServices } from './common/services/ensure-services';
import { Orchestrator } from './orchestrator/orchestrator';
import { startRideShareProcesses, type RideShareProcesses } from './rideshare/launcher/rideshare-processes';

const HELP = `Usage: npm start

Runs the whole DBaaS on this machine: RabbitMQ and ZooKeeper (local servers on loopback unless RABBITMQ_URL and
ZOOKEEPER_CONNECT are set; installed from Debian packages when missing), the orchestrator on ORCHESTRATOR_PORT
(default 80), and its workers (one master, INITIAL_SLAVES slaves); then the RideShare users, rides and gateway
services (USERS_PORT, RIDES_PORT, GATEWAY_PORT: 8081, 8082, 8080). Ctrl-C stops everything it started.
Configuration: environment variables, see README.md ("Configuration").`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) return void console.log(HELP);
  const config = loadConfig();
  const log = createLogger('dbaas', config.logLevel);
  const services = await ensureServices(config, log);
  let rideshare: RideShareProcesses | undefined;
  let stopping = false;
  const orchestrator = new Orchestrator({
    config,
    rabbitmqUrl: services.rabbitmqUrl,
    zookeeperConnect: services.zookeeperConnect,
    log,
    onFatal: (reason) => void shutdown(`fatal: ${reason}`),
  });
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping RideShare services, workers, orchestrator and the services this run started...`);
    await rideshare?.stop().catch((err) => log.error({ err: (err as Error).message }, 'rideshare stop failed'));
    await orchestrator.stop().catch((err) => log.error({ err: (err as Error).message }, 'orchestrator stop failed'));
    await services.stop().catch((err) => log.error({ err: (err as Error).message }, 'service stop failed'));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    await orchestrator.start();
    rideshare = await startRideShareProcesses({ config, orchestratorUrl: orchestrator.url, log });
  } catch (err) {
    await orchestrator.stop().catch(() => undefined);
    await services.stop().catch(() => undefined);
    throw err;
  }
  console.log(`DBaaS orchestrator  ${orchestrator.url}   (try: curl ${orchestrator.url}/api/v1/workers)`);
  console.log(`RabbitMQ            ${services.rabbitmqUrl.replace(/\/\/[^@]*@/, '//')}`);
  console.log(`ZooKeeper           ${services.zookeeperConnect}${config.zkRoot}`);
  console.log(`RideShare gateway   ${rideshare.gatewayUrl}   (try: curl ${rideshare.gatewayUrl}/api/v1/rides/count)`);
  console.log('Press Ctrl-C to stop.');
}

main().catch((err) => {
  const known = err instanceof ConfigError || err instanceof ServiceSetupError;
  console.error(`dbaas: ${known ? err.message : (err as Error).stack}`);
  process.exit(1);
});
