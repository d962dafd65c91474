import http from 'node:http';
import express, { type Express } from 'express';
import { ValidationError } from '../../common/errors/errors';
import { requireToken } from '../../common/http/auth';
import { errorHandler, notFound } from '../../common/http/error-handler';
import type { Logger } from '../../common/logging/logger';
import { LsnTracker } from '../common/lsn';
import { forward } from './proxy';
import { isAdminRequest, routeFor, type ServiceName } from './routing';

export interface GatewayAppDeps {
  upstreams: Readonly<Record<ServiceName, string>>;
  timeoutMs: number;
  agent: http.Agent;
  /** DBAAS_TOKEN: when set, db/clear and DELETE _count need it (checked here, and again by the service). */
  token: string | undefined;
  log: Logger;
}

/*
 * The RideShare gateway: one address for clients, routing by path to the users and rides services. It reads no
 * bodies and holds no state but the highest LSN the services have answered with, which it passes on to the next
 * request, so that what one service wrote the other already sees.
 */
export function createGatewayApp(d: GatewayAppDeps): Express {
  const targets = { users: new URL(d.upstreams.users), rides: new URL(d.upstreams.rides) };
  const lsn = new LsnTracker();
  const app = express();
  app.disable('x-powered-by');
  const admin = requireToken(d.token);
  app.use((req, res, next) => (isAdminRequest(req.method, req.originalUrl) ? admin(req, res, next) : next()));
  app.use((req, res, next) => {
    const route = routeFor(req.originalUrl);
    if (!route) return next();
    if ('error' in route) return next(new ValidationError(route.error));
    forward(req, res, next, targets[route.service], `the ${route.service} service`, { timeoutMs: d.timeoutMs, lsn, agent: d.agent });
  });
  app.use(notFound);
  app.use(errorHandler(d.log));
  return app;
}
