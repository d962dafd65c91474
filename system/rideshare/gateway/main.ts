import { httpLimits } from '../../common/http/server-limits';
import { runServiceMain } from '../common/service-main';
import { startGateway } from './server';

const HELP = `Usage: node --import tsx system/rideshare/gateway/main.ts

The RideShare gateway: one address for the RideShare API. /api/v1/users* goes to the users service, /api/v1/rides*
to the rides service; /api/v1/_count?service=users|rides and /api/v1/db/clear[?service=...] to the service named.
Environment: GATEWAY_PORT (default 8080), USERS_URL (default http://127.0.0.1:$USERS_PORT), RIDES_URL (default
http://127.0.0.1:$RIDES_PORT), BIND_HOST, RIDESHARE_TIMEOUT_MS, DBAAS_TOKEN (guards db/clear and DELETE _count), LOG_LEVEL; see README.md ("Configuration").`;

runServiceMain({
  name: 'gateway',
  help: HELP,
  start: (config, log) =>
    startGateway({
      host: config.bindHost,
      port: config.gatewayPort,
      usersUrl: config.usersUrl,
      ridesUrl: config.ridesUrl,
      timeoutMs: config.rideshareTimeoutMs,
      token: config.token,
      httpLimits: httpLimits(config),
      log,
    }),
});
