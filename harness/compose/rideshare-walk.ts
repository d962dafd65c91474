import { isDeepStrictEqual } from 'node:util';
import type { HttpClient, HttpResult } from '../testing/http-client';

/** A SHA1 digest, as the users service wants passwords (the README's example). */
const PASSWORD = '3d4f2bf07dc1be38b20cd6e46949a1071f9d0e3d';

/** What the walk wrote, read back through the gateway: compared after each disruption. */
export interface RideShareState {
  users: string[];
  ride: unknown;
  count: unknown;
}

function expectStatus(what: string, r: HttpResult, ...ok: number[]): void {
  if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
}

export async function createUser(gateway: HttpClient, username: string): Promise<void> {
  expectStatus(`PUT /api/v1/users ${username}`, await gateway.request('PUT', '/api/v1/users', { username, password: PASSWORD }), 201);
}

/** The README's RideShare walk: two users, a ride, a join, its details and the count. Returns the ride's id. */
export async function rideShareWalk(gateway: HttpClient): Promise<number> {
  await createUser(gateway, 'alice');
  await createUser(gateway, 'bob');
  const ride = await gateway.post<{ rideId: number }>('/api/v1/rides', { created_by: 'alice', timestamp: '26-01-2099:00-30-10', source: 1, destination: 2 });
  expectStatus('POST /api/v1/rides', ride, 201);
  const id = ride.body.rideId;
  if (!Number.isInteger(id)) throw new Error(`POST /api/v1/rides answered no rideId: ${JSON.stringify(ride.body)}`);
  expectStatus(`POST /api/v1/rides/${id} (bob joins)`, await gateway.post(`/api/v1/rides/${id}`, { username: 'bob' }), 200);
  const upcoming = await gateway.get<Array<{ rideId: number }>>('/api/v1/rides?source=1&destination=2');
  expectStatus('GET /api/v1/rides?source=1&destination=2', upcoming, 200);
  if (!upcoming.body.some((r) => r.rideId === id)) throw new Error(`ride ${id} is not listed from 1 to 2: ${JSON.stringify(upcoming.body)}`);
  return id;
}

export async function readState(gateway: HttpClient, rideId: number): Promise<RideShareState> {
  const users = await gateway.get<string[]>('/api/v1/users');
  expectStatus('GET /api/v1/users', users, 200);
  const ride = await gateway.get(`/api/v1/rides/${rideId}`);
  expectStatus(`GET /api/v1/rides/${rideId}`, ride, 200);
  const count = await gateway.get('/api/v1/rides/count');
  expectStatus('GET /api/v1/rides/count', count, 200);
  return { users: [...users.body].sort(), ride: ride.body, count: count.body };
}

/** Throws, saying what differs, unless the state read now is the one expected. */
export function assertSameState(what: string, expected: RideShareState, actual: RideShareState): void {
  if (!isDeepStrictEqual(expected, actual)) {
    throw new Error(`${what}: the data differs.\n  expected ${JSON.stringify(expected)}\n  read     ${JSON.stringify(actual)}`);
  }
}
