// Every fault of the nemesis, one line each (see ../registry.ts).
export { killMaster } from './kill-master';
export { killSlave } from './kill-slave';
export { killRandom } from './kill-random';
export { pauseWorker } from './pause-worker';
export { restartRabbitMq } from './restart-rabbitmq';
export { restartZookeeper } from './restart-zookeeper';
export { pauseSlave } from './pause-slave';
export { cutMasterZookeeper } from './cut-master-zookeeper';
export { cutMasterRabbitmq } from './cut-master-rabbitmq';
export { isolateSlave } from './isolate-slave';
export { isolateWorker } from './isolate-worker';
export { cutOrchestratorZookeeper } from './cut-orchestrator-zookeeper';
export { cutOrchestratorRabbitmq } from './cut-orchestrator-rabbitmq';
export { cutWorkerLink } from './cut-worker-link';
export { slowLink } from './slow-link';
export { resetMasterLinks } from './reset-master-links';
