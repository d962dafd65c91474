import { loadConfig } from '../common/config/config';
import { createLogger } from '../common/logging/logger';
import { EXIT, Worker, type WorkerOptions } from './worker';

/*
 * Entry point of a worker process. The orchestrator's runtime starts it with WORKER_ID and the service endpoints in
 * the environment (RABBITMQ_URL, ZOOKEEPER_CONNECT), beside the shared configuration.
 */
const HELP = `Usage: tsx system/worker/main.ts

A DBaaS worker (master or slave: the election decides). Normally started by the orchestrator's runtime.
Environment: WORKER_ID (required), RABBITMQ_URL, ZOOKEEPER_CONNECT (required here), WORKER_PID (optional: the PID
to be known by; defaults to this process's PID), DATA_DIR, ZK_ROOT, ZK_SESSION_TIMEOUT_MS and the rest of README.md.`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  const config = loadConfig();
  const id = process.env.WORKER_ID;
  const pid = Number(process.env.WORKER_PID || process.pid);
  const log = createLogger(`worker:${id}`, config.logLevel);
  if (!id || !/^[A-Za-z0-9_.-]+$/.test(id) || !config.rabbitmqUrl || !config.zookeeperConnect) {
    console.error('worker: WORKER_ID (letters, digits, _ . -), RABBITMQ_URL and ZOOKEEPER_CONNECT must be set\n\n' + HELP);
    process.exit(2);
  }
  const options: WorkerOptions = {
    id,
    pid,
    config,
    rabbitmqUrl: config.rabbitmqUrl,
    zookeeperConnect: config.zookeeperConnect,
    log,
    onFatal: (reason, code) => {
      // Crash-only: a worker that cannot trust its state stops at once; the orchestrator starts a fresh one.
      log.fatal({ reason, code }, 'worker stopping at once');
      process.exit(code);
    },
  };
  const started = Worker.start(options);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping gracefully');
    // A signal during the start stops the worker once it has started (a failed start exits on its own, below).
    started.then((worker) => worker.stop()).then(
      () => process.exit(0),
      () => process.exit(EXIT.failed),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Under the process runtime the orchestrator is our parent: if it dies without stopping us, we stop too.
  const parent = Number(process.env.WORKER_PARENT_PID || 0);
  if (parent > 0) {
    setInterval(() => process.ppid !== parent && shutdown('parent exited'), 1000).unref();
  }
  try {
    await started;
  } catch (err) {
    log.fatal({ err: (err as Error).message }, 'worker failed to start');
    process.exit(EXIT.failed);
  }
}

void main();
