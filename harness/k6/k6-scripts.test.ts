import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadK6Script, runIterations, syntaxErrors } from './k6-sandbox';

const DIR = __dirname;
const SCRIPTS = ['read-path.js', 'write-path.js', 'mixed.js'];
const EXECUTORS = ['shared-iterations', 'per-vu-iterations', 'constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate', 'externally-controlled'];
// k6's threshold grammar: aggregation, operator, number.
const THRESHOLD = /^(avg|min|max|med|count|rate|value|p\(\d+(\.\d+)?\))\s*(<|<=|>|>=|==|===|!=)\s*\d+(\.\d+)?$/;

function run(file: string, env: Record<string, string> = {}) {
  const box = loadK6Script(path.join(DIR, file), env);
  runIterations(box, 2, 3);
  return box;
}

test('the directory holds the scripts this test knows', () => {
  const js = fs.readdirSync(DIR).filter((f) => f.endsWith('.js')).sort();
  expect(js).toEqual(['lib.js', ...SCRIPTS].sort());
});

test.each([...SCRIPTS, 'lib.js'])('%s parses as an ES module', (file) => {
  expect(syntaxErrors(path.join(DIR, file))).toEqual([]);
  expect(fs.readFileSync(path.join(DIR, file), 'utf8')).toMatch(/^export /m);
});

test('the syntax check catches a broken script', () => {
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'k6-')), 'bad.js');
  fs.writeFileSync(tmp, 'export const options = { thresholds: { a: ["p(99)<1"] };\n');
  try {
    expect(syntaxErrors(tmp).length).toBeGreaterThan(0);
  } finally {
    fs.rmSync(path.dirname(tmp), { recursive: true });
  }
});

test.each(SCRIPTS)('%s declares thresholds in k6 syntax and valid scenarios', (file) => {
  const { exports: ex } = loadK6Script(path.join(DIR, file));
  const options = ex.options as { thresholds: Record<string, unknown[]>; scenarios: Record<string, { executor: string; exec?: string }> };
  const entries = Object.entries(options.thresholds);
  expect(entries.length).toBeGreaterThan(0);
  for (const [, list] of entries) {
    expect(Array.isArray(list) && list.length > 0).toBe(true);
    for (const expr of list) expect(String(expr)).toMatch(THRESHOLD);
  }
  expect(Object.keys(options.thresholds).some((k) => k.startsWith('http_req_duration'))).toBe(true);
  expect(Object.keys(options.thresholds).some((k) => k.startsWith('http_req_failed'))).toBe(true);
  for (const sc of Object.values(options.scenarios)) {
    expect(EXECUTORS).toContain(sc.executor);
    expect(typeof ex[sc.exec ?? 'default']).toBe('function');
  }
});

test('read-path keeps the p99 < 20 ms and < 1 % failed thresholds by default, and takes other limits from the environment', () => {
  const def = loadK6Script(path.join(DIR, 'read-path.js')).exports.options as { thresholds: Record<string, string[]>; scenarios: { reads: { rate: number } } };
  expect(def.thresholds['http_req_duration{op:read}']).toContain('p(99)<20');
  expect(def.thresholds['http_req_failed{op:read}']).toEqual(['rate<0.01']);
  expect(def.scenarios.reads.rate).toBe(200);
  const tuned = loadK6Script(path.join(DIR, 'read-path.js'), { P99_MS: '35', RATE: '50' }).exports.options as typeof def;
  expect(tuned.thresholds['http_req_duration{op:read}']).toContain('p(99)<35');
  expect(tuned.scenarios.reads.rate).toBe(50);
  expect(() => loadK6Script(path.join(DIR, 'read-path.js'), { RATE: 'fast' })).toThrow(/RATE must be a positive number/);
});

test.each(SCRIPTS)('%s sends bodies the real API accepts, to the default target, and its checks pass', (file) => {
  const box = run(file);
  expect(box.requests.length).toBeGreaterThan(0);
  for (const r of box.requests) {
    expect(r.invalid).toBe('');
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:80\/api\/v1\/db\/(read|write)$/);
    expect(r.headers.Authorization).toBeUndefined();
    expect(r.headers['Content-Type']).toBe('application/json');
  }
  expect(box.checks.length).toBeGreaterThan(0);
  expect(box.checks.filter((c) => !c.pass)).toEqual([]);
  // The last request deletes this run's rows, and only them.
  const last = box.requests[box.requests.length - 1].body as { op: string; where: { username: { gte: string; lt: string } } };
  expect(last.op).toBe('delete');
  expect(last.where.username.gte).toMatch(/^k6-.+-$/);
  // Every VU wrote under setup's prefix, so teardown found all of their rows.
  expect(box.requests.filter((r) => (r.body as { op?: string }).op === 'insert').length).toBeGreaterThan(0);
  expect([...box.api.users]).toEqual([]);
});

test.each(SCRIPTS)('%s: each VU runs its own copy of the init code, as in k6', (file) => {
  const box = loadK6Script(path.join(DIR, file));
  expect(box.vu(1, 0)).not.toBe(box.vu(2, 0));
  expect(box.vu(1, 5)).toBe(box.vu(1, 0));
});

test.each(SCRIPTS)('%s: every tag a threshold filters on is set on some request or check', (file) => {
  const box = run(file);
  const thresholds = Object.keys((box.exports.options as { thresholds: Record<string, unknown> }).thresholds);
  for (const key of thresholds) {
    const m = /^(\w+)\{(\w+):([\w-]+)\}$/.exec(key);
    if (!m) continue;
    const [, metric, tag, value] = m;
    const tagged = metric === 'checks' ? box.checks.map((c) => c.tags ?? {}) : box.requests.map((r) => r.tags);
    expect(tagged.some((t) => t[tag] === value)).toBe(true);
  }
});

test('TARGET and DBAAS_TOKEN are honoured', () => {
  const box = run('write-path.js', { TARGET: 'http://127.0.0.1:8000/', DBAAS_TOKEN: 's3cret' });
  for (const r of box.requests) {
    expect(r.url.startsWith('http://127.0.0.1:8000/api/v1/db/')).toBe(true);
    expect(r.headers.Authorization).toBe('Bearer s3cret');
  }
});

test('mixed reads its own writes at the LSN the write returned', () => {
  const box = run('mixed.js');
  const own = box.requests.filter((r) => r.tags.op === 'read-own-write');
  expect(own.length).toBe(6);
  for (const r of own) expect((r.body as { minLsn?: number }).minLsn).toBeGreaterThan(0);
});
