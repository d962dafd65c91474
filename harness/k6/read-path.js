// Read path: reads at a constant arrival rate on POST /api/v1/db/read (through RabbitMQ to the slaves).
// Thresholds: p99 under P99_MS (20 ms), under 1 % failed requests. See README.md beside this file.
import { check } from 'k6';
import { bodyOf, dbRead, deleteRunRows, envNumber, newRunPrefix, readUserRequest, seedUsers } from './lib.js';

const RATE = envNumber('RATE', 200);
const P99_MS = envNumber('P99_MS', 20);
const SEED_USERS = envNumber('SEED_USERS', 20);

export const options = {
  scenarios: {
    reads: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || '30s',
      preAllocatedVUs: 20,
      maxVUs: 200,
    },
  },
  thresholds: {
    // Tagged so that setup's seeding writes do not count toward the read figures.
    'http_req_duration{op:read}': [`p(99)<${P99_MS}`, `p(50)<${P99_MS / 2}`],
    'http_req_failed{op:read}': ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

export function setup() {
  const prefix = newRunPrefix();
  return { prefix, users: seedUsers(prefix, SEED_USERS) };
}

export default function (data) {
  const username = data.users[(__VU * 7 + __ITER) % data.users.length];
  const res = dbRead(readUserRequest(username), { op: 'read' });
  const body = bodyOf(res);
  check(res, {
    'read answered 200': (r) => r.status === 200,
    'read found the seeded user': () => body !== null && Array.isArray(body.rows) && body.rows.length === 1 && body.rows[0].username === username,
  });
}

export function teardown(data) {
  deleteRunRows(data.prefix);
}
