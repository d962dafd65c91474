import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { DbaasError } from '../errors/errors';

/** When a token is configured, requires `Authorization: Bearer <token>`. */
export function requireToken(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, _res, next) => {
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    next(new DbaasError('unauthorized', 'missing or wrong bearer token (Authorization: Bearer <DBAAS_TOKEN>)'));
  };
}
