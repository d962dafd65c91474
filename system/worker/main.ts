import { readVariable } from '../common/config/variables';
import { ConfigError } from '../common/errors/errors';
import { runMain } from '../common/process/run-main';
import { Worker } from './worker';

/*
 * Entry point of a worker process. The orchestrator's runtime starts it with WORKER_ID and the service endpoints in
 * the environment (RABBITMQ_URL, ZOOKEEPER_CONNECT), beside the shared configuration.
 */
const HELP = `Usage: tsx system/worker/main.ts

A DBaaS worker (master or slave: the election decides). Normally started by the orchestrator's runtime.
Environment: WORKER_ID (required), RABBITMQ_URL, ZOOKEEPER_CONNECT (required here), ZOOKEEPER_AUTH, WORKER_PID (optional: the PID
to be known by; defaults to this process's PID), DATA_DIR, ZK_ROOT, ZK_SESSION_TIMEOUT_MS and the rest of README.md.`;

const id = readVariable('WORKER_ID');

runMain({
  name: 'worker',
  logName: `worker:${id}`,
  help: HELP,
  // Under the process runtime the orchestrator is our parent: if it dies without stopping us, we stop too.
  parentPidEnv: 'WORKER_PARENT_PID',
  start: async ({ config, log, onStop }) => {
    if (!id || !/^[A-Za-z0-9_.-]+$/.test(id) || !config.rabbitmqUrl || !config.zookeeperConnect) {
      throw new ConfigError(`WORKER_ID (letters, digits, _ . -), RABBITMQ_URL and ZOOKEEPER_CONNECT must be set\n\n${HELP}`);
    }
    const started = Worker.start({
      id,
      pid: Number(readVariable('WORKER_PID') || process.pid),
      config,
      rabbitmqUrl: config.rabbitmqUrl,
      zookeeperConnect: config.zookeeperConnect,
      zookeeperAuth: config.zookeeperAuth,
      log,
      onFatal: (reason, code) => {
        // Crash-only: a worker that cannot trust its state stops at once, without a graceful stop; the orchestrator
        // starts a fresh one.
        log.fatal({ reason, code }, 'worker stopping at once');
        process.exit(code);
      },
    });
    // A signal during the start stops the worker once it has started.
    onStop('worker', () => started.then((worker) => worker.stop()));
    await started;
  },
});
