import fc from 'fast-check';
import { isValidWriteMessage, poisonMessage } from './poison';
import { anyRequest, isValidWriteText, type FuzzWorld } from './requests';

const world: FuzzWorld = { token: 'tok', users: ['fuzz-seed-alice', 'fuzz-seed-bob'], rideIds: [1] };

describe('fuzz generators', () => {
  const requests = fc.sample(anyRequest(world), { seed: 42, numRuns: 1500 });

  test('the same seed gives the same requests', () => {
    expect(fc.sample(anyRequest(world), { seed: 42, numRuns: 50 })).toEqual(requests.slice(0, 50));
  });

  test('both targets, many kinds, and no valid write to the orchestrator', () => {
    expect(new Set(requests.map((r) => r.target))).toEqual(new Set(['orchestrator', 'gateway']));
    expect(new Set(requests.map((r) => r.kind)).size).toBeGreaterThan(12);
    expect(requests.filter((r) => r.target === 'orchestrator' && isValidWriteText(r.body))).toEqual([]);
  });

  test('what changes data on purpose is only reached without the token, or with a method it refuses', () => {
    for (const r of requests) {
      const m = r.method.toUpperCase();
      const good = r.headers.authorization === `Bearer ${world.token}`;
      if (r.target === 'orchestrator' && m === 'POST' && /^\/api\/v1\/(db\/clear|crash\/)/.test(r.path)) expect({ r, good }).toEqual({ r, good: false });
      if (r.target === 'gateway' && m === 'POST' && r.path.startsWith('/api/v1/db/clear')) expect({ r, good }).toEqual({ r, good: false });
    }
  });

  test('RideShare writes never name a seeded user or ride', () => {
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    for (const r of requests.filter((x) => x.target === 'gateway')) {
      const m = r.method.toUpperCase();
      if (m === 'DELETE' && r.path.startsWith('/api/v1/users/')) expect(world.users).not.toContain(decode(r.path.slice('/api/v1/users/'.length)));
      if (m === 'DELETE' && r.path.startsWith('/api/v1/rides/')) expect(r.path.slice('/api/v1/rides/'.length)).not.toContain('1');
    }
  });

  test('poison messages reach every queue but syncQ and are never a valid write', () => {
    const poison = fc.sample(poisonMessage(), { seed: 7, numRuns: 400 });
    expect(new Set(poison.map((p) => p.queue))).toEqual(new Set(['readQ', 'writeQ', 'responseQ', 'control']));
    expect(poison.filter(isValidWriteMessage)).toEqual([]);
  });
});
