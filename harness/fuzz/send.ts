import http from 'node:http';
import { assertLoopback } from '../testing/http-client';
import type { FuzzRequest } from './requests';

export interface Answer {
  /** The HTTP status, or undefined when no answer came (the connection was closed, or Node refused to send). */
  status?: number;
  /** Why there was no answer. */
  error?: string;
  /** The start of the body, for the report. */
  body: string;
}

/**
 * Sends one request as generated, through node:http rather than fetch, which refuses some methods and headers a
 * hostile client may well send. No keep-alive: a request the server cuts off cannot spoil the next one.
 */
export function send(baseUrl: string, r: FuzzRequest, timeoutMs: number): Promise<Answer> {
  assertLoopback(baseUrl);
  const url = new URL(baseUrl);
  return new Promise<Answer>((resolve) => {
    let settled = false;
    const done = (a: Answer) => {
      if (settled) return;
      settled = true;
      resolve(a);
    };
    let req: http.ClientRequest;
    try {
      req = http.request({
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        headers: { ...r.headers, ...(r.body !== undefined ? { 'content-length': String(Buffer.byteLength(r.body)) } : {}) },
        agent: false,
        timeout: timeoutMs,
      });
    } catch (err) {
      return done({ error: `not sent: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, body: '' });
    }
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < 2000) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => done({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8').slice(0, 300) }));
      res.on('error', (err) => done({ status: res.statusCode, body: `(body cut: ${err.message})` }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => done({ error: (err as NodeJS.ErrnoException).code ?? err.message, body: '' }));
    if (r.body !== undefined) req.end(r.body);
    else req.end();
  });
}
