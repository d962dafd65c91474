import { sleep } from '../../system/common/time/sleep';
import type { HttpClient } from '../testing/http-client';
import { waitForTopology, workers } from '../testing/topology';
import type { BenchOptions } from './bench-options';
import { emptySection, type SectionReport } from './bench-report';
import { BenchSystem, type BenchContext } from './bench-system';
import { round, summarize } from './stats';
import { BENCH_USER, mustWrite } from './workload';

type Log = (msg: string) => void;

/** Longest a trial may take before it counts as a failure: far above any failover worth measuring. */
const TRIAL_LIMIT_MS = 30000;

/*
 * One trial: a client updates a row in a loop; the master is killed (SIGKILL through the crash API) while it writes;
 * the figure is the time from the kill to the first write acknowledged by another worker.
 */
async function trial(http: HttpClient, n: number): Promise<{ ms: number; killed: number; failedWrites: number }> {
  const master = (await workers(http)).find((w) => w.role === 'master');
  if (!master) throw new Error('no master before the kill');
  let killedAt = 0;
  let firstAck = 0;
  let writes = 0;
  let failures = 0;
  const writer = (async () => {
    const deadline = Date.now() + TRIAL_LIMIT_MS;
    while (!firstAck && Date.now() < deadline) {
      const r = await http
        .post<{ worker?: number }>('/api/v1/db/write', { op: 'update', table: 'users', values: { password: `p${n}-${writes++}` }, where: { username: BENCH_USER } })
        .catch(() => ({ status: 0, body: {} as { worker?: number } }));
      if (killedAt && r.status === 200 && r.body.worker !== master.pid) firstAck = Date.now();
      else if (r.status !== 200) {
        failures++;
        await sleep(5);
      }
    }
  })();
  await sleep(200);
  killedAt = Date.now();
  const crash = await http.post('/api/v1/crash/master');
  if (crash.status !== 200) throw new Error(`crash/master answered ${crash.status}: ${JSON.stringify(crash.body)}`);
  await writer;
  if (!firstAck) throw new Error(`no write was acknowledged within ${TRIAL_LIMIT_MS} ms of killing master ${master.pid}`);
  return { ms: firstAck - killedAt, killed: master.pid, failedWrites: failures };
}

/** Failover: kill -9 of the master to the first acknowledged write, over many trials on one system. */
export async function runFailover(ctx: BenchContext, o: BenchOptions, log: Log): Promise<SectionReport> {
  const env = { INITIAL_SLAVES: '2', MAX_SLAVES: '2', RPC_TIMEOUT_MS: '10000' };
  const section = emptySection(
    'failover',
    'Failover',
    `${o.failoverTrials} trial(s) on one system of a master and 2 slaves. In each, a client updates a row in a loop; ` +
      '200 ms in, the master is killed with SIGKILL through POST /api/v1/crash/master; the figure is the time from ' +
      'sending the crash request to the first write acknowledged by a different worker (detection by the exit event ' +
      'or session expiry, election, epoch marker and catch-up, first write). Before each trial the system is back to ' +
      'a master and 2 ready slaves.',
  );
  section.config = { trials: o.failoverTrials, 'system env': env, zkSessionTimeoutMs: ctx.envOverrides.ZK_SESSION_TIMEOUT_MS ?? '1000 (test default)' };
  log('failover: starting the system (1 master, 2 slaves)');
  const sys = await BenchSystem.start(ctx, 'failover', env);
  const times: number[] = [];
  try {
    await waitForTopology(sys.http, 2, 120000);
    await mustWrite(sys.http, { op: 'insert', table: 'users', values: { username: BENCH_USER, password: 'a'.repeat(40) } });
    for (let t = 1; t <= o.failoverTrials; t++) {
      await waitForTopology(sys.http, 2, 120000);
      const r = await trial(sys.http, t);
      times.push(r.ms);
      log(`failover trial ${t}/${o.failoverTrials}: killed master ${r.killed}; first acknowledged write after ${r.ms} ms (${r.failedWrites} writes refused or failed meanwhile)`);
    }
  } finally {
    await sys.stop();
  }
  const s = summarize(times);
  section.figures.push({ name: 'kill -9 of the master to the first acknowledged write', unit: 'ms', summary: s });
  section.targets.push(
    { target: 'failover median under 1 s', measured: `median ${round(s.median)} ms over ${s.n} trials`, met: s.n > 0 ? s.median < 1000 : null },
    { target: 'failover maximum under 2 s', measured: `max ${round(s.max)} ms over ${s.n} trials`, met: s.n > 0 ? s.max < 2000 : null },
  );
  return section;
}
