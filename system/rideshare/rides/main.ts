import { runServiceMain } from '../common/service-main';
import { serviceOptions } from '../common/service-options';
import { startRidesService } from './server';

const HELP = `Usage: node --import tsx system/rideshare/rides/main.ts

The RideShare rides service: POST|GET /api/v1/rides, GET|POST|DELETE /api/v1/rides/{rideId}, GET /api/v1/rides/count,
plus GET|DELETE /api/v1/_count and POST /api/v1/db/clear. It keeps no database: every read and write goes to the
DBaaS; whether a user exists it asks the users service. Areas: system/rideshare/data/AreaNameEnum.csv.
Environment: RIDES_PORT (default 8082), USERS_URL (default http://127.0.0.1:$USERS_PORT), BIND_HOST, ORCHESTRATOR_URL,
DBAAS_TOKEN, RIDESHARE_TIMEOUT_MS, BODY_LIMIT, LOG_LEVEL; see README.md ("Configuration").`;

runServiceMain({
  name: 'rides',
  help: HELP,
  start: (config, log) => startRidesService({ ...serviceOptions(config, log, config.ridesPort), usersUrl: config.usersUrl }),
});
