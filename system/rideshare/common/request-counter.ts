import type { RequestHandler } from 'express';

/*
 * Counts the HTTP requests a service received on its API paths, whatever their outcome. A service is one Node.js
 * process, and an increment runs to completion before any other request is looked at, so concurrent requests never
 * lose a count.
 */
export class RequestCounter {
  private n = 0;

  get count(): number {
    return this.n;
  }

  reset(): void {
    this.n = 0;
  }

  /** Middleware that counts every request reaching it; mount it on the API paths, before any parsing. */
  middleware(): RequestHandler {
    return (_req, _res, next) => {
      this.n += 1;
      next();
    };
  }
}
