import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/config';
import { createLogger } from '../logging/logger';
import { LocalRabbitMq } from './local-rabbitmq';
import { LocalZookeeper } from './local-zookeeper';
import { isPortOpen } from '../net/ports';

/*
 * The project's own RabbitMQ and ZooKeeper, started where a newcomer's checkout may be: below a directory only its
 * owner may enter (a home directory, /root, mktemp -d). Debian's wrappers would run the broker as the `rabbitmq` user,
 * which cannot get there; these servers must start anyway, and a server that cannot start must say why at once.
 */

const config = loadConfig();
const log = createLogger('test-services', 'warn');

/**
 * A port whose Erlang distribution port (+20000) is free too, both below Linux's ephemeral range (32768 and up), so
 * that no server listening on port 0 and no outgoing connection takes either between this check and the start.
 */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 10000 + Math.floor(Math.random() * 2700);
    if (!(await isPortOpen(port)) && !(await isPortOpen(port + 20000))) return port;
  }
  throw new Error('no free port pair found');
}

function listenOn(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('local services in a private directory', () => {
  const privateRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dbaas-private-'));
  const dataDir = path.join(privateRoot, 'clone', '.data', 'services');
  beforeAll(() => fs.chmodSync(privateRoot, 0o700));
  afterAll(() => fs.rmSync(privateRoot, { recursive: true, force: true }));

  const rabbitmq = (port: number) =>
    new LocalRabbitMq({ port, dataDir, binDir: config.localRabbitmqBinDir, autoInstall: false, startTimeoutMs: 60000, log });
  const zookeeper = (port: number) =>
    new LocalZookeeper({
      port,
      dataDir,
      classPath: config.localZookeeperClasspath,
      tickMs: 200,
      maxSessionMs: 30000,
      autoInstall: false,
      startTimeoutMs: 30000,
      log,
    });

  it('starts and stops RabbitMQ and ZooKeeper below a 0700 directory', async () => {
    expect(fs.statSync(privateRoot).mode & 0o777).toBe(0o700);
    const broker = rabbitmq(await freePortPair());
    const zk = zookeeper(await freePortPair());
    try {
      await Promise.all([broker.start(), zk.start()]);
      expect(await broker.isRunning()).toBe(true);
      expect(broker.isOurs()).toBe(true);
      expect(await broker.ctl(['list_vhosts'])).toContain('/');
      // A new broker never has guest: its first user is the admin, then the other parts' users are added.
      const users = await broker.ctl(['list_users']);
      expect(users).not.toMatch(/^guest\b/m);
      for (const user of ['dbaas-admin', 'dbaas-orchestrator', 'dbaas-worker']) expect(users).toMatch(new RegExp(`^${user}\\b`, 'm'));
      for (const file of [broker.credentialsFile, zk.credentialsFile]) expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(await zk.isRunning()).toBe(true);
      expect(zk.isOurs()).toBe(true);
      // A second start finds this project's server already running and leaves it be.
      await broker.start();
      await zk.start();
    } finally {
      await Promise.allSettled([broker.stop(), zk.stop()]);
    }
    expect(await broker.isRunning()).toBe(false);
    expect(await zk.isRunning()).toBe(false);
  });

  it("reports a broker that cannot boot within 10 s, quoting the reason from the broker's log", async () => {
    const broker = rabbitmq(await freePortPair());
    // A directory where the broker keeps its feature-flags file: the broker refuses to boot, as with a private parent.
    fs.mkdirSync(path.join(broker.dir, 'mnesia', `${broker.nodeName}-feature_flags`, 'x'), { recursive: true });
    const started = Date.now();
    const err = (await broker.start().catch((e: unknown) => e)) as Error;
    const took = Date.now() - started;
    expect(err.message).toMatch(/could not start: .*feature_flags_file.*eisdir/);
    expect(err.message).toContain(broker.dir);
    expect(took).toBeLessThan(10000);
    expect(await broker.isRunning()).toBe(false);
  });

  it('names the program that holds a port and the variable that picks another', async () => {
    const amqpPort = await freePortPair();
    const zkPort = await freePortPair();
    const holders = [await listenOn(amqpPort), await listenOn(zkPort)];
    try {
      const holder = new RegExp(`held by .*node.* \\(pid ${process.pid}\\)`);
      await expect(rabbitmq(amqpPort).start()).rejects.toThrow(holder);
      await expect(rabbitmq(amqpPort).start()).rejects.toThrow(/set LOCAL_RABBITMQ_PORT to a free port, or RABBITMQ_URL/);
      await expect(zookeeper(zkPort).start()).rejects.toThrow(holder);
      await expect(zookeeper(zkPort).start()).rejects.toThrow(/set LOCAL_ZOOKEEPER_PORT to a free port, or ZOOKEEPER_CONNECT/);
    } finally {
      for (const h of holders) h.close();
    }
  });

  it("reports a ZooKeeper that cannot start, quoting its exception", async () => {
    const zk = zookeeper(await freePortPair());
    // A damaged data directory: a transaction log without any snapshot, which ZooKeeper refuses to load.
    const logs = path.join(zk.dir, 'data', 'version-2');
    fs.mkdirSync(logs, { recursive: true });
    fs.writeFileSync(path.join(logs, 'log.1'), Buffer.alloc(4096, 7));
    const started = Date.now();
    const err = (await zk.start().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/ZooKeeper on 127\.0\.0\.1:\d+ could not start: .*ERROR.*IOException: No snapshot found/);
    expect(Date.now() - started).toBeLessThan(10000);
  });
});
