import type { Server } from 'node:http';
import type { Express } from 'express';
import { applyHttpLimits, type HttpLimits } from '../../common/http/server-limits';
import { listenError } from '../../common/process/port-preflight';

export interface RunningServer {
  /** Where clients on this machine reach the server, e.g. http://127.0.0.1:8081. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (0: any free port) within `limits`, and resolves once the port is bound; rejects if it cannot be. */
export async function listen(app: Express, port: number, host: string, limits: HttpLimits, graceMs = 5000): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    applyHttpLimits(s, limits);
    s.once('error', (err) => reject(listenError(err, host, port)));
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${reachable}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        // Requests in flight finish; idle keep-alive connections go now, and everything after `graceMs`.
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
