import { loadConfig, type Config } from '../config/config';
import { StartupError } from '../errors/errors';
import { createLogger, type Logger } from '../logging/logger';
import { once, runStopSteps, type StopStep } from './stop-steps';

/** What a process's start function gets: its configuration and logger, and where to register its stop steps. */
export interface MainContext {
  config: Config;
  log: Logger;
  /** Registers a stop step; steps run in reverse order of registration (last started, first stopped). */
  onStop(name: string, run: StopStep['run']): void;
  /** Stops the process gracefully with this exit code (0: asked to stop; 1: a fatal error). Idempotent. */
  shutdown(reason: string, code: number): Promise<void>;
}

export interface MainOptions {
  /** Prefix of the process's error lines (e.g. "dbaas", "orchestrator"). */
  name: string;
  /** Printed for --help / -h. */
  help: string;
  /** Logger name; defaults to `name`. */
  logName?: string;
  /** Environment variable carrying the PID of a parent that, once gone, should take this process with it. */
  parentPidEnv?: string;
  /** How often the parent watchdog looks. Default 1000 ms. */
  parentCheckMs?: number;
  start(ctx: MainContext): Promise<void>;
}

/*
 * The one lifecycle of the project's processes (npm start, the orchestrator, a worker, each RideShare service):
 * --help, configuration, SIGINT/SIGTERM, a parent watchdog, a stop that runs every registered step even when one
 * fails, and the exit code: 0 after a requested stop, 1 after a fatal error, a failed start or a failed stop step.
 * A StartupError (bad configuration, a taken port, a server that cannot start) is printed as its one-line message.
 */
export function runMain(o: MainOptions): void {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(o.help);
    return;
  }
  const steps: StopStep[] = [];
  let log: Logger | undefined;
  let exitCode = 0;
  const stopAll = once(async () => {
    await runStopSteps([...steps].reverse()).catch((err: Error) => {
      exitCode = exitCode || 1;
      // Before the configuration was read there is no logger yet: the message must reach stderr all the same.
      if (log) log.error({ err: err.message }, 'stop step failed');
      else console.error(`${o.name}: ${err.message}`);
    });
  });
  let shuttingDown: Promise<void> | undefined;
  const shutdown = (reason: string, code: number) => {
    shuttingDown ??= (async () => {
      exitCode = code;
      // A child of another process of the project (parentPidEnv) stops quietly unless something went wrong.
      if (code !== 0 || !o.parentPidEnv) console.error(`${o.name}: ${reason}: stopping...`);
      else log?.info({ reason }, 'stopping');
      await stopAll();
      process.exit(exitCode);
    })();
    return shuttingDown;
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  const parent = o.parentPidEnv ? Number(process.env[o.parentPidEnv] || 0) : 0;
  if (parent > 0) {
    setInterval(() => process.ppid !== parent && void shutdown('parent exited', 0), o.parentCheckMs ?? 1000).unref();
  }
  (async () => {
    const config = loadConfig();
    log = createLogger(o.logName ?? o.name, config.logLevel);
    await o.start({ config, log, onStop: (name, run) => steps.push({ name, run }), shutdown });
  })().catch(async (err: Error) => {
    console.error(`${o.name}: ${err instanceof StartupError ? err.message : err.stack}`);
    await stopAll();
    process.exit(1);
  });
}
