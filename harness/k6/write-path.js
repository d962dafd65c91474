// Write path: inserts at a constant arrival rate on POST /api/v1/db/write (master commit plus the replication
// log's broker confirm). Thresholds: p99 under P99_MS (50 ms), under 1 % failed requests.
import { check } from 'k6';
import { bodyOf, dbWrite, deleteRunRows, envNumber, insertUserRequest, newRunPrefix } from './lib.js';

const RATE = envNumber('RATE', 100);
const P99_MS = envNumber('P99_MS', 50);

export const options = {
  scenarios: {
    writes: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || '30s',
      preAllocatedVUs: 20,
      maxVUs: 200,
    },
  },
  thresholds: {
    'http_req_duration{op:write}': [`p(99)<${P99_MS}`],
    'http_req_failed{op:write}': ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

export function setup() {
  return { prefix: newRunPrefix() };
}

export default function (data) {
  // Unique per run, VU and iteration: a duplicate would be a 409, which is the system working, not a failure to measure.
  const res = dbWrite(insertUserRequest(`${data.prefix}${__VU}-${__ITER}`), { op: 'write' });
  const body = bodyOf(res);
  check(res, {
    'write answered 201': (r) => r.status === 201,
    'write carries its LSN': () => body !== null && Number.isInteger(body.lsn) && body.lsn > 0,
  });
}

export function teardown(data) {
  deleteRunRows(data.prefix);
}
