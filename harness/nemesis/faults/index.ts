// Every fault of the nemesis, one line each (see ../registry.ts).
export { killMaster } from './kill-master';
export { killSlave } from './kill-slave';
export { killRandom } from './kill-random';
export { pauseWorker } from './pause-worker';
export { restartRabbitMq } from './restart-rabbitmq';
export { restartZookeeper } from './restart-zookeeper';
export { pauseSlave } from './pause-slave';
export { killAllWorkers } from './kill-all-workers';
export { restartSystem } from './restart-system';
