import type { Config } from '../../common/config/config';
import { httpLimits, type HttpLimits } from '../../common/http/server-limits';
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
  /** The HTTP server's timeouts and connection cap. */
  httpLimits: HttpLimits;
  /** Most attempts at a write whose outcome is unknown (timeout, DBaaS unavailable), with the same writeId. */
  writeAttempts: number;
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
    httpLimits: httpLimits(config),
    writeAttempts: config.rideshareWriteAttempts,
    log,
  };
}
