import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../system/common/config/config';
import { createLogger } from '../../system/common/logging/logger';
import { ensureServices } from '../../system/common/services/ensure-services';
import { sleep } from '../../system/common/services/wait-for';
import { startTestSystem } from '../testing/test-system';
import { waitForTopology } from '../testing/topology';
import { summarize } from './stats';

const HELP = `Usage: npm run bench:failover -- [--trials N] [--session-timeout-ms MS]

Measures failover: the time from SIGKILL of the master (through POST /api/v1/crash/master) to the first
acknowledged write, over N trials (default 10), on a fresh local system (real RabbitMQ, ZooKeeper, worker processes).
A client writes continuously while the master is killed; the figure is the gap between the kill and the first write
acknowledged by the new master. Prints min, median, p90 and max. Target: median under 1 s, max under 2 s.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { trials: { type: 'string', default: '10' }, 'session-timeout-ms': { type: 'string', default: '1000' }, help: { type: 'boolean' } },
  });
  if (values.help) return void console.log(HELP);
  const trials = Number(values.trials);
  if (!Number.isInteger(trials) || trials < 1 || trials > 100) throw new Error('--trials must be an integer from 1 to 100');
  process.env.TEST_LOG_LEVEL ??= 'error';
  const base = loadConfig();
  const services = await ensureServices(base, createLogger('bench', 'warn'));
  process.env.TEST_RABBITMQ_URL = services.rabbitmqUrl;
  process.env.TEST_ZOOKEEPER_CONNECT = services.zookeeperConnect;
  const sys = await startTestSystem({ INITIAL_SLAVES: '2', ZK_SESSION_TIMEOUT_MS: values['session-timeout-ms']!, RPC_TIMEOUT_MS: '10000' });
  const times: number[] = [];
  try {
    await sys.http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username: 'bench', password: 'p' } });
    for (let t = 1; t <= trials; t++) {
      await waitForTopology(sys.http, 2);
      const master = (await sys.http.get<Array<{ pid: number; role: string }>>('/api/v1/workers')).body.find((w) => w.role === 'master')!;
      let killedAt = 0;
      let firstAck = 0;
      let n = 0;
      // One writer loops until a write is acknowledged by a master other than the killed one.
      const writer = (async () => {
        while (!firstAck) {
          const r = await sys.http.post('/api/v1/db/write', {
            op: 'update',
            table: 'users',
            values: { password: `p${t}-${n++}` },
            where: { username: 'bench' },
          });
          if (killedAt && r.status === 200 && r.body.worker !== master.pid) firstAck = Date.now();
          else if (r.status >= 500) await sleep(5);
        }
      })();
      await sleep(200);
      killedAt = Date.now();
      const crash = await sys.http.post('/api/v1/crash/master');
      if (crash.status !== 200) throw new Error(`crash/master answered ${crash.status}`);
      await writer;
      const ms = firstAck - killedAt;
      times.push(ms);
      console.log(`trial ${String(t).padStart(2)}/${trials}: killed master ${master.pid}; first acknowledged write after ${ms} ms`);
    }
  } finally {
    await sys.stop();
    await services.stop();
  }
  const s = summarize(times);
  console.log(`\nfailover, kill -9 of the master -> first acknowledged write (${os.cpus().length} cores, ZK session ${values['session-timeout-ms']} ms)`);
  console.log(`trials ${s.n}   min ${s.min} ms   median ${s.median} ms   p90 ${s.p90} ms   max ${s.max} ms`);
  console.log(`target: median < 1000 ms (${s.median < 1000 ? 'met' : 'MISSED'}), max < 2000 ms (${s.max < 2000 ? 'met' : 'MISSED'})`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench:failover: ${(err as Error).message}`);
    process.exit(1);
  },
);
