import http from 'node:http';
import type { HttpLimits } from '../../common/http/server-limits';
import type { Logger } from '../../common/logging/logger';
import { listen, type RunningServer } from '../common/http-server';
import { createGatewayApp } from './app';

export interface GatewayOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  usersUrl: string;
  ridesUrl: string;
  timeoutMs: number;
  /** DBAAS_TOKEN: guards db/clear and DELETE _count. */
  token: string | undefined;
  httpLimits: HttpLimits;
  log: Logger;
}

export async function startGateway(o: GatewayOptions): Promise<RunningServer> {
  const agent = new http.Agent({ keepAlive: true });
  const app = createGatewayApp({ upstreams: { users: o.usersUrl, rides: o.ridesUrl }, timeoutMs: o.timeoutMs, agent, token: o.token, log: o.log });
  const server = await listen(app, o.port, o.host, o.httpLimits);
  return {
    ...server,
    close: async () => {
      await server.close();
      agent.destroy();
    },
  };
}
