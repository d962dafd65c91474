import fc from 'fast-check';
import { writeRequestSchema } from '../../system/common/protocol/requests';
import { anyJson, anyNumber, anyString, badJsonText, deepValue, headerValue, hugeBody, INJECTIONS } from './hostile-values';

/*
 * Generated HTTP requests for the orchestrator and the gateway. Every one of them must change no row: writes are
 * invalid by construction (checked against the project's own write schema, and broken further when a generated one
 * happens to be valid), the endpoints that change data on purpose (db/clear, crash/*) are only reached without the
 * token or with a method they refuse, and the RideShare writes name users and rides that do not exist.
 */

export type Target = 'orchestrator' | 'gateway';

export interface FuzzRequest {
  target: Target;
  method: string;
  /** Path and query, as sent (already percent-encoded where needed). */
  path: string;
  headers: Record<string, string>;
  /** The body's text, sent as is. */
  body?: string;
  /** What the generator meant to test (a label for the report). */
  kind: string;
}

/** What exists in the database during the run: generated requests never name it where they could change it. */
export interface FuzzWorld {
  token: string;
  /** Users the run created before fuzzing. */
  users: string[];
  /** Rides the run created before fuzzing. */
  rideIds: number[];
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'FOO', 'get', 'TRACE'];
export const anyMethod = fc.constantFrom(...METHODS);

const TABLES = ['users', 'rides', 'ride_members'];
const COLUMNS = ['username', 'password', 'ride_id', 'created_by', 'timestamp', 'starts_at', 'source', 'destination'];

const table = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TABLES) }, { weight: 1, arbitrary: anyJson });
const column = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...COLUMNS) }, { weight: 1, arbitrary: anyString });
const scalarish = fc.oneof(anyString, anyNumber, fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}));
const condition = fc.oneof(
  scalarish,
  fc.dictionary(fc.constantFrom('eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'like', '$ne', 'or'), fc.oneof(scalarish, fc.array(scalarish, { maxLength: 4 })), { maxKeys: 3 }),
  fc.constantFrom(10_001, 1_001).map((n) => ({ in: Array.from({ length: n }, (_, i) => i) })),
  deepValue,
);
const where = fc.oneof({ weight: 4, arbitrary: fc.dictionary(column, condition, { maxKeys: 3 }) }, { weight: 1, arbitrary: anyJson });
const values = fc.oneof({ weight: 4, arbitrary: fc.dictionary(column, scalarish, { maxKeys: 4 }) }, { weight: 1, arbitrary: anyJson });
const minLsn = fc.oneof(anyNumber, anyString, fc.constantFrom(-1, 0.5, 1e15, 2 ** 53, '1', null, [], {}));
const writeId = fc.oneof(anyString, anyNumber, fc.constantFrom('', 'a'.repeat(129), 'a b', 'id/1', 'ok-id', null));

/** Maybe one field of `fields`: the generated object holds some of them, and now and then an unknown one. */
function someOf(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({ ...fields, extra: anyJson }, { requiredKeys: [] });
}

export const readBody = fc.oneof(
  someOf({
    table,
    columns: fc.oneof(fc.array(column, { maxLength: 4 }), anyJson),
    where,
    orderBy: fc.oneof(fc.array(fc.record({ column, direction: fc.oneof(fc.constantFrom('asc', 'desc', 'ASC', 'sideways'), anyJson) }), { maxLength: 3 }), anyJson),
    limit: fc.oneof(anyNumber, anyString, fc.constantFrom(0, 10_000, 10_001)),
    count: fc.oneof(fc.boolean(), anyJson),
    minLsn,
  }),
  anyJson,
);

/** Invalid write bodies only: a generated body the write schema accepts gets a field the schema refuses. */
export const writeBody = fc
  .oneof(
    someOf({ op: fc.oneof(fc.constantFrom('insert', 'update', 'delete', 'clear', 'upsert', 'epoch', 'INSERT'), anyJson), table, values, where, writeId }),
    anyJson,
  )
  .map((body) => (writeRequestSchema.safeParse(body).success ? { ...(body as object), fuzzBreaksThis: true } : body));

/** Whether a body text could be a write the orchestrator accepts (the generators must never send one). */
export function isValidWriteText(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    return writeRequestSchema.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}

const bodyText = (json: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 6, arbitrary: json.map((v) => JSON.stringify(v) ?? 'null') }, { weight: 2, arbitrary: badJsonText }, { weight: 1, arbitrary: hugeBody });

function headersFor(world: FuzzWorld, auth: 'good' | 'none' | 'bad'): fc.Arbitrary<Record<string, string>> {
  const authorization =
    auth === 'good'
      ? fc.constant({ authorization: `Bearer ${world.token}` })
      : auth === 'none'
        ? fc.constant({})
        : fc.oneof(
            headerValue.map((v) => ({ authorization: v })),
            fc.constantFrom(`Bearer ${world.token}x`, `bearer ${world.token}`, `Basic ${world.token}`, `Bearer  ${world.token}`, 'Bearer ').map((v) => ({ authorization: v })),
          );
  const extra = fc.record(
    {
      'content-type': fc.oneof(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data; boundary=x'), headerValue),
      'x-dbaas-min-lsn': headerValue,
      'content-encoding': fc.constantFrom('identity', 'identity', 'identity', 'gzip', 'deflate', 'br', 'bogus'),
      accept: headerValue,
    },
    { requiredKeys: [] },
  );
  return fc.tuple(authorization, extra).map(([a, e]) => ({ ...e, ...a }) as Record<string, string>);
}

const auth = fc.constantFrom<'good' | 'none' | 'bad'>('good', 'good', 'good', 'good', 'none', 'bad');

/** Percent-encoded, lone surrogates (which cannot be encoded) replaced first. */
const encode = (v: unknown) => encodeURIComponent(String(v).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '?'));

const pathSegment = fc.oneof(
  anyString.filter((s) => s.length < 3000).map(encode),
  fc.constantFrom('..', '%2e%2e', '%', '%zz', '%00', '%2F', ';', '*', '~', '', 'count'),
);

/** Requests to the orchestrator. */
export function orchestratorRequest(world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const o = (kind: string, method: fc.Arbitrary<string>, path: fc.Arbitrary<string>, body: fc.Arbitrary<string | undefined>, a = auth) =>
    fc
      .tuple(method, path, body, a.chain((x) => headersFor(world, x)))
      .map(([m, p, b, h]): FuzzRequest => ({ target: 'orchestrator', kind, method: m, path: p, headers: h, body: b }));
  return fc.oneof(
    { weight: 6, arbitrary: o('read', fc.constant('POST'), fc.constant('/api/v1/db/read'), bodyText(readBody)) },
    { weight: 6, arbitrary: o('write', fc.constant('POST'), fc.constant('/api/v1/db/write'), bodyText(writeBody).filter((t) => !isValidWriteText(t))) },
    {
      weight: 2,
      arbitrary: o(
        'wrong method',
        anyMethod.filter((m) => m !== 'POST' && m !== 'GET'),
        fc.constantFrom('/api/v1/db/read', '/api/v1/db/write', '/api/v1/db/clear', '/api/v1/crash/master', '/api/v1/crash/slave', '/api/v1/worker/list', '/api/v1/workers'),
        fc.option(bodyText(readBody), { nil: undefined }),
      ),
    },
    // db/clear and crash/* change data or processes: only without a valid token (401).
    {
      weight: 1,
      arbitrary: o('no token', fc.constant('POST'), fc.constantFrom('/api/v1/db/clear', '/api/v1/crash/master', '/api/v1/crash/slave', '/api/v1/db/write'), fc.option(bodyText(writeBody), { nil: undefined }), fc.constantFrom('none', 'bad')).filter(
        (r) => !isValidWriteText(r.body),
      ),
    },
    {
      weight: 2,
      arbitrary: o(
        'views',
        fc.constantFrom('GET', 'HEAD'),
        fc.constantFrom('/api/v1/worker/list', '/api/v1/workers', '/api/v1/workers/checksums', '/healthz', '/metrics', '/api/v1/scaling', '/api/v1/db/read'),
        fc.option(bodyText(anyJson), { nil: undefined }),
      ),
    },
    {
      weight: 2,
      arbitrary: o(
        'unknown path',
        anyMethod.filter((m) => m.toUpperCase() !== 'POST'),
        fc.tuple(fc.constantFrom('/', '/api', '/api/v1/', '/api/v1/db/', '/api/v2/db/read', '/api/v1/db/read/', '/API/V1/DB/READ', '//api/v1/db/read', '/api/v1/db/read?'), pathSegment).map(([p, s]) => p + s),
        fc.option(bodyText(anyJson), { nil: undefined }),
      ),
    },
  );
}

/** A user name that is none of the world's users (so that a write naming it changes nothing). */
function strangerName(world: FuzzWorld): fc.Arbitrary<unknown> {
  return fc.oneof(anyString, anyNumber, fc.constant(null), fc.constantFrom(...INJECTIONS.map((s) => `${world.users[0] ?? 'u'}${s}`))).filter((n) => !world.users.includes(n as string));
}

/** A path segment that names no ride of the world, even read loosely (digits of a ride id anywhere are avoided). */
function strangerRide(world: FuzzWorld): fc.Arbitrary<string> {
  return pathSegment.filter((seg) => {
    let decoded = seg;
    try {
      decoded = decodeURIComponent(seg);
    } catch {
      // left encoded
    }
    return !world.rideIds.some((id) => decoded.includes(String(id)) || seg.includes(String(id)));
  });
}

/** Requests to the gateway (and through it to the users and rides services). */
export function gatewayRequest(world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  const g = (kind: string, method: fc.Arbitrary<string>, path: fc.Arbitrary<string>, body: fc.Arbitrary<string | undefined>, a = auth) =>
    fc
      .tuple(method, path, body, a.chain((x) => headersFor(world, x)))
      .map(([m, p, b, h]): FuzzRequest => ({ target: 'gateway', kind, method: m, path: p, headers: h, body: b }));
  const sha1ish = fc.oneof(anyString, fc.constantFrom('3d4f2bf07dc1be38b20cd6e46949a1071f9d0e3', 'g'.repeat(40), `${'a'.repeat(40)}0`));
  const timestamp = fc.oneof(anyString, anyNumber, fc.constantFrom('31-02-2099:00-30-10', '26-01-2001:00-30-10', '26-01-2099:60-30-10', '26-13-2099:00-30-10', '2099-01-26T10:30:00Z'));
  const area = fc.oneof(anyNumber, anyString, fc.constantFrom(0, 199, '1', ' 1', '1.0', 1.5, -1));
  const noBody = fc.constant(undefined);
  const existing = world.users.length > 0 ? fc.constantFrom(...world.users) : fc.constant('nobody');
  return fc.oneof(
    {
      weight: 4,
      // A new user with a password that is not a SHA1 digest (or no username): refused, nothing created.
      arbitrary: g('put user', fc.constant('PUT'), fc.constant('/api/v1/users'), bodyText(fc.oneof(someOf({ username: fc.oneof(strangerName(world), existing), password: sha1ish }), anyJson))),
    },
    {
      weight: 4,
      // A ride for a user who does not exist: refused.
      arbitrary: g(
        'create ride',
        fc.constant('POST'),
        fc.constant('/api/v1/rides'),
        bodyText(fc.oneof(someOf({ created_by: strangerName(world), timestamp, source: area, destination: area }), anyJson)),
      ),
    },
    { weight: 3, arbitrary: g('list rides', fc.constant('GET'), fc.tuple(fc.oneof(area.map(encode), pathSegment), fc.oneof(area.map(encode), pathSegment)).map(([s, d]) => `/api/v1/rides?source=${s}&destination=${d}`), noBody) },
    { weight: 2, arbitrary: g('ride details', fc.constant('GET'), pathSegment.map((s) => `/api/v1/rides/${s}`), noBody) },
    // Joining as a user who does not exist, or deleting a ride that does not exist: refused.
    { weight: 3, arbitrary: g('join ride', fc.constant('POST'), fc.tuple(fc.oneof(strangerRide(world), fc.constant(String(world.rideIds[0] ?? 1)))).map(([s]) => `/api/v1/rides/${s}`), bodyText(fc.oneof(someOf({ username: strangerName(world) }), anyJson))) },
    { weight: 2, arbitrary: g('delete ride', fc.constant('DELETE'), strangerRide(world).map((s) => `/api/v1/rides/${s}`), fc.option(bodyText(anyJson), { nil: undefined })) },
    { weight: 2, arbitrary: g('delete user', fc.constant('DELETE'), pathSegment.filter((s) => !world.users.some((u) => safeDecode(s) === u)).map((s) => `/api/v1/users/${s}`), noBody) },
    { weight: 2, arbitrary: g('list users', fc.constant('GET'), fc.oneof(fc.constant('/api/v1/users'), pathSegment.map((s) => `/api/v1/users?username=${s}`)), noBody) },
    {
      weight: 2,
      arbitrary: g(
        'wrong method',
        anyMethod,
        fc.constantFrom('/api/v1/users', '/api/v1/rides', '/api/v1/rides/count', '/api/v1/_count?service=users', '/api/v1/_count', '/api/v1/db/clear?service=rides'),
        fc.option(bodyText(anyJson), { nil: undefined }),
      ).filter((r) => {
        // Leave out the method each path takes for a write: those are the generators above, with bodies that fail.
        const m = r.method.toUpperCase();
        return !(m === 'PUT' && r.path === '/api/v1/users') && !(m === 'POST' && (r.path.startsWith('/api/v1/rides') || r.path.startsWith('/api/v1/db/clear')));
      }),
    },
    // db/clear changes every row: only without a valid token (401).
    { weight: 1, arbitrary: g('no token', fc.constant('POST'), fc.constantFrom('/api/v1/db/clear', '/api/v1/db/clear?service=rides', '/api/v1/db/clear?service=x'), noBody, fc.constantFrom('none', 'bad')) },
    { weight: 1, arbitrary: g('count', fc.constant('GET'), fc.oneof(fc.constantFrom('/api/v1/_count', '/api/v1/rides/count'), pathSegment.map((s) => `/api/v1/_count?service=${s}`)), noBody) },
    {
      weight: 2,
      arbitrary: g(
        'unknown path',
        anyMethod,
        fc.tuple(fc.constantFrom('/', '/api/v1/', '/api/v1/user', '/api/v1/usersX/', '/api/v1/rides/1/2/', '/api/v1/users/a/b/', '//api/v1/users', '/API/V1/USERS/', '/api/v1/db/'), pathSegment).map(([p, s]) => p + s),
        fc.option(bodyText(anyJson), { nil: undefined }),
      ).filter((r) => !isDangerousGatewayPath(r, world)),
    },
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** An unknown-path request that some router could still take for a write on existing data. */
function isDangerousGatewayPath(r: FuzzRequest, world: FuzzWorld): boolean {
  const m = r.method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return false;
  const p = safeDecode(r.path).toLowerCase();
  if (p.includes('db/clear')) return true;
  if (m === 'DELETE' && p.startsWith('/api/v1/users/')) return world.users.some((u) => p.includes(u.toLowerCase()));
  if (p.includes('/rides/') && (m === 'DELETE' || m === 'POST')) return world.rideIds.some((id) => p.includes(String(id)));
  return false;
}

/** Any request of the fuzzer, half to each target. */
export function anyRequest(world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(orchestratorRequest(world), gatewayRequest(world));
}
