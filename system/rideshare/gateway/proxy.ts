import http from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { TimeoutError, UnavailableError } from '../../common/errors/errors';
import { LSN_HEADER, MIN_LSN_HEADER, parseLsnHeader, type LsnTracker } from '../common/lsn';

export interface ProxyOptions {
  timeoutMs: number;
  /** The highest LSN any service has answered with: passed on to every service as its read floor. */
  lsn: LsnTracker;
  agent: http.Agent;
}

// Headers that belong to one connection, not to the request: never forwarded (RFC 9110, 7.6.1).
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = { ...headers };
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const h of [...HOP_BY_HOP, ...named]) delete out[h];
  return out;
}

function lsnOf(value: string | string[] | undefined): number | undefined {
  try {
    return parseLsnHeader(value);
  } catch {
    return undefined;
  }
}

/*
 * Forwards one request as it came (method, path, query, headers, streamed body) to a service, and its answer back
 * as it came. A service that cannot be reached is a 503, one that does not answer in time a 504, as JSON errors.
 */
export function forward(req: Request, res: Response, next: NextFunction, target: URL, what: string, o: ProxyOptions): void {
  const headers = withoutHopByHop(req.headers);
  const floor = Math.max(o.lsn.highest, lsnOf(req.headers[MIN_LSN_HEADER]) ?? 0);
  if (floor > 0) headers[MIN_LSN_HEADER] = String(floor);
  else delete headers[MIN_LSN_HEADER];
  headers.host = target.host;
  const client = req.socket.remoteAddress;
  if (client) headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${client}` : client;

  const upstream = http.request({
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port,
    method: req.method,
    path: `${target.pathname.replace(/\/$/, '')}${req.originalUrl}`,
    headers,
    agent: o.agent,
  });
  let clientGone = false;
  const timer = setTimeout(() => upstream.destroy(new TimeoutError(`${what} did not answer within ${o.timeoutMs} ms`)), o.timeoutMs);
  upstream.once('close', () => clearTimeout(timer));

  upstream.once('response', (answer) => {
    o.lsn.observe(lsnOf(answer.headers[LSN_HEADER]));
    res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
    answer.pipe(res);
    answer.once('error', () => res.destroy());
  });
  upstream.once('error', (err) => {
    if (clientGone) return;
    if (res.headersSent) return void res.destroy();
    const reason = (err as NodeJS.ErrnoException).code ?? err.message;
    next(err instanceof TimeoutError ? err : new UnavailableError(`${what} is unavailable: ${reason}`));
  });
  res.once('close', () => {
    if (res.writableFinished) return;
    clientGone = true;
    upstream.destroy();
  });
  req.pipe(upstream);
}
