import { loadConfig, type Config } from '../../common/config/config';
import { ConfigError } from '../../common/errors/errors';
import { createLogger, type Logger } from '../../common/logging/logger';
import type { RunningServer } from './http-server';
import { listeningLine } from './listening-line';
import { readVariable, type OtherVariableName } from '../../common/config/variables';

/** Set by the launcher of `npm start`: a service whose parent is gone stops too. */
export const PARENT_PID_ENV = 'RIDESHARE_PARENT_PID' satisfies OtherVariableName;

export interface ServiceMain {
  /** users, rides or gateway. */
  name: string;
  help: string;
  start(config: Config, log: Logger): Promise<RunningServer>;
}

/*
 * The process side of a RideShare service: --help, configuration from the environment, one line on stdout saying
 * where it listens, and a graceful stop on SIGINT/SIGTERM (requests in flight finish).
 */
export function runServiceMain(m: ServiceMain): void {
  main(m).catch((err) => {
    const known = err instanceof ConfigError || (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    console.error(`rideshare ${m.name}: ${known ? (err as Error).message : (err as Error).stack}`);
    process.exit(1);
  });
}

async function main(m: ServiceMain): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) return void console.log(m.help);
  const config = loadConfig();
  const log = createLogger(`rideshare:${m.name}`, config.logLevel);
  const server = await m.start(config, log);
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'stopping');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  const parent = Number(readVariable(PARENT_PID_ENV) || 0);
  if (parent > 0) setInterval(() => process.ppid !== parent && shutdown('parent exited'), 1000).unref();
  console.log(listeningLine(m.name, server.url));
}
