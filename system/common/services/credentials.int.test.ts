import fs from 'node:fs';
import amqp, { type ChannelModel } from 'amqplib';
import { assertRequestQueues, assertSyncQueue } from '../amqp/amqp';
import { loadConfig } from '../config/config';
import { createLogger } from '../logging/logger';
import { QUEUES, REQUESTS_EXCHANGE } from '../protocol/messages';
import { localServices } from './ensure-services';

/*
 * Least rights per part on the integration run's local broker: the orchestrator's user may publish requests through
 * the requests exchange and nothing else; it cannot append to syncQ. These would all pass with guest's rights, so
 * each refusal is checked next to an allowed operation of the same kind.
 */

const { rabbitmq } = localServices(loadConfig(), createLogger('test', 'warn'));
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
  await assertSyncQueue(setup, 10_000_000);
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
