import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DbaasError } from '../errors/errors';
import type { Logger } from '../logging/logger';

/*
 * The one place where errors become HTTP answers, shared by every HTTP service of the project: a JSON body
 * {error: {code, message}} with the status of the error's class. Unknown errors are logged and answered 500
 * without internals.
 */
/** The ZooKeeper errors that mean "not now" (the connection or the session went away under a request). */
const ZK_UNAVAILABLE = new Set(['CONNECTION_LOSS', 'SESSION_EXPIRED', 'OPERATION_TIMEOUT', 'SESSION_MOVED']);

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (err instanceof DbaasError) return void res.status(err.status).json({ error: { code: err.code, message: err.message } });
    if (e.type === 'entity.parse.failed') {
      return void res.status(400).json({ error: { code: 'bad_request', message: `malformed JSON body: ${e.message}` } });
    }
    if (e.type === 'entity.too.large') {
      return void res.status(413).json({ error: { code: 'payload_too_large', message: 'request body is too large' } });
    }
    // ZooKeeper lost the connection under a request (node-zookeeper-client's exceptions): unavailable, not broken.
    const zk = typeof (err as { getName?: unknown }).getName === 'function' ? (err as { getName: () => string }).getName() : undefined;
    if (zk !== undefined && ZK_UNAVAILABLE.has(zk)) {
      return void res.status(503).json({ error: { code: 'unavailable', message: `ZooKeeper: ${zk} during the request; try again shortly` } });
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return void res.status(e.status).json({ error: { code: 'bad_request', message: e.message ?? 'bad request' } });
    }
    log.error({ err: e.message }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `no route for ${req.method} ${req.path}` } });
};

/** Answers 405 for any method a path does not serve. */
export function methodNotAllowed(allowed: string[]): RequestHandler {
  return (req, res) => {
    res.set('Allow', allowed.join(', '));
    res.status(405).json({ error: { code: 'method_not_allowed', message: `${req.method} is not allowed on ${req.path}; use ${allowed.join(' or ')}` } });
  };
}
