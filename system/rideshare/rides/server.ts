import { DbaasClient } from '../common/dbaas-client';
import { listen, type RunningServer } from '../common/http-server';
import { LsnTracker } from '../common/lsn';
import { RequestCounter } from '../common/request-counter';
import type { ServiceOptions } from '../common/service-options';
import { loadAreas } from './domain/areas';
import { Rides } from './domain/rides';
import { createRidesApp } from './http/app';
import { rideSchemas } from './http/schemas';
import { RidesStore } from './store/rides-store';
import { UsersClient } from './store/users-client';

export interface RidesServiceOptions extends ServiceOptions {
  /** The users service, asked whether a user exists. */
  usersUrl: string;
  /** AreaNameEnum.csv; defaults to the project's copy in system/rideshare/data/. */
  areasFile?: string;
}

/** Wires the rides service (HTTP edge -> domain -> DBaaS and users service) and starts listening. */
export async function startRidesService(o: RidesServiceOptions): Promise<RunningServer> {
  const areas = loadAreas(o.areasFile);
  const lsn = new LsnTracker();
  const dbaas = new DbaasClient({ baseUrl: o.orchestratorUrl, token: o.token, timeoutMs: o.timeoutMs, writeAttempts: o.writeAttempts, lsn });
  const users = new UsersClient({ baseUrl: o.usersUrl, timeoutMs: o.timeoutMs, lsn });
  const app = createRidesApp({
    rides: new Rides(new RidesStore(dbaas), users),
    schemas: rideSchemas(areas),
    counter: new RequestCounter(),
    dbaas,
    lsn,
    log: o.log,
    bodyLimit: o.bodyLimit,
    adminToken: o.token,
  });
  return listen(app, o.port, o.host, o.httpLimits);
}
