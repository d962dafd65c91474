import fs from 'node:fs';
import { loadConfig } from '../config/config';
import { createLogger } from '../logging/logger';
import { localServices } from './ensure-services';

const USAGE = `Usage: npm run services -- <start|stop|status>

Runs the local RabbitMQ and ZooKeeper that the project uses when RABBITMQ_URL and ZOOKEEPER_CONNECT are unset,
on 127.0.0.1 (LOCAL_RABBITMQ_PORT, default 5672; LOCAL_ZOOKEEPER_PORT, default 2181), with their data under DATA_DIR.
Missing Debian packages are installed when SERVICES_AUTO_INSTALL is true (the default) and the user is root.

  start   start both servers and leave them running (npm start and npm test then reuse them)
  stop    stop both servers
  status  say whether each one answers
  wipe    stop both servers and delete their files (every queue, message and znode they held)

The servers run as the user who starts them and keep all their files in DATA_DIR/services/rabbitmq-<port> and
DATA_DIR/services/zookeeper-<port>.`;

async function main(): Promise<number> {
  const cmd = process.argv[2];
  if (!cmd || cmd === '--help' || cmd === '-h') {
    console.log(USAGE);
    return cmd ? 0 : 2;
  }
  const config = loadConfig();
  const { rabbitmq, zookeeper } = localServices(config, createLogger('services', config.logLevel));
  switch (cmd) {
    case 'start':
      // Each start returns at once when this project's server already runs, and fails when another program has its port.
      await rabbitmq.start();
      await zookeeper.start();
      console.log(`RabbitMQ  amqp://127.0.0.1:${rabbitmq.port}  (users and passwords: ${rabbitmq.credentialsFile})`);
      console.log(`ZooKeeper ${zookeeper.connectString}`);
      return 0;
    case 'stop':
      await zookeeper.stop();
      await rabbitmq.stop();
      return 0;
    case 'wipe':
      await zookeeper.stop();
      await rabbitmq.stop();
      if ((await rabbitmq.isRunning()) || (await zookeeper.isRunning())) {
        console.error('a server still answers on its port; nothing deleted');
        return 1;
      }
      for (const dir of [rabbitmq.dir, zookeeper.dir]) {
        fs.rmSync(dir, { recursive: true, force: true });
        console.log(`deleted ${dir}`);
      }
      return 0;
    case 'status': {
      const r = await rabbitmq.isRunning();
      const z = await zookeeper.isRunning();
      console.log(`RabbitMQ  127.0.0.1:${rabbitmq.port}  ${r ? 'up' : 'down'}\nZooKeeper ${zookeeper.connectString}  ${z ? 'up' : 'down'}`);
      return r && z ? 0 : 1;
    }
    default:
      console.error(`unknown command '${cmd}'\n\n${USAGE}`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`services: ${(err as Error).message}`);
    process.exit(1);
  },
);
