import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort } from '../common/net/ports';
import path from 'node:path';
import { loadConfig } from '../common/config/config';
import { httpLimits } from '../common/http/server-limits';
import { createLogger } from '../common/logging/logger';
import { HttpClient, type HttpResult } from '../../harness/testing/http-client';
import { startTestSystem, type TestSystem } from '../../harness/testing/test-system';
import type { RunningServer } from './common/http-server';
import type { ServiceOptions } from './common/service-options';
import { startGateway } from './gateway/server';
import { startRideShareProcesses } from './launcher/rideshare-processes';
import { startRidesService } from './rides/server';
import { startUsersService } from './users/server';
import { readVariable } from '../common/config/variables';

/*
 * The RideShare API end to end, through the gateway, on a real DBaaS (orchestrator, master and two slaves on the real
 * RabbitMQ and ZooKeeper, with a bearer token) and the real users and rides services on loopback.
 */

const execFileAsync = promisify(execFile);
const limits = httpLimits(loadConfig({}));
const TOKEN = 'rideshare-test-token';
const SHA1 = '3d4f2bf07dc1be38b20cd6e46949a1071f9d0e3d';
const FUTURE = '26-01-2099:00-30-10';
const LATER = '27-01-2099:00-30-10';
const PAST = '26-01-2001:00-30-10';

let sys: TestSystem;
let users: RunningServer;
let rides: RunningServer;
let gateway: RunningServer;
let api: HttpClient;
/** The same gateway with the DBaaS token: the admin endpoints (db/clear, DELETE _count) need it. */
let admin: HttpClient;
const log = createLogger('rideshare-test', readVariable('TEST_LOG_LEVEL') ?? 'warn');

const putUser = (username: string, password = SHA1) => api.request('PUT', '/api/v1/users', { username, password });
const newRide = (created_by: string, over: Record<string, unknown> = {}) =>
  api.post<{ rideId: number }>('/api/v1/rides', { created_by, timestamp: FUTURE, source: 1, destination: 2, ...over });

function expectError(r: HttpResult<any>, status: number, message: RegExp) {
  expect({ status: r.status, message: r.body?.error?.message }).toEqual({ status, message: expect.stringMatching(message) });
}

async function createdRide(created_by: string, over: Record<string, unknown> = {}): Promise<number> {
  const r = await newRide(created_by, over);
  expect(r.status).toBe(201);
  expect(r.body).toEqual({ rideId: expect.any(Number) });
  return r.body.rideId;
}

/** Reads a table straight from the DBaaS, at least as new as every write answered so far. */
async function dbRows(table: string): Promise<Array<Record<string, unknown>>> {
  const marker = await sys.http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: `marker-${Date.now()}-${Math.random()}`, password: SHA1 } });
  expect(marker.status).toBe(201);
  const r = await sys.http.post('/api/v1/db/read', { table, minLsn: marker.body.lsn });
  expect(r.status).toBe(200);
  return r.body.rows;
}

beforeAll(async () => {
  sys = await startTestSystem({ INITIAL_SLAVES: '2', DBAAS_TOKEN: TOKEN });
  const base: ServiceOptions = {
    host: '127.0.0.1',
    port: 0,
    orchestratorUrl: sys.orchestrator.url,
    token: TOKEN,
    timeoutMs: 10000,
    bodyLimit: '100kb',
    httpLimits: limits,
    writeAttempts: 3,
    log,
  };
  users = await startUsersService(base);
  rides = await startRidesService({ ...base, usersUrl: users.url });
  gateway = await startGateway({ host: '127.0.0.1', port: 0, usersUrl: users.url, ridesUrl: rides.url, timeoutMs: 10000, token: TOKEN, httpLimits: limits, log });
  api = new HttpClient(gateway.url);
  admin = new HttpClient(gateway.url, TOKEN);
});

afterAll(async () => {
  await gateway?.close();
  await rides?.close();
  await users?.close();
  await sys?.stop();
});

beforeEach(async () => {
  expect((await admin.post('/api/v1/db/clear')).status).toBe(200);
});

describe('users', () => {
  test('PUT creates a user (201 {}); GET lists names (200), or 204 when there are none', async () => {
    expect(await api.get('/api/v1/users')).toEqual({ status: 204, body: undefined });
    expect(await putUser('bob')).toEqual({ status: 201, body: {} });
    expect(await putUser('alice', SHA1.toUpperCase())).toEqual({ status: 201, body: {} });
    expect(await api.get('/api/v1/users')).toEqual({ status: 200, body: ['alice', 'bob'] });
  });

  test('PUT refuses missing fields, a password that is not a SHA1, an existing user and bad bodies with 400', async () => {
    await putUser('carol');
    expectError(await api.request('PUT', '/api/v1/users', { password: SHA1 }), 400, /username: is required/);
    expectError(await api.request('PUT', '/api/v1/users', { username: 'dave' }), 400, /password: is required/);
    expectError(await api.request('PUT', '/api/v1/users', { username: '', password: SHA1 }), 400, /username: may not be empty/);
    expectError(await api.request('PUT', '/api/v1/users', { username: 7, password: SHA1 }), 400, /username: must be a string/);
    expectError(await putUser('dave', SHA1.slice(1)), 400, /password: must be a SHA1 digest/);
    expectError(await putUser('dave', `${SHA1}0`), 400, /password: must be a SHA1 digest/);
    expectError(await putUser('dave', 'g'.repeat(40)), 400, /password: must be a SHA1 digest/);
    expectError(await putUser('dave', 'plain password'), 400, /password: must be a SHA1 digest/);
    expectError(await putUser('carol'), 400, /user 'carol' already exists/);
    expectError(await api.request('PUT', '/api/v1/users', '{"username": "dave",'), 400, /malformed JSON/);
    expectError(await api.request('PUT', '/api/v1/users', ['dave', SHA1]), 400, /body must be a JSON object/);
    expectError(await api.request('PUT', '/api/v1/users'), 400, /username: is required; password: is required/);
    expect((await api.get('/api/v1/users')).body).toEqual(['carol']);
  });

  test('GET ?username= answers that one name when the user exists (200), else 204', async () => {
    await putUser('alice');
    await putUser('bob');
    expect(await api.get('/api/v1/users?username=alice')).toEqual({ status: 200, body: ['alice'] });
    expect(await api.get('/api/v1/users?username=carol')).toEqual({ status: 204, body: undefined });
    expectError(await api.get('/api/v1/users?username='), 400, /username: may not be empty/);
  });

  test('DELETE removes a user (200 {}), 400 when there is no such user', async () => {
    await putUser('erin');
    expect(await api.request('DELETE', '/api/v1/users/erin')).toEqual({ status: 200, body: {} });
    expectError(await api.request('DELETE', '/api/v1/users/erin'), 400, /no such user 'erin'/);
    expect((await api.get('/api/v1/users')).status).toBe(204);
  });

  test('a user name with spaces and slashes round-trips through the path', async () => {
    expect((await putUser('ann marie/2')).status).toBe(201);
    expect((await api.request('DELETE', `/api/v1/users/${encodeURIComponent('ann marie/2')}`)).status).toBe(200);
  });

  test('DELETE of a user also removes the rides they created and their memberships', async () => {
    await putUser('owner');
    await putUser('rider');
    const own = await createdRide('owner');
    const other = await createdRide('rider', { source: 3, destination: 4 });
    expect((await api.post(`/api/v1/rides/${other}`, { username: 'owner' })).status).toBe(200);
    expect((await api.get(`/api/v1/rides/${other}`)).body.users).toEqual(['owner']);
    expect((await api.request('DELETE', '/api/v1/users/owner')).status).toBe(200);
    // Through another service at once: the gateway carries the users service's LSN to the rides service.
    expect((await api.get(`/api/v1/rides/${own}`)).status).toBe(204);
    expect((await api.get(`/api/v1/rides/${other}`)).body.users).toEqual([]);
    expect((await dbRows('ride_members')).length).toBe(0);
  });

  test('other methods are 405', async () => {
    for (const [method, p] of [
      ['POST', '/api/v1/users'],
      ['PATCH', '/api/v1/users'],
      ['DELETE', '/api/v1/users'],
      ['GET', '/api/v1/users/alice'],
      ['PUT', '/api/v1/users/alice'],
      ['POST', '/api/v1/users/alice'],
    ]) {
      const r = await api.request(method, p, method === 'GET' ? undefined : {});
      expectError(r, 405, new RegExp(`${method} is not allowed`));
    }
  });

  test('concurrent creation of the same user name: exactly one 201, the others 400', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => putUser('racer')));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused).toHaveLength(11);
    for (const a of refused) expectError(a, 400, /user 'racer' already exists/);
    expect((await api.get('/api/v1/users')).body).toEqual(['racer']);
  });
});

describe('rides', () => {
  beforeEach(async () => {
    for (const u of ['alice', 'bob', 'carol']) expect((await putUser(u)).status).toBe(201);
  });

  test('POST creates a ride (201 {rideId}); GET /{rideId} shows it (200)', async () => {
    const r = await api.post('/api/v1/rides', { created_by: 'alice', timestamp: FUTURE, source: '5', destination: 198 });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ rideId: expect.any(Number) });
    expect(await api.get(`/api/v1/rides/${r.body.rideId}`)).toEqual({
      status: 200,
      body: { rideId: r.body.rideId, created_by: 'alice', users: [], timestamp: FUTURE, source: 5, destination: 198 },
    });
    const [row] = (await dbRows('rides')).filter((x) => x.ride_id === r.body.rideId);
    expect(row).toMatchObject({ timestamp: FUTURE, starts_at: Date.UTC(2099, 0, 26, 10, 30, 0) });
  });

  test('POST refuses missing fields, unknown users and areas, bad timestamps and source = destination with 400', async () => {
    const ok = { created_by: 'alice', timestamp: FUTURE, source: 1, destination: 2 };
    for (const field of Object.keys(ok)) {
      const body: Record<string, unknown> = { ...ok };
      delete body[field];
      expectError(await api.post('/api/v1/rides', body), 400, new RegExp(`${field}: is required`));
    }
    expectError(await newRide('nobody'), 400, /no such user 'nobody'/);
    expectError(await newRide('alice', { source: 0 }), 400, /source: unknown area 0 \(areas are numbered 1 to 198\)/);
    expectError(await newRide('alice', { destination: 199 }), 400, /destination: unknown area 199/);
    expectError(await newRide('alice', { source: 'Atturu' }), 400, /source: unknown area "Atturu"/);
    expectError(await newRide('alice', { source: 1.5 }), 400, /source: unknown area 1.5/);
    expectError(await newRide('alice', { timestamp: '31-02-2030:00-00-00' }), 400, /timestamp: 31-02-2030:00-00-00 is not a real date/);
    expectError(await newRide('alice', { timestamp: '2030-01-01T00:00:00Z' }), 400, /timestamp: .*DD-MM-YYYY:SS-MM-HH/);
    expectError(await newRide('alice', { timestamp: '01-01-2030:00-00-24' }), 400, /timestamp: hour 24/);
    expectError(await newRide('alice', { timestamp: 20300101 }), 400, /timestamp: must be a string/);
    expectError(await newRide('alice', { source: 7, destination: '7' }), 400, /destination: must differ from source/);
    expectError(await api.post('/api/v1/rides', 'not json'), 400, /malformed JSON/);
    expect(await api.get('/api/v1/rides/count')).toEqual({ status: 200, body: [0] });
  });

  test('GET ?source=&destination= lists upcoming rides only, soonest first; 204 when none; 400 on bad areas', async () => {
    await createdRide('alice', { timestamp: PAST });
    const later = await createdRide('bob', { timestamp: LATER });
    const sooner = await createdRide('alice', { timestamp: FUTURE });
    await createdRide('carol', { source: 2, destination: 1 });
    expect(await api.get('/api/v1/rides?source=1&destination=2')).toEqual({
      status: 200,
      body: [
        { rideId: sooner, username: 'alice', timestamp: FUTURE },
        { rideId: later, username: 'bob', timestamp: LATER },
      ],
    });
    expect(await api.get('/api/v1/rides?source=1&destination=3')).toEqual({ status: 204, body: undefined });
    expectError(await api.get('/api/v1/rides?source=1'), 400, /destination: is required/);
    expectError(await api.get('/api/v1/rides?destination=2'), 400, /source: is required/);
    expectError(await api.get('/api/v1/rides'), 400, /source: is required/);
    expectError(await api.get('/api/v1/rides?source=1&destination=500'), 400, /destination: unknown area "500"/);
    expectError(await api.get('/api/v1/rides?source=x&destination=2'), 400, /source: unknown area "x"/);
    expectError(await api.get('/api/v1/rides?source=1&source=2&destination=3'), 400, /source: unknown area/);
  });

  test('a ride is listed at once after it is created (read-your-writes over two slaves)', async () => {
    for (let i = 0; i < 8; i++) {
      const id = await createdRide('alice', { source: 10 + i, destination: 20 + i });
      const list = await api.get(`/api/v1/rides?source=${10 + i}&destination=${20 + i}`);
      expect(list.status).toBe(200);
      expect(list.body.map((r: { rideId: number }) => r.rideId)).toEqual([id]);
      expect(await api.get('/api/v1/rides/count')).toEqual({ status: 200, body: [i + 1] });
    }
  });

  test('GET /{rideId}: 204 for no such ride, 400 for a bad id', async () => {
    expect(await api.get('/api/v1/rides/999999')).toEqual({ status: 204, body: undefined });
    for (const bad of ['abc', '0', '-1', '1.5', '1e3', '99999999999999999999']) {
      expectError(await api.get(`/api/v1/rides/${bad}`), 400, /ride id: rideId: must be a positive integer/);
    }
  });

  test('POST /{rideId} joins a ride (200 {}); 400 for unknown user or ride and for the creator; joining twice is harmless', async () => {
    const id = await createdRide('alice');
    expect(await api.post(`/api/v1/rides/${id}`, { username: 'bob' })).toEqual({ status: 200, body: {} });
    expect(await api.post(`/api/v1/rides/${id}`, { username: 'carol' })).toEqual({ status: 200, body: {} });
    expect(await api.post(`/api/v1/rides/${id}`, { username: 'bob' })).toEqual({ status: 200, body: {} });
    expect((await api.get(`/api/v1/rides/${id}`)).body.users).toEqual(['bob', 'carol']);
    expectError(await api.post(`/api/v1/rides/${id}`, { username: 'nobody' }), 400, /no such user 'nobody'/);
    expectError(await api.post('/api/v1/rides/999999', { username: 'bob' }), 400, /no such ride 999999/);
    expectError(await api.post(`/api/v1/rides/${id}`, { username: 'alice' }), 400, /'alice' created ride \d+ and cannot join it/);
    expectError(await api.post(`/api/v1/rides/${id}`, {}), 400, /username: is required/);
    expectError(await api.post('/api/v1/rides/x', { username: 'bob' }), 400, /must be a positive integer/);
  });

  test('DELETE /{rideId} removes a ride and its memberships (200 {}); 400 when there is no such ride', async () => {
    const id = await createdRide('alice');
    await api.post(`/api/v1/rides/${id}`, { username: 'bob' });
    expect(await api.request('DELETE', `/api/v1/rides/${id}`)).toEqual({ status: 200, body: {} });
    expect((await api.get(`/api/v1/rides/${id}`)).status).toBe(204);
    expectError(await api.request('DELETE', `/api/v1/rides/${id}`), 400, new RegExp(`no such ride ${id}`));
    expectError(await api.request('DELETE', '/api/v1/rides/abc'), 400, /must be a positive integer/);
    expect(await dbRows('ride_members')).toEqual([]);
  });

  test('GET /count counts every ride, past ones too', async () => {
    expect(await api.get('/api/v1/rides/count')).toEqual({ status: 200, body: [0] });
    await createdRide('alice', { timestamp: PAST });
    await createdRide('bob');
    expect(await api.get('/api/v1/rides/count')).toEqual({ status: 200, body: [2] });
  });

  test('other methods are 405', async () => {
    for (const [method, p] of [
      ['PUT', '/api/v1/rides'],
      ['DELETE', '/api/v1/rides'],
      ['PATCH', '/api/v1/rides/1'],
      ['PUT', '/api/v1/rides/1'],
      ['POST', '/api/v1/rides/count'],
      ['DELETE', '/api/v1/rides/count'],
    ]) {
      expectError(await api.request(method, p, {}), 405, new RegExp(`${method} is not allowed`));
    }
  });

  test('a join racing the ride\'s deletion never leaves a membership behind', async () => {
    for (let round = 0; round < 8; round++) {
      const id = await createdRide('alice');
      const answers = await Promise.all([
        api.post(`/api/v1/rides/${id}`, { username: 'bob' }),
        api.request('DELETE', `/api/v1/rides/${id}`),
        api.post(`/api/v1/rides/${id}`, { username: 'carol' }),
      ]);
      expect(answers[1]).toEqual({ status: 200, body: {} });
      for (const join of [answers[0], answers[2]]) {
        if (join.status !== 200) expectError(join, 400, new RegExp(`no such ride ${id}`));
      }
    }
    const rideIds = new Set((await dbRows('rides')).map((r) => r.ride_id));
    expect(rideIds.size).toBe(0);
    expect(await dbRows('ride_members')).toEqual([]);
  });
});

describe('_count and db/clear, on each service', () => {
  test('_count counts the requests a service received on its API paths, concurrent ones too; DELETE resets it', async () => {
    for (const service of ['users', 'rides']) {
      expect(await admin.request('DELETE', `/api/v1/_count?service=${service}`)).toEqual({ status: 200, body: {} });
      expect(await api.get(`/api/v1/_count?service=${service}`)).toEqual({ status: 200, body: [0] });
    }
    await putUser('counted');
    await api.get('/api/v1/users');
    await api.request('PATCH', '/api/v1/users'); // a 405 is a request received too
    await Promise.all(Array.from({ length: 40 }, () => api.get('/api/v1/users')));
    expect(await api.get('/api/v1/_count?service=users')).toEqual({ status: 200, body: [43] });
    await Promise.all(Array.from({ length: 25 }, (_, i) => api.get(`/api/v1/rides/${i + 1}`)));
    await api.get('/api/v1/rides/count');
    expect(await api.get('/api/v1/_count?service=rides')).toEqual({ status: 200, body: [26] });
    expect(await api.get('/api/v1/_count?service=users')).toEqual({ status: 200, body: [43] });
  });

  test('_count needs ?service= at the gateway; other methods are 405', async () => {
    expectError(await api.get('/api/v1/_count'), 400, /service=users or \?service=rides/);
    expectError(await api.get('/api/v1/_count?service=workers'), 400, /unknown service "workers"/);
    expectError(await api.request('PUT', '/api/v1/_count?service=users', {}), 405, /PUT is not allowed/);
    expectError(await api.post('/api/v1/_count?service=rides'), 405, /POST is not allowed/);
  });

  test('db/clear on either service empties the database (200 {}); other methods are 405', async () => {
    for (const service of ['users', 'rides']) {
      await putUser('alice');
      await createdRide('alice');
      expect(await admin.post(`/api/v1/db/clear?service=${service}`)).toEqual({ status: 200, body: {} });
      expect((await api.get('/api/v1/users')).status).toBe(204);
      expect(await api.get('/api/v1/rides/count')).toEqual({ status: 200, body: [0] });
    }
    expectError(await admin.get('/api/v1/db/clear'), 405, /GET is not allowed/);
    expectError(await admin.request('DELETE', '/api/v1/db/clear?service=rides'), 405, /DELETE is not allowed/);
  });

  test('with a token set, db/clear and DELETE _count need it, at the gateway and at each service: 401, nothing deleted', async () => {
    await putUser('alice');
    await createdRide('alice');
    const wrong = new HttpClient(gateway.url, 'not-the-token');
    for (const client of [api, wrong]) {
      for (const path of ['/api/v1/db/clear', '/api/v1/db/clear?service=users', '/api/v1/db/clear?service=rides']) {
        expectError(await client.post(path), 401, /bearer token/);
      }
      expectError(await client.request('DELETE', '/api/v1/_count?service=users'), 401, /bearer token/);
    }
    // Behind the gateway too: each service checks the token itself.
    for (const service of [users, rides]) {
      expectError(await new HttpClient(service.url).post('/api/v1/db/clear'), 401, /bearer token/);
      expectError(await new HttpClient(service.url).request('DELETE', '/api/v1/_count'), 401, /bearer token/);
    }
    expect((await api.get('/api/v1/users')).body).toEqual(['alice']);
    expect(await api.get('/api/v1/rides/count')).toEqual({ status: 200, body: [1] });
    expect((await dbRows('rides')).length).toBe(1);
    // The public API and the request counts stay open.
    expect((await api.get('/api/v1/_count?service=users')).status).toBe(200);
    expect(await admin.post('/api/v1/db/clear?service=rides')).toEqual({ status: 200, body: {} });
    expect((await api.get('/api/v1/users')).status).toBe(204);
  });
});

describe('gateway', () => {
  test('unknown paths are a JSON 404, at the gateway and behind it', async () => {
    expectError(await api.get('/api/v1/db/read'), 404, /no route/);
    expectError(await api.get('/'), 404, /no route/);
    expectError(await api.get('/api/v1/users/a/b'), 404, /no route/);
  });

  test('a service that cannot be reached is a JSON 503', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const lonely = await startGateway({ host: '127.0.0.1', port: 0, usersUrl: closed, ridesUrl: closed, timeoutMs: 2000, token: undefined, httpLimits: limits, log });
    try {
      expectError(await new HttpClient(lonely.url).get('/api/v1/users'), 503, /the users service is unavailable: ECONNREFUSED/);
    } finally {
      await lonely.close();
    }
  });
});

describe('as processes', () => {
  // Asynchronously: a spawnSync would block this process's event loop, and with it the in-process gateway, whose idle
  // keep-alive connection then closed in the same turn as the next test reused it (ECONNRESET).
  test('each service answers --help', async () => {
    for (const name of ['users', 'rides', 'gateway']) {
      const r = await execFileAsync(process.execPath, ['--import', 'tsx', path.join(__dirname, name, 'main.ts'), '--help'], {
        encoding: 'utf8',
        cwd: path.resolve(__dirname, '../..'),
      });
      expect(r.stdout).toMatch(new RegExp(`Usage: node --import tsx system/rideshare/${name}/main.ts`));
    }
  });

  test('the launcher of npm start runs the three services as processes, on any free ports', async () => {
    const config = loadConfig({ ...process.env, USERS_PORT: '0', RIDES_PORT: '0', GATEWAY_PORT: '0', DBAAS_TOKEN: TOKEN, LOG_LEVEL: 'warn' });
    const running = await startRideShareProcesses({ config, orchestratorUrl: sys.orchestrator.url, log });
    try {
      expect(running.gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const viaProcesses = new HttpClient(running.gatewayUrl);
      expect((await viaProcesses.request('PUT', '/api/v1/users', { username: 'proc', password: SHA1 })).status).toBe(201);
      const ride = await viaProcesses.post('/api/v1/rides', { created_by: 'proc', timestamp: FUTURE, source: 1, destination: 2 });
      expect(ride.status).toBe(201);
      expect((await viaProcesses.get(`/api/v1/rides/${ride.body.rideId}`)).body.created_by).toBe('proc');
    } finally {
      await running.stop();
    }
    await expect(fetch(`${running.gatewayUrl}/api/v1/users`)).rejects.toThrow();
  });
});
