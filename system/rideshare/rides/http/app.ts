import type { Express } from 'express';
import { methodNotAllowed } from '../../../common/http/error-handler';
import type { Logger } from '../../../common/logging/logger';
import type { DbaasClient } from '../../common/dbaas-client';
import type { LsnTracker } from '../../common/lsn';
import type { RequestCounter } from '../../common/request-counter';
import { callerMinLsn, createServiceApp, replier } from '../../common/service-app';
import { parseInput } from '../../common/validate';
import type { Rides } from '../domain/rides';
import type { RideSchemas } from './schemas';

export interface RidesAppDeps {
  rides: Rides;
  schemas: RideSchemas;
  counter: RequestCounter;
  dbaas: DbaasClient;
  lsn: LsnTracker;
  log: Logger;
  bodyLimit: string;
  /** DBAAS_TOKEN: guards the admin endpoints (see createServiceApp). */
  adminToken: string | undefined;
}

/** The rides service's HTTP API: validates at the edge, calls the domain, answers. */
export function createRidesApp(d: RidesAppDeps): Express {
  const send = replier(d.lsn);
  const s = d.schemas;
  return createServiceApp({
    apiPath: '/api/v1/rides',
    counter: d.counter,
    dbaas: d.dbaas,
    lsn: d.lsn,
    log: d.log,
    bodyLimit: d.bodyLimit,
    adminToken: d.adminToken,
    routes: (app) => {
      app
        .route('/api/v1/rides')
        .post(async (req, res) => {
          const ride = parseInput(s.newRide, req.body, 'body');
          const rideId = await d.rides.create(
            {
              createdBy: ride.created_by,
              timestamp: ride.timestamp.text,
              startsAt: ride.timestamp.epochMs,
              source: ride.source,
              destination: ride.destination,
            },
            callerMinLsn(res),
          );
          send(res, 201, { rideId });
        })
        .get(async (req, res) => {
          const { source, destination } = parseInput(s.search, req.query, 'query');
          const rides = await d.rides.upcoming(source, destination, callerMinLsn(res));
          send(res, rides.length === 0 ? 204 : 200, rides);
        })
        .all(methodNotAllowed(['POST', 'GET']));

      // Before /{rideId}: "count" is not a ride id.
      app
        .route('/api/v1/rides/count')
        .get(async (_req, res) => send(res, 200, [await d.rides.count(callerMinLsn(res))]))
        .all(methodNotAllowed(['GET']));

      app
        .route('/api/v1/rides/:rideId')
        .get(async (req, res) => {
          const { rideId } = parseInput(s.rideParams, req.params, 'ride id');
          const ride = await d.rides.details(rideId, callerMinLsn(res));
          send(res, ride ? 200 : 204, ride);
        })
        .post(async (req, res) => {
          const { rideId } = parseInput(s.rideParams, req.params, 'ride id');
          const { username } = parseInput(s.join, req.body, 'body');
          await d.rides.join(rideId, username, callerMinLsn(res));
          send(res, 200, {});
        })
        .delete(async (req, res) => {
          const { rideId } = parseInput(s.rideParams, req.params, 'ride id');
          await d.rides.remove(rideId);
          send(res, 200, {});
        })
        .all(methodNotAllowed(['GET', 'POST', 'DELETE']));
    },
  });
}
