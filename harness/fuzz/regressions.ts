import type { FuzzRequest, FuzzWorld } from './requests';

/*
 * Inputs the fuzzer once found a bug with, sent at the start of every run (before the generated ones), so that the
 * bug stays fixed whatever the seed. Each changes no row.
 */
export function regressions(world: FuzzWorld): FuzzRequest[] {
  // 100 '𝕏': 100 characters to the users service (zod counts code points), 200 UTF-16 units to the DBaaS, which
  // refused them: the services answered 500 "the database refused a request (400) ... at most 128 characters".
  const astral = encodeURIComponent('𝕏'.repeat(100));
  const auth = { authorization: `Bearer ${world.token}` };
  return [
    { target: 'gateway', kind: 'regression: astral name', method: 'GET', path: `/api/v1/users?username=${astral}`, headers: {} },
    { target: 'gateway', kind: 'regression: astral name', method: 'DELETE', path: `/api/v1/users/${astral}`, headers: {} },
    {
      target: 'gateway',
      kind: 'regression: astral name',
      method: 'POST',
      path: '/api/v1/rides',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ created_by: '𝕏'.repeat(100), timestamp: '26-01-2099:00-30-10', source: 1, destination: 2 }),
    },
    {
      target: 'gateway',
      kind: 'regression: astral name',
      method: 'POST',
      path: `/api/v1/rides/${world.rideIds[0] ?? 1}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: '𝕏'.repeat(100) }),
    },
    // An unpaired surrogate: the rides service put it in a URL to ask the users service (encodeURIComponent threw, a
    // 500); the users service stored it as U+FFFD, another name than the one given.
    ...[
      { path: '/api/v1/users', method: 'PUT', body: { username: '\ud800', password: '3d4f2bf07dc1be38b20cd6e46949a1071f9d0e3d' } },
      { path: '/api/v1/rides', method: 'POST', body: { created_by: '\ud800', timestamp: '26-01-2099:00-30-10', source: 1, destination: 2 } },
      { path: `/api/v1/rides/${world.rideIds[0] ?? 1}`, method: 'POST', body: { username: '\udc00x' } },
    ].map((r): FuzzRequest => ({ target: 'gateway', kind: 'regression: unpaired surrogate', headers: { 'content-type': 'application/json' }, ...r, body: JSON.stringify(r.body) })),
    { target: 'orchestrator', kind: 'regression: astral name', method: 'POST', path: '/api/v1/db/read', headers: auth, body: JSON.stringify({ table: 'users', where: { username: '𝕏'.repeat(128) } }) },
  ];
}
