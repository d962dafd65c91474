import { runMain } from './common/process/run-main';
import { startOrchestratorWithServices } from './orchestrator/start-with-services';
import { startRideShareProcesses } from './rideshare/launcher/rideshare-processes';

const HELP = `Usage: npm start

Runs the whole DBaaS on this machine: RabbitMQ and ZooKeeper (local servers on loopback unless RABBITMQ_URL and
ZOOKEEPER_CONNECT are set; installed from Debian packages when missing), the orchestrator on ORCHESTRATOR_PORT
(default 80), and its workers (one master, INITIAL_SLAVES slaves); then the RideShare users, rides and gateway
services (USERS_PORT, RIDES_PORT, GATEWAY_PORT: 8081, 8082, 8080). Ctrl-C stops everything it started.
Configuration: environment variables, see README.md ("Configuration").`;

runMain({
  name: 'dbaas',
  help: HELP,
  start: async (ctx) => {
    const { config, log, onStop } = ctx;
    const { orchestrator, services } = await startOrchestratorWithServices(ctx, [
      { port: config.usersPort, setting: 'USERS_PORT' },
      { port: config.ridesPort, setting: 'RIDES_PORT' },
      { port: config.gatewayPort, setting: 'GATEWAY_PORT' },
    ]);
    const rideshare = await startRideShareProcesses({ config, orchestratorUrl: orchestrator.url, log });
    onStop('RideShare services', () => rideshare.stop());
    console.log(`DBaaS orchestrator  ${orchestrator.url}   (try: curl ${orchestrator.url}/api/v1/workers)`);
    console.log(`RabbitMQ            ${services.rabbitmqUrl.replace(/\/\/[^@]*@/, '//')}`);
    console.log(`ZooKeeper           ${services.zookeeperConnect}${config.zkRoot}`);
    console.log(`RideShare gateway   ${rideshare.gatewayUrl}   (try: curl ${rideshare.gatewayUrl}/api/v1/rides/count)`);
    console.log('Press Ctrl-C to stop.');
  },
});
