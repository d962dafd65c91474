import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadK6Script, runIterations, type RecordedRequest } from './k6-sandbox';
import { SyncHttp } from './sync-http';
import { assertLoopback } from '../testing/http-client';
import { readVariable } from '../../system/common/config/variables';

const HELP = `Usage: npx tsx harness/k6/smoke-run.ts [--target URL] [--vus N] [--iterations N] [SCRIPT.js ...]

Runs the k6 scripts' own functions under Node, without k6, against a running orchestrator: setup, each scenario's
function for N VUs x M iterations (default 2 x 3, one request at a time), teardown. Every request body is checked
against the project's request schemas and every k6 check is evaluated. It proves the scripts talk to the real API;
it measures nothing (use k6 for rates and thresholds).

  --target URL      orchestrator base URL; default $TARGET or http://127.0.0.1:80 (loopback only)
  --vus N           VUs to simulate, 1..10 (default 2)
  --iterations N    iterations per VU and scenario, 1..50 (default 3)
  SCRIPT.js         scripts to run; default read-path.js write-path.js mixed.js beside this file

DBAAS_TOKEN is passed on to the scripts. Exits 1 when a check fails, a body is invalid, or a request gets no 2xx.`;


function intOption(name: string, raw: string, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}, got ${raw}`);
  return n;
}

function describe(requests: RecordedRequest[], statuses: number[]): string {
  const byStatus = new Map<number, number>();
  for (const s of statuses) byStatus.set(s, (byStatus.get(s) ?? 0) + 1);
  return `${requests.length} requests (${[...byStatus].map(([s, n]) => `${n}× ${s || 'no answer'}`).join(', ')})`;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      vus: { type: 'string', default: '2' },
      iterations: { type: 'string', default: '3' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const target = values.target ?? readVariable('TARGET') ?? 'http://127.0.0.1:80';
  assertLoopback(target);
  const vus = intOption('vus', values.vus!, 10);
  const iterations = intOption('iterations', values.iterations!, 50);
  const scripts = positionals.length ? positionals : ['read-path.js', 'write-path.js', 'mixed.js'].map((f) => path.join(__dirname, f));
  const env: Record<string, string> = { TARGET: target };
  if (process.env.DBAAS_TOKEN) env.DBAAS_TOKEN = process.env.DBAAS_TOKEN;

  const http = new SyncHttp();
  let failures = 0;
  try {
    for (const script of scripts) {
      const statuses: number[] = [];
      const box = loadK6Script(path.resolve(script), env, (url, body, headers) => {
        const res = http.post(url, body, headers);
        statuses.push(res.status);
        return res;
      });
      console.log(`${path.basename(script)}: running ${vus} VU(s) x ${iterations} iteration(s) against ${target} ...`);
      runIterations(box, vus, iterations);
      const invalid = box.requests.filter((r) => r.invalid);
      const refused = statuses.filter((s) => s < 200 || s > 299).length;
      const failedChecks = box.checks.filter((c) => !c.pass);
      console.log(`  ${describe(box.requests, statuses)}; checks ${box.checks.length - failedChecks.length}/${box.checks.length} passed`);
      for (const r of invalid) console.log(`  invalid body for ${r.url}: ${r.invalid}`);
      for (const name of new Set(failedChecks.map((c) => c.name))) console.log(`  failed check: ${name}`);
      failures += invalid.length + refused + failedChecks.length;
    }
  } finally {
    await http.close();
  }
  console.log(failures === 0 ? 'smoke run passed' : `smoke run FAILED (${failures} problems)`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`smoke-run: ${(err as Error).message}`);
    process.exit(1);
  },
);
