import type { Server } from 'node:http';
import type { Config } from '../config/config';

/** Bounds of an HTTP server, from HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS, HTTP_KEEP_ALIVE_TIMEOUT_MS, HTTP_MAX_CONNECTIONS. */
export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

export function httpLimits(config: Config): HttpLimits {
  return {
    headersTimeoutMs: config.httpHeadersTimeoutMs,
    requestTimeoutMs: config.httpRequestTimeoutMs,
    keepAliveTimeoutMs: config.httpKeepAliveTimeoutMs,
    maxConnections: config.httpMaxConnections,
  };
}

/**
 * Every HTTP server of the project (orchestrator, RideShare services, gateway) sets these before it listens: a client
 * that sends its headers or body slowly, or holds connections open, costs a bounded share of the server.
 */
export function applyHttpLimits(server: Server, l: HttpLimits): void {
  server.requestTimeout = l.requestTimeoutMs;
  // Node checks the headers' deadline only when it is below the request's.
  server.headersTimeout = Math.min(l.headersTimeoutMs, l.requestTimeoutMs);
  server.keepAliveTimeout = l.keepAliveTimeoutMs;
  server.maxConnections = l.maxConnections;
}
