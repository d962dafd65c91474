import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readVariable, type OtherVariableName } from '../../system/common/config/variables';
import { waitUntil } from '../../system/common/time/wait-until';
import { HttpClient } from '../testing/http-client';
import { readyMaster, waitForTopology, workers } from '../testing/topology';
import { ComposeProject, composeCommand, type ServiceState } from './compose-project';
import { assertSameState, createUser, readState, rideShareWalk, type RideShareState } from './rideshare-walk';

const HELP = `Usage: npm run compose:check    (docker/compose-check.sh builds the images, then runs this)
       npx tsx harness/compose/compose-check-cli.ts [--help]

Runs the RideShare deployment for real: docker-compose.yml under the project name COMPOSE_PROJECT_NAME
(default rideshare-check), with freshly generated passwords in a temporary env file (the checkout's .env is not
read), the server images RABBITMQ_IMAGE / ZOOKEEPER_IMAGE, and the published ports on 127.0.0.1:
COMPOSE_CHECK_GATEWAY_PORT (default 18080) and COMPOSE_CHECK_ORCHESTRATOR_PORT (default 18000), so that it never
collides with a deployment already running. Steps, each printed, the first failure ends the run (exit status 1):
  up -d and every health check; the README's RideShare walk through the gateway; crash/master through the
  orchestrator and the same data read back once a new master is elected; restart of rabbitmq and a write through it;
  down and up again with every row still there; down -v leaving no container, network or volume of the project.
COMPOSE_CHECK_TIMEOUT_S (default 240) bounds every wait.`;

const SERVICES = ['zookeeper', 'rabbitmq', 'orchestrator', 'users', 'rides', 'gateway'];

function intEnv(name: OtherVariableName, fallback: number): number {
  const v = readVariable(name);
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, not ${v}`);
  return n;
}

class Steps {
  private n = 0;
  private readonly started = Date.now();

  async run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    this.n += 1;
    const t0 = Date.now();
    process.stdout.write(`compose check: ${String(this.n).padStart(2)}. ${what} ... `);
    try {
      const value = await fn();
      console.log(`ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      return value;
    } catch (err) {
      console.log(`FAILED (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      throw err;
    }
  }

  get elapsedS(): string {
    return ((Date.now() - this.started) / 1000).toFixed(0);
  }
}

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const project = process.env.COMPOSE_PROJECT_NAME || 'rideshare-check';
  const gatewayPort = intEnv('COMPOSE_CHECK_GATEWAY_PORT', 18080);
  const orchestratorPort = intEnv('COMPOSE_CHECK_ORCHESTRATOR_PORT', 18000);
  const timeoutMs = intEnv('COMPOSE_CHECK_TIMEOUT_S', 240) * 1000;
  const dir = path.resolve(__dirname, '../..');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-check-'));
  const envFile = path.join(tmp, 'env');
  const secret = () => randomBytes(16).toString('hex');
  // Fresh credentials for every run, in a file only this run reads (mode 0600); the deployment has no default ones.
  fs.writeFileSync(
    envFile,
    [
      `RABBITMQ_ORCHESTRATOR_PASSWORD=${secret()}`,
      `RABBITMQ_WORKER_PASSWORD=${secret()}`,
      `RABBITMQ_ADMIN_PASSWORD=${secret()}`,
      `ZOOKEEPER_PASSWORD=${secret()}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const env: Record<string, string> = {
    ORCHESTRATOR_HOST_PORT: String(orchestratorPort),
    GATEWAY_HOST_PORT: String(gatewayPort),
    // A short autoscaling interval would only add noise here; the default keeps one slave.
    INITIAL_SLAVES: '1',
    LOG_LEVEL: 'warn',
    DBAAS_TOKEN: '',
  };
  const compose = new ComposeProject(await composeCommand(), dir, project, envFile, env);
  const gateway = new HttpClient(`http://127.0.0.1:${gatewayPort}`);
  const orchestrator = new HttpClient(`http://127.0.0.1:${orchestratorPort}`);
  const steps = new Steps();
  console.log(
    `compose check: project ${project} with ${compose.command.join(' ')}; RabbitMQ image ${process.env.RABBITMQ_IMAGE ?? 'rabbitmq:3.13'}, ` +
      `ZooKeeper image ${process.env.ZOOKEEPER_IMAGE ?? 'zookeeper:3.8'}; gateway 127.0.0.1:${gatewayPort}, orchestrator 127.0.0.1:${orchestratorPort}`,
  );

  const healthy = async (what: string) => {
    let last: ServiceState[] = [];
    await waitUntil(
      what,
      async () => {
        last = await compose.services();
        return SERVICES.every((s) => last.some((c) => c.service === s && c.state === 'running' && c.health === 'healthy'));
      },
      timeoutMs,
      1000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last seen: ${last.map((c) => `${c.service} ${c.state}${c.health ? `/${c.health}` : ''}`).join(', ')}`);
    });
    const defs = last.find((c) => c.service === 'broker-definitions');
    if (defs?.exitCode !== 0) throw new Error(`broker-definitions did not complete: ${JSON.stringify(defs)}`);
    return last;
  };
  // Reads go to slaves, which converge on the log: wait, bounded, for the data written before to be read back.
  const readBack = async (what: string, expected: RideShareState, rideId: number) => {
    let last: RideShareState | undefined;
    let lastErr: Error | undefined;
    await waitUntil(
      what,
      async () => {
        try {
          last = await readState(gateway, rideId);
          lastErr = undefined;
        } catch (err) {
          lastErr = err as Error;
          return false;
        }
        assertSameState(what, expected, last);
        return true;
      },
      timeoutMs,
      500,
    ).catch(() => {
      if (lastErr) throw new Error(`${what}: ${lastErr.message}`);
      assertSameState(what, expected, last!);
    });
  };

  let failed = false;
  try {
    await steps.run('docker compose up -d (fresh volumes)', async () => {
      await compose.compose('down', '-v', '--remove-orphans');
      await compose.compose('up', '-d');
    });
    await steps.run(`every service healthy (${SERVICES.join(', ')}; broker-definitions completed)`, () => healthy('every health check'));
    const first = await steps.run('one master and one slave worker container, ready', () => waitForTopology(orchestrator, 1, timeoutMs));
    const rideId = await steps.run('RideShare walk through the gateway: users alice and bob, a ride, bob joins, the ride is listed', () =>
      rideShareWalk(gateway),
    );
    const expected = await steps.run('ride details, users and count read back', async () => {
      let state: RideShareState | undefined;
      await waitUntil(
        'the walk\'s writes on the slave',
        async () => {
          state = await readState(gateway, rideId);
          const ride = state.ride as { users?: string[]; created_by?: string };
          return state.users.join() === 'alice,bob' && JSON.stringify(state.count) === '[1]' && ride.created_by === 'alice' && ride.users?.join() === 'bob';
        },
        timeoutMs,
        250,
      ).catch((err: Error) => {
        throw new Error(`${err.message}; last read ${JSON.stringify(state)}`);
      });
      return state!;
    });
    const oldMaster = readyMaster(first)!.pid;
    await steps.run(`POST /api/v1/crash/master (master PID ${oldMaster}), a new master elected`, async () => {
      const r = await orchestrator.post<number[]>('/api/v1/crash/master');
      if (r.status !== 200 || !Array.isArray(r.body) || r.body[0] !== oldMaster) throw new Error(`crash/master answered ${r.status} ${JSON.stringify(r.body)}`);
      await waitUntil(
        'a ready master other than the crashed one',
        async () => {
          const m = readyMaster(await workers(orchestrator));
          return m !== undefined && m.pid !== oldMaster;
        },
        timeoutMs,
        250,
      );
    });
    await steps.run('the same data read back after the failover', () => readBack('after crash/master', expected, rideId));
    await steps.run('docker compose restart rabbitmq; healthy again', async () => {
      await compose.compose('restart', 'rabbitmq');
      await healthy('every health check after the broker restart');
    });
    const afterRestart = await steps.run('a write through the restarted broker (user carol), then every row read back', async () => {
      // The first writes after a broker restart may meet the system still reconnecting: wait, bounded, for one to pass.
      await waitUntil('a write accepted after the broker restart', () => createUser(gateway, 'carol').then(() => true), timeoutMs, 1000);
      const want = { ...expected, users: ['alice', 'bob', 'carol'] };
      await readBack('after the broker restart', want, rideId);
      return want;
    });
    await steps.run('docker compose down (volumes kept); no worker container left', async () => {
      await compose.compose('down');
      const left = await compose.workerContainers();
      if (left.length > 0) throw new Error(`${left.length} worker container(s) left: ${left.map((c) => c.Names.join()).join(', ')}`);
      const volumes = await compose.volumes();
      if (volumes.length < 3) throw new Error(`expected the project's volumes to stay, found ${JSON.stringify(volumes)}`);
    });
    await steps.run('docker compose up -d again; every service healthy', async () => {
      await compose.compose('up', '-d');
      await healthy('every health check after down and up');
      await waitForTopology(orchestrator, 1, timeoutMs);
    });
    await steps.run('every row written before down is still there', () => readBack('after down and up', afterRestart, rideId));
  } catch (err) {
    failed = true;
    console.error(`compose check: FAILED: ${(err as Error).message}`);
    for (const s of ['orchestrator', 'rabbitmq', 'zookeeper', 'gateway']) {
      console.error(`--- last lines of ${s} ---\n${(await compose.logs(s, 25)).trim()}`);
    }
  }
  try {
    await steps.run('docker compose down -v: no container, network or volume of the project left', async () => {
      await compose.compose('down', '-v', '--remove-orphans');
      const containers = await compose.services();
      const workersLeft = await compose.workerContainers();
      const networks = await compose.networks();
      const volumes = await compose.volumes();
      if (containers.length + workersLeft.length + networks.length + volumes.length > 0) {
        throw new Error(`left behind: ${JSON.stringify({ containers, workers: workersLeft.map((c) => c.Names), networks, volumes })}`);
      }
    });
  } catch (err) {
    failed = true;
    console.error(`compose check: FAILED: ${(err as Error).message}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(failed ? `compose check: FAILED after ${steps.elapsedS} s` : `compose check: passed in ${steps.elapsedS} s`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`compose check: ${err.message}`);
    process.exit(1);
  },
);
