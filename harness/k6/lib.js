// Shared by the k6 scripts: where the orchestrator is, how to authenticate, and request bodies in the shape of the
// DBaaS API (README "Using the API"). k6 runs these files itself; they are not part of the TypeScript build.
import http from 'k6/http';

/** Orchestrator base URL: the harness's default too (ORCHESTRATOR_URL, port 80 on loopback). */
export const TARGET = (__ENV.TARGET || 'http://127.0.0.1:80').replace(/\/+$/, '');

/** A SHA1-shaped password, as the RideShare users service stores them. */
export const PASSWORD = '3d4f2bf07dc1be38b20cd6e46949a1071f9d0e3d';

/**
 * A fresh prefix for the rows of one run, made in setup() and handed to every VU through setup's data: k6 runs the
 * init code once per VU, so a module-level value would differ between VUs and teardown could not find their rows.
 * It also keeps writeIds unique across runs (a repeated writeId is answered as the first time, not applied again).
 */
export function newRunPrefix() {
  return `k6-${Date.now().toString(36)}${Math.floor(Math.random() * 46656).toString(36)}-`;
}

/** A number from the environment, or the default; a bad value stops the script at once with its name. */
export function envNumber(name, fallback) {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return n;
}

export function params(tags) {
  const headers = { 'Content-Type': 'application/json' };
  if (__ENV.DBAAS_TOKEN) headers.Authorization = `Bearer ${__ENV.DBAAS_TOKEN}`;
  return { headers, tags: tags || {} };
}

export function dbRead(body, tags) {
  return http.post(`${TARGET}/api/v1/db/read`, JSON.stringify(body), params(tags));
}

export function dbWrite(body, tags) {
  return http.post(`${TARGET}/api/v1/db/write`, JSON.stringify(body), params(tags));
}

/** A read of one user by name: `{table, columns, where}`. */
export function readUserRequest(username, minLsn) {
  const body = { table: 'users', columns: ['username'], where: { username } };
  if (minLsn !== undefined) body.minLsn = minLsn;
  return body;
}

/** An insert of a new user: `{op, table, values}`; the writeId makes a retried write harmless. */
export function insertUserRequest(username) {
  return { op: 'insert', table: 'users', values: { username, password: PASSWORD }, writeId: `w-${username}` };
}

/** Inserts `count` users for the reads to find; returns their names. A 409 (already there) is fine. */
export function seedUsers(prefix, count) {
  const names = [];
  for (let i = 0; i < count; i++) {
    const username = `${prefix}seed-${i}`;
    const res = dbWrite(insertUserRequest(username), { op: 'seed' });
    if (res.status !== 201 && res.status !== 409) {
      throw new Error(`seeding ${username} at ${TARGET} failed: HTTP ${res.status} ${res.body}`);
    }
    names.push(username);
  }
  return names;
}

/** Deletes every user this run created: a range on the prefix ('.' sorts right after '-'). */
export function deleteRunRows(prefix) {
  const res = dbWrite({ op: 'delete', table: 'users', where: { username: { gte: prefix, lt: `${prefix.slice(0, -1)}.` } } }, { op: 'cleanup' });
  if (res.status !== 200) console.warn(`cleanup of ${prefix}* answered HTTP ${res.status}`);
}

/** JSON body of a response, or null when it has none (a timeout, an HTML error page). */
export function bodyOf(res) {
  try {
    return JSON.parse(res.body);
  } catch (_) {
    return null;
  }
}
