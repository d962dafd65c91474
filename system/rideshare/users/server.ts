import { DbaasClient } from '../common/dbaas-client';
import { listen, type RunningServer } from '../common/http-server';
import { LsnTracker } from '../common/lsn';
import { RequestCounter } from '../common/request-counter';
import type { ServiceOptions } from '../common/service-options';
import { Users } from './domain/users';
import { createUsersApp } from './http/app';
import { UsersStore } from './store/users-store';

/** Wires the users service (HTTP edge -> domain -> DBaaS) and starts listening. */
export async function startUsersService(o: ServiceOptions): Promise<RunningServer> {
  const lsn = new LsnTracker();
  const dbaas = new DbaasClient({ baseUrl: o.orchestratorUrl, token: o.token, timeoutMs: o.timeoutMs, writeAttempts: o.writeAttempts, lsn });
  const app = createUsersApp({ users: new Users(new UsersStore(dbaas)), counter: new RequestCounter(), dbaas, lsn, log: o.log, bodyLimit: o.bodyLimit, adminToken: o.token });
  return listen(app, o.port, o.host, o.httpLimits);
}
