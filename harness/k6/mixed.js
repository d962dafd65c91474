// Mixed: reads and writes at their own constant arrival rates at the same time, as a RideShare backend sees them.
// Each write is followed by a read-your-writes read (minLsn = the write's LSN) that must find the new row.
// Thresholds per scenario: reads p99 under READ_P99_MS (20 ms), writes under WRITE_P99_MS (50 ms), under 1 % failed.
import { check } from 'k6';
import { bodyOf, dbRead, dbWrite, deleteRunRows, envNumber, insertUserRequest, newRunPrefix, readUserRequest, seedUsers } from './lib.js';

const READ_RATE = envNumber('READ_RATE', 150);
const WRITE_RATE = envNumber('WRITE_RATE', 30);
const READ_P99_MS = envNumber('READ_P99_MS', 20);
const WRITE_P99_MS = envNumber('WRITE_P99_MS', 50);
const DURATION = __ENV.DURATION || '60s';

export const options = {
  scenarios: {
    reads: { executor: 'constant-arrival-rate', exec: 'reads', rate: READ_RATE, timeUnit: '1s', duration: DURATION, preAllocatedVUs: 20, maxVUs: 200 },
    writes: { executor: 'constant-arrival-rate', exec: 'writes', rate: WRITE_RATE, timeUnit: '1s', duration: DURATION, preAllocatedVUs: 10, maxVUs: 100 },
  },
  thresholds: {
    'http_req_duration{op:read}': [`p(99)<${READ_P99_MS}`],
    'http_req_duration{op:write}': [`p(99)<${WRITE_P99_MS}`],
    // A read at minLsn may wait for a slave to catch up (bounded by MIN_LSN_WAIT_MS): its own, looser limit.
    'http_req_duration{op:read-own-write}': [`p(99)<${WRITE_P99_MS}`],
    http_req_failed: ['rate<0.01'],
    // Read-your-writes is a promise, not a latency: any miss fails the run.
    'checks{ryw:yes}': ['rate==1'],
    checks: ['rate>0.99'],
  },
};

export function setup() {
  const prefix = newRunPrefix();
  return { prefix, users: seedUsers(prefix, envNumber('SEED_USERS', 20)) };
}

export function reads(data) {
  const username = data.users[(__VU * 7 + __ITER) % data.users.length];
  const res = dbRead(readUserRequest(username), { op: 'read' });
  check(res, { 'read answered 200': (r) => r.status === 200 });
}

export function writes(data) {
  const username = `${data.prefix}${__VU}-${__ITER}`;
  const res = dbWrite(insertUserRequest(username), { op: 'write' });
  const written = bodyOf(res);
  if (!check(res, { 'write answered 201': (r) => r.status === 201 }) || written === null) return;
  const readBack = dbRead(readUserRequest(username, written.lsn), { op: 'read-own-write' });
  const found = bodyOf(readBack);
  check(readBack, { 'read-own-write finds the new row': (r) => r.status === 200 && found !== null && found.rows.length === 1 }, { ryw: 'yes' });
}

// Used when scenarios are overridden from the command line (`k6 run --iterations 1 mixed.js`, a smoke test).
export default function (data) {
  reads(data);
  writes(data);
}

export function teardown(data) {
  deleteRunRows(data.prefix);
}
