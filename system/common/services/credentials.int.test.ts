import fs from 'node:fs';
import amqp, { type ChannelModel } from 'amqplib';
import zookeeper from 'node-zookeeper-client';
import { assertRequestQueues, assertSyncQueue } from '../amqp/amqp';
import { loadConfig } from '../config/config';
import { createLogger } from '../logging/logger';
import { QUEUES, REQUESTS_EXCHANGE } from '../protocol/messages';
import { localServices } from './ensure-services';
import { ZkClient, zkErrorName } from '../zk/zk-client';

/*
 * Least rights per part on the integration run's local broker: the orchestrator's user may publish requests through
 * the requests exchange and nothing else; it cannot append to syncQ. These would all pass with guest's rights, so
 * each refusal is checked next to an allowed operation of the same kind. And ZooKeeper's digest ACL: without
 * ZOOKEEPER_AUTH a client reads the project's znodes but cannot add one (a fake worker) nor change one.
 */

const { rabbitmq, zookeeper: localZk } = localServices(loadConfig(), createLogger('test', 'warn'));
const vhost = `creds-${process.pid}`;
const url = (role: 'orchestrator' | 'worker' | 'admin') => rabbitmq.url(vhost, role);
const connections: ChannelModel[] = [];

async function connect(role: 'orchestrator' | 'worker' | 'admin'): Promise<ChannelModel> {
  const c = await amqp.connect(url(role));
  connections.push(c);
  return c;
}

/** Publishes one message on a confirm channel: 'confirmed', or how the broker closed the channel. */
async function publishAs(role: 'orchestrator' | 'worker', exchange: string, routingKey: string): Promise<string> {
  const channel = await (await connect(role)).createConfirmChannel();
  return new Promise<string>((resolve) => {
    let error = '';
    channel.on('error', (err: Error) => (error = err.message));
    channel.on('close', () => resolve(`closed: ${error}`));
    channel.publish(exchange, routingKey, Buffer.from('{}'), { persistent: true }, (err) => {
      if (!err) resolve('confirmed');
    });
  });
}

/** Runs one channel operation: 'ok', or how the broker closed the channel. */
async function attempt(role: 'orchestrator' | 'worker', op: (ch: amqp.Channel) => Promise<unknown>): Promise<string> {
  const channel = await (await connect(role)).createChannel();
  let error = '';
  channel.on('error', (err: Error) => (error = err.message));
  return op(channel).then(
    () => 'ok',
    (err: Error) => `closed: ${error || err.message}`,
  );
}

beforeAll(async () => {
  await rabbitmq.addVhost(vhost);
  // The topology as workers declare it.
  const setup = await (await connect('worker')).createChannel();
  await assertRequestQueues(setup);
  await assertSyncQueue(setup, { maxBytes: 10_000_000, segmentBytes: 2_500_000 });
});

afterAll(async () => {
  for (const c of connections) await c.close().catch(() => undefined);
  await rabbitmq.deleteVhost(vhost);
});

test("the orchestrator's user cannot append to syncQ, nor publish through the default exchange", async () => {
  expect(await publishAs('orchestrator', '', QUEUES.sync)).toMatch(/ACCESS_REFUSED - access to exchange 'amq\.default' .*refused for user 'dbaas-orchestrator'/);
  expect(await publishAs('orchestrator', '', QUEUES.write)).toMatch(/ACCESS_REFUSED.*amq\.default/);
  // ...nor route its exchange to syncQ, nor declare syncQ.
  expect(await attempt('orchestrator', (ch) => ch.bindQueue(QUEUES.sync, REQUESTS_EXCHANGE, QUEUES.sync))).toMatch(/ACCESS_REFUSED.*syncQ/);
  expect(await attempt('orchestrator', (ch) => ch.assertQueue(QUEUES.sync, { durable: true, arguments: { 'x-queue-type': 'stream' } }))).toMatch(
    /ACCESS_REFUSED.*syncQ/,
  );
  // What it is there for: requests through the requests exchange reach writeQ.
  const admin = await (await connect('admin')).createChannel();
  await admin.purgeQueue(QUEUES.write);
  expect(await publishAs('orchestrator', REQUESTS_EXCHANGE, QUEUES.write)).toBe('confirmed');
  expect((await admin.checkQueue(QUEUES.write)).messageCount).toBe(1);
  expect(await attempt('orchestrator', (ch) => assertRequestQueues(ch))).toBe('ok');
});

test("the workers' user appends to syncQ and answers through the default exchange", async () => {
  expect(await publishAs('worker', '', QUEUES.sync)).toBe('confirmed');
  expect(await publishAs('worker', '', QUEUES.response)).toBe('confirmed');
  // A worker cannot consume the orchestrator's replies.
  expect(await attempt('worker', (ch) => ch.consume(QUEUES.response, () => undefined))).toMatch(/ACCESS_REFUSED.*responseQ/);
});

test('guest cannot log in to the local broker; the passwords are readable by their owner only', async () => {
  const port = loadConfig().localRabbitmqPort;
  await expect(amqp.connect(`amqp://guest:guest@127.0.0.1:${port}/`)).rejects.toThrow(/ACCESS_REFUSED|403/);
  await expect(amqp.connect(url('orchestrator').replace(/:[^:@/]+@/, ':wrong@'))).rejects.toThrow(/ACCESS_REFUSED|403/);
  expect(fs.statSync(rabbitmq.credentialsFile).mode & 0o777).toBe(0o600);
});

describe('ZooKeeper digest ACL', () => {
  const connect = process.env.TEST_ZOOKEEPER_CONNECT ?? localZk.connectString;
  const auth = localZk.auth();
  const base = `/test/creds-${process.pid}`;
  const clients: ZkClient[] = [];
  const raw: zookeeper.Client[] = [];

  async function zk(root: string, withAuth: boolean): Promise<ZkClient> {
    const c = new ZkClient({ connect, root, sessionTimeoutMs: 4000, ...(withAuth ? { auth } : {}) });
    clients.push(c);
    await c.connect();
    return c;
  }

  /** A client that knows no credentials, speaking to ZooKeeper directly (absolute paths). */
  async function stranger(): Promise<zookeeper.Client> {
    const c = zookeeper.createClient(connect, { sessionTimeout: 4000 });
    raw.push(c);
    await new Promise<void>((resolve) => {
      c.once('connected', () => resolve());
      c.connect();
    });
    return c;
  }

  const createAs = (c: zookeeper.Client, path: string) =>
    new Promise<string>((resolve) =>
      c.create(path, Buffer.from('{"pid":1}'), zookeeper.CreateMode.EPHEMERAL, (err) => resolve(err ? String(zkErrorName(err)) : 'created')),
    );
  const childrenAs = (c: zookeeper.Client, path: string) =>
    new Promise<string[]>((resolve, reject) => c.getChildren(path, (err, children) => (err ? reject(err) : resolve(children))));

  afterAll(async () => {
    for (const c of raw) c.close();
    try {
      const cleaner = await zk(base, true);
      const removeTree = async (path: string): Promise<void> => {
        for (const child of await cleaner.getChildren(path).catch(() => [])) await removeTree(`${path}/${child}`);
        await cleaner.remove(path);
      };
      await removeTree('');
    } finally {
      for (const c of clients) c.close();
    }
  });

  test('without the credentials a client reads the nodes but cannot add a worker nor change a node', async () => {
    const owner = await zk(`${base}/fresh`, true);
    await owner.mkdirp('/workers');
    await owner.create('/workers/real', { pid: 4242 }, 'ephemeral');
    const s = await stranger();
    expect(await createAs(s, `${base}/fresh/workers/fake`)).toBe('NO_AUTH');
    expect(await createAs(s, `${base}/fresh/master`)).toBe('NO_AUTH');
    expect(await childrenAs(s, `${base}/fresh/workers`)).toEqual(['real']);
    const changed = await new Promise<string>((resolve) =>
      s.setData(`${base}/fresh/workers/real`, Buffer.from('{"pid":1}'), -1, (err) => resolve(err ? String(zkErrorName(err)) : 'changed')),
    );
    expect(changed).toBe('NO_AUTH');
    // The owner's credentials may.
    await owner.create('/workers/another', { pid: 4343 }, 'ephemeral');
    expect((await owner.getChildren('/workers')).sort()).toEqual(['another', 'real']);
    expect(fs.statSync(localZk.credentialsFile).mode & 0o777).toBe(0o600);
  });

  test('a tree created without an ACL (older data) is secured when a client with the credentials connects', async () => {
    const old = await zk(`${base}/old`, false);
    await old.mkdirp('/workers');
    await old.create('/epoch', 3, 'persistent');
    const s = await stranger();
    expect(await createAs(s, `${base}/old/workers/before`)).toBe('created');
    await zk(`${base}/old`, true);
    expect(await createAs(s, `${base}/old/workers/after`)).toBe('NO_AUTH');
    expect(await createAs(s, `${base}/old/master`)).toBe('NO_AUTH');
    expect((await childrenAs(s, `${base}/old`)).sort()).toEqual(['epoch', 'workers']);
  });
});
