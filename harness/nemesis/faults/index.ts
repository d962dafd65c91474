// Every fault of the nemesis, one line each (see ../registry.ts).
export { killMaster } from './kill-master';
export { killSlave } from './kill-slave';
export { killRandom } from './kill-random';
export { pauseWorker } from './pause-worker';
export { restartRabbitMq } from './restart-rabbitmq';
export { restartZookeeper } from './restart-zookeeper';
export { pauseSlave } from './pause-slave';
export { deleteWriteQueue } from './delete-write-queue';
export { deleteReadQueue } from './delete-read-queue';
export { deleteResponseQueue } from './delete-response-queue';
export { deleteSyncQueue } from './delete-sync-queue';
export { wipeRabbitMq } from './wipe-rabbitmq';
export { fillDisk } from './fill-disk';
export { skewClock } from './skew-clock';
