import type { Config } from '../../common/config/config';
import type { Logger } from '../../common/logging/logger';
import { runMain } from '../../common/process/run-main';
import type { RunningServer } from './http-server';
import { listeningLine } from './listening-line';
import type { OtherVariableName } from '../../common/config/variables';

/** Set by the launcher of `npm start`: a service whose parent is gone stops too. */
export const PARENT_PID_ENV = 'RIDESHARE_PARENT_PID' satisfies OtherVariableName;

export interface ServiceMain {
  /** users, rides or gateway. */
  name: string;
  help: string;
  start(config: Config, log: Logger): Promise<RunningServer>;
}

/*
 * The process side of a RideShare service: the project's one lifecycle (runMain), plus one line on stdout saying
 * where it listens; a stop lets requests in flight finish.
 */
export function runServiceMain(m: ServiceMain): void {
  runMain({
    name: `rideshare ${m.name}`,
    logName: `rideshare:${m.name}`,
    help: m.help,
    parentPidEnv: PARENT_PID_ENV,
    start: async ({ config, log, onStop }) => {
      const server = await m.start(config, log);
      onStop('HTTP server', () => server.close());
      console.log(listeningLine(m.name, server.url));
    },
  });
}
