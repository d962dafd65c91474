import type { Config } from '../../common/config/config';
import type { Logger } from '../../common/logging/logger';

/** What every RideShare service needs to start; tests build it directly (port 0), processes from the configuration. */
export interface ServiceOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** The DBaaS orchestrator. */
  orchestratorUrl: string;
  /** DBAAS_TOKEN: sent to the orchestrator as a bearer token when set. */
  token: string | undefined;
  /** How long to wait for the DBaaS or another service. */
  timeoutMs: number;
  bodyLimit: string;
  log: Logger;
}

export function serviceOptions(config: Config, log: Logger, port: number): ServiceOptions {
  return {
    host: config.bindHost,
    port,
    orchestratorUrl: config.orchestratorUrl,
    token: config.token,
    timeoutMs: config.rideshareTimeoutMs,
    bodyLimit: config.bodyLimit,
    log,
  };
}
