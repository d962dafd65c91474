import type { Express } from 'express';
import { methodNotAllowed } from '../../../common/http/error-handler';
import type { Logger } from '../../../common/logging/logger';
import type { DbaasClient } from '../../common/dbaas-client';
import type { LsnTracker } from '../../common/lsn';
import type { RequestCounter } from '../../common/request-counter';
import { callerMinLsn, createServiceApp, replier } from '../../common/service-app';
import { parseInput } from '../../common/validate';
import type { Users } from '../domain/users';
import { newUserBody, userParams, usersQuery } from './schemas';

export interface UsersAppDeps {
  users: Users;
  counter: RequestCounter;
  dbaas: DbaasClient;
  lsn: LsnTracker;
  log: Logger;
  bodyLimit: string;
  /** DBAAS_TOKEN: guards the admin endpoints (see createServiceApp). */
  adminToken: string | undefined;
}

/** The users service's HTTP API: validates at the edge, calls the domain, answers. */
export function createUsersApp(d: UsersAppDeps): Express {
  const send = replier(d.lsn);
  return createServiceApp({
    apiPath: '/api/v1/users',
    counter: d.counter,
    dbaas: d.dbaas,
    lsn: d.lsn,
    log: d.log,
    bodyLimit: d.bodyLimit,
    adminToken: d.adminToken,
    routes: (app) => {
      app
        .route('/api/v1/users')
        .put(async (req, res) => {
          await d.users.create(parseInput(newUserBody, req.body, 'body'));
          send(res, 201, {});
        })
        .get(async (req, res) => {
          const { username } = parseInput(usersQuery, req.query, 'query');
          const names = await d.users.list(callerMinLsn(res), username);
          send(res, names.length === 0 ? 204 : 200, names);
        })
        .all(methodNotAllowed(['PUT', 'GET']));

      app
        .route('/api/v1/users/:username')
        .delete(async (req, res) => {
          const { username } = parseInput(userParams, req.params, 'user name');
          await d.users.remove(username);
          send(res, 200, {});
        })
        .all(methodNotAllowed(['DELETE']));
    },
  });
}
