import { z } from 'zod';

/*
 * Which service a request is for, by its path: /api/v1/users* goes to users, /api/v1/rides* to rides. The endpoints
 * every service has (/api/v1/_count, /api/v1/db/clear) name theirs with ?service=users|rides; db/clear may leave it
 * out (every service empties the same DBaaS), _count may not (each service counts its own requests).
 */

export const SERVICES = ['users', 'rides'] as const;
export type ServiceName = (typeof SERVICES)[number];
const serviceSchema = z.enum(SERVICES);

export type Route = { service: ServiceName } | { error: string };

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The route of a request URL (path and query, as received); undefined when the gateway serves no such path. */
export function routeFor(url: string): Route | undefined {
  const parsed = new URL(url, 'http://gateway.invalid');
  const path = parsed.pathname;
  if (under(path, '/api/v1/users')) return { service: 'users' };
  if (under(path, '/api/v1/rides')) return { service: 'rides' };
  const shared = path === '/api/v1/_count' ? '_count' : path === '/api/v1/db/clear' ? 'db/clear' : undefined;
  if (!shared) return undefined;
  const chosen = parsed.searchParams.get('service');
  if (chosen === null) {
    if (shared === 'db/clear') return { service: 'users' };
    return { error: `say whose request count: /api/v1/_count?service=users or ?service=rides` };
  }
  const service = serviceSchema.safeParse(chosen);
  if (!service.success) return { error: `unknown service ${JSON.stringify(chosen)} (service is one of ${SERVICES.join(', ')})` };
  return { service: service.data };
}

/**
 * Whether a request wipes or resets state (db/clear, DELETE _count): those need the DBaaS token when one is set, at
 * the gateway and again at the service. The rest of the RideShare API is public.
 */
export function isAdminRequest(method: string, url: string): boolean {
  const path = new URL(url, 'http://gateway.invalid').pathname;
  return path === '/api/v1/db/clear' || (path === '/api/v1/_count' && method.toUpperCase() === 'DELETE');
}
