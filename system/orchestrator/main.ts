import { runMain } from '../common/process/run-main';
import { startOrchestratorWithServices } from './start-with-services';

const HELP = `Usage: node --import tsx system/orchestrator/main.ts [--help]

The DBaaS orchestrator on its own, without the RideShare services: the command of the orchestrator container in
docker-compose.yml and in the harness's docker environment. It reaches RABBITMQ_URL and ZOOKEEPER_CONNECT (unset:
local servers on loopback, as npm start does), listens on BIND_HOST:ORCHESTRATOR_PORT, and runs its workers with
WORKER_RUNTIME (process | docker; docker: DOCKER_IMAGE, DOCKER_SOCKET, DOCKER_NETWORK, DOCKER_DEPLOYMENT).
SIGTERM or SIGINT stops the workers and then the orchestrator. Configuration: README.md ("Configuration").`;

/** The line that says the orchestrator is ready (the harness waits for it). */
const READY_LINE = 'DBaaS orchestrator listening on';

runMain({
  name: 'orchestrator',
  help: HELP,
  start: async (ctx) => {
    const { orchestrator } = await startOrchestratorWithServices(ctx);
    console.log(`${READY_LINE} ${ctx.config.bindHost}:${orchestrator.port} (workers: ${ctx.config.workerRuntime})`);
  },
});
