import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { configToEnv, loadConfig } from '../../common/config/config';
import { createLogger } from '../../common/logging/logger';
import { ensureServices, type ServiceEndpoints } from '../../common/services/ensure-services';
import { waitUntil } from '../../common/time/wait-until';
import { LABELS } from './container-spec';
import { DockerRuntime, type DockerRuntimeOptions } from './docker-runtime';
import type { WorkerExit } from './worker-runtime';

/*
 * The Docker runtime on its own against the real engine, with real workers (they need RabbitMQ and ZooKeeper, on
 * loopback). Part of the Docker check (`npm run docker:check`).
 */

const config = loadConfig();
const docker = new Docker({ socketPath: config.dockerSocket });
const suite = `rt${process.pid}-${randomBytes(3).toString('hex')}`;
const deployment = `dbaas-${suite}`;
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-runtime-'));
let services: ServiceEndpoints;
let options: DockerRuntimeOptions;
const runtimes: DockerRuntime[] = [];

async function runtime(): Promise<DockerRuntime> {
  const rt = await DockerRuntime.create(options);
  runtimes.push(rt);
  return rt;
}

function nextExit(rt: DockerRuntime, id: string): Promise<WorkerExit> {
  return new Promise((resolve) => {
    const on = (e: WorkerExit) => {
      if (e.id !== id) return;
      rt.off('exit', on);
      resolve(e);
    };
    rt.on('exit', on);
  });
}

async function containersOf(id?: string): Promise<Docker.ContainerInfo[]> {
  const label = [`${LABELS.deployment}=${deployment}`, ...(id ? [`${LABELS.workerId}=${id}`] : [])];
  return docker.listContainers({ all: true, filters: { label } });
}

beforeAll(async () => {
  const log = createLogger('docker-runtime-test', 'warn');
  services = await ensureServices(config, log);
  let rabbitmqUrl = services.rabbitmqWorkerUrl;
  if (services.rabbitmq) {
    await services.rabbitmq.addVhost(suite);
    rabbitmqUrl = services.rabbitmq.url(suite, 'worker');
  }
  const env = { ...configToEnv(config), RABBITMQ_URL: rabbitmqUrl, ZOOKEEPER_CONNECT: services.zookeeperConnect, ...(services.zookeeperAuth ? { ZOOKEEPER_AUTH: services.zookeeperAuth } : {}), ZK_ROOT: `/test/${suite}`, LOG_LEVEL: 'warn' };
  options = { baseEnv: env, image: config.dockerImage, socketPath: config.dockerSocket, network: 'host', deployment, logDir, log };
});

afterAll(async () => {
  for (const rt of runtimes) await rt.close(5000).catch(() => undefined);
  for (const c of await containersOf()) await docker.getContainer(c.Id).remove({ force: true });
  if (services?.rabbitmq) await services.rabbitmq.deleteVhost(suite);
  await services?.stop();
  fs.rmSync(logDir, { recursive: true, force: true });
});

test('a started worker is a labelled running container whose State.Pid is the handle PID', async () => {
  const rt = await runtime();
  const h = await rt.start('a1', {});
  const [info] = await containersOf('a1');
  expect(info.Labels).toMatchObject({ [LABELS.deployment]: deployment, [LABELS.role]: 'worker', [LABELS.workerId]: 'a1' });
  const inspected = await docker.getContainer(info.Id).inspect();
  expect(inspected.State.Running).toBe(true);
  expect(h.pid).toBe(inspected.State.Pid);
  expect(rt.list().map((x) => x.pid)).toEqual([h.pid]);

  // A kill is seen from Docker's event stream as an exit by SIGKILL, and the container is removed, its log kept.
  const exit = nextExit(rt, 'a1');
  await rt.signal('a1', 'SIGKILL');
  expect(await exit).toMatchObject({ id: 'a1', pid: h.pid, code: 137, signal: 'SIGKILL' });
  expect(rt.list()).toEqual([]);
  await expect(rt.signal('a1', 'SIGKILL')).rejects.toThrow(/no running worker/);
  await waitUntil('the killed container to be removed', async () => (await containersOf('a1')).length === 0, 30000);
  expect(fs.existsSync(path.join(logDir, 'a1.log'))).toBe(true);
});

test('a graceful stop lets the worker exit on SIGTERM by itself; a SIGSTOP-paused worker still counts as running', async () => {
  const rt = await runtime();
  const h = await rt.start('b1', { LOG_LEVEL: 'info' });
  // Until its SIGTERM handler is installed (tsx is still loading) SIGTERM would simply kill the worker, and a worker
  // stopped in the middle of an election may exit with an error: wait until it settled in a role.
  const [info] = await containersOf('b1');
  const logs = async () => String(await docker.getContainer(info.Id).logs({ stdout: true, stderr: true }));
  await waitUntil('the worker in b1 to have started', async () => /master ready|serving reads/.test(await logs()), 60000, 200);
  await rt.signal('b1', 'SIGSTOP');
  expect(rt.list().map((x) => x.pid)).toEqual([h.pid]);
  await rt.signal('b1', 'SIGCONT');
  const exit = nextExit(rt, 'b1');
  await rt.stop('b1', 20000);
  expect(await exit).toMatchObject({ id: 'b1', code: 0, signal: null });
  expect(await containersOf('b1')).toEqual([]);
});

test('a new runtime of the same deployment removes the worker containers an earlier one left', async () => {
  const first = await runtime();
  await first.start('c1', {});
  expect(await containersOf('c1')).toHaveLength(1);
  await runtime();
  expect(await containersOf('c1')).toEqual([]);
});

test('close stops every worker and leaves no container of the deployment', async () => {
  const rt = await runtime();
  await Promise.all([rt.start('d1', {}), rt.start('d2', {})]);
  await rt.close(5000);
  expect(rt.list()).toEqual([]);
  expect(await containersOf()).toEqual([]);
});
