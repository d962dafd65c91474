import { runServiceMain } from '../common/service-main';
import { serviceOptions } from '../common/service-options';
import { startUsersService } from './server';

const HELP = `Usage: node --import tsx system/rideshare/users/main.ts

The RideShare users service: PUT /api/v1/users, DELETE /api/v1/users/{username}, GET /api/v1/users, plus
GET|DELETE /api/v1/_count and POST /api/v1/db/clear. It keeps no database: every read and write goes to the DBaaS.
Environment: USERS_PORT (default 8081), BIND_HOST, ORCHESTRATOR_URL, DBAAS_TOKEN, RIDESHARE_TIMEOUT_MS, BODY_LIMIT,
LOG_LEVEL; see README.md ("Configuration").`;

runServiceMain({ name: 'users', help: HELP, start: (config, log) => startUsersService(serviceOptions(config, log, config.usersPort)) });
