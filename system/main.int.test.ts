import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from './common/config/config';
import { createLogger } from './common/logging/logger';
import { localServices } from './common/services/ensure-services';
import { freePort } from './common/net/ports';
import { waitUntil } from './common/time/wait-until';
import { HttpClient } from '../harness/testing/http-client';

/*
 * `npm start` as a user runs it: the whole system comes up, prints where it listens, requires the token when one is
 * configured, and a SIGINT (Ctrl-C) stops every worker it started.
 */
test('npm start serves, enforces the token, and stops every worker on Ctrl-C', async () => {
  const port = await freePort();
  const root = path.resolve(__dirname, '..');
  // The run's servers, in a vhost of its own, and free ports: a user's own npm start may be running beside the tests.
  const vhost = `main-${process.pid}`;
  const { rabbitmq, zookeeper } = localServices(loadConfig(), createLogger('test', 'warn'));
  await rabbitmq.addVhost(vhost);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'system/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      RABBITMQ_URL: rabbitmq.url(vhost, 'orchestrator'),
      RABBITMQ_WORKER_URL: rabbitmq.url(vhost, 'worker'),
      ZOOKEEPER_CONNECT: process.env.TEST_ZOOKEEPER_CONNECT,
      ZOOKEEPER_AUTH: zookeeper.auth(),
      ORCHESTRATOR_PORT: String(port),
      GATEWAY_PORT: String(await freePort()),
      USERS_PORT: String(await freePort()),
      RIDES_PORT: String(await freePort()),
      ZK_ROOT: `/test/main-${process.pid}`,
      DATA_DIR: path.join(root, '.data', 'test', `main-${process.pid}`),
      DBAAS_TOKEN: 's3cret',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitUntil('npm start to print its address', async () => out.includes(`http://127.0.0.1:${port}`), 60000);
    const anonymous = new HttpClient(`http://127.0.0.1:${port}`);
    const authed = new HttpClient(`http://127.0.0.1:${port}`, 's3cret');
    expect((await anonymous.get('/healthz')).status).toBe(200);
    expect((await anonymous.get('/api/v1/worker/list')).status).toBe(401);
    expect((await new HttpClient(`http://127.0.0.1:${port}`, 'wrong').get('/api/v1/worker/list')).status).toBe(401);
    const list = await authed.get<number[]>('/api/v1/worker/list');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(2);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const pid of list.body) expect(() => process.kill(pid, 0)).toThrow();
  } finally {
    child.kill('SIGKILL');
    await rabbitmq.deleteVhost(vhost);
  }
});
