import express, { type Express, type Response } from 'express';
import { ValidationError } from '../../common/errors/errors';
import { requireToken } from '../../common/http/auth';
import { errorHandler, methodNotAllowed, notFound } from '../../common/http/error-handler';
import type { Logger } from '../../common/logging/logger';
import type { DbaasClient } from './dbaas-client';
import { LSN_HEADER, MIN_LSN_HEADER, parseLsnHeader, type LsnTracker } from './lsn';
import type { RequestCounter } from './request-counter';

export interface ServiceAppOptions {
  /** The API paths whose requests _count counts, e.g. /api/v1/users (and everything under it). */
  apiPath: string;
  counter: RequestCounter;
  dbaas: DbaasClient;
  lsn: LsnTracker;
  log: Logger;
  bodyLimit: string;
  /** DBAAS_TOKEN: when set, the admin endpoints (db/clear, DELETE _count) require it as a bearer token. */
  adminToken: string | undefined;
  /** Adds the service's own routes. */
  routes: (app: Express) => void;
}

/*
 * What every RideShare service shares around its own routes: request counting on its API paths, JSON bodies, the
 * caller's X-DBaaS-Min-LSN, GET/DELETE /api/v1/_count, POST /api/v1/db/clear, and the project's JSON 404/405/errors.
 * The public API (users, rides, GET _count) is open, as the assignment defines it; what wipes or resets state
 * (db/clear, DELETE _count) needs the DBaaS token when one is set, like the orchestrator's own doors.
 */
export function createServiceApp(o: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(o.apiPath, o.counter.middleware());
  // Any content type is read as JSON, as the orchestrator does: `curl -d '{...}'` works without a header.
  app.use(express.json({ limit: o.bodyLimit, strict: true, type: () => true }));
  app.use((req, res, next) => {
    try {
      res.locals.minLsn = parseLsnHeader(req.headers[MIN_LSN_HEADER]) ?? 0;
      next();
    } catch (err) {
      next(new ValidationError(`invalid ${MIN_LSN_HEADER} header: ${(err as Error).message}`));
    }
  });

  o.routes(app);

  const send = replier(o.lsn);
  const admin = requireToken(o.adminToken);
  app
    .route('/api/v1/_count')
    .get((_req, res) => send(res, 200, [o.counter.count]))
    .delete(admin, (_req, res) => {
      o.counter.reset();
      send(res, 200, {});
    })
    .all(methodNotAllowed(['GET', 'DELETE']));

  app
    .route('/api/v1/db/clear')
    .post(admin, async (_req, res) => {
      await o.dbaas.clear();
      send(res, 200, {});
    })
    .all(methodNotAllowed(['POST']));

  app.use(notFound);
  app.use(errorHandler(o.log));
  return app;
}

/** Answers with a JSON body (none for 204), telling the caller the highest LSN this service has seen. */
export function replier(lsn: LsnTracker) {
  return (res: Response, status: number, body?: unknown): void => {
    res.set(LSN_HEADER, String(lsn.highest));
    if (status === 204 || body === undefined) return void res.status(status).end();
    res.status(status).json(body);
  };
}

/** The LSN the caller asked this request's reads to reach (0 when it did not say). */
export function callerMinLsn(res: Response): number {
  return typeof res.locals.minLsn === 'number' ? res.locals.minLsn : 0;
}
