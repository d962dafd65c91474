import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ServiceSetupError } from '../errors/errors';
import type { Logger } from '../logging/logger';
import { ensureDebianPackage, hasExecutable } from './system-packages';
import { isPortOpen, sleep, waitUntil } from './wait-for';

const run = promisify(execFile);

export interface LocalRabbitMqOptions {
  /** AMQP port on 127.0.0.1. Default 5672. */
  port: number;
  /** Directory for the broker's database and logs. */
  dataDir: string;
  autoInstall: boolean;
  /** How long to wait for the broker to accept connections. Default 60000. */
  startTimeoutMs?: number;
  log: Logger;
}

/*
 * A RabbitMQ server from Debian's package, run on loopback with its own node name and data directory, so that it
 * neither needs nor disturbs a system-wide broker. Debian's wrappers run the broker and its CLI as the `rabbitmq`
 * user, which is why the data directory is handed to that user.
 */
export class LocalRabbitMq {
  readonly nodeName: string;
  private readonly dir: string;

  constructor(private readonly options: LocalRabbitMqOptions) {
    this.nodeName = `dbaas${options.port}@localhost`;
    this.dir = path.join(options.dataDir, `rabbitmq-${options.port}`);
  }

  get port(): number {
    return this.options.port;
  }

  url(vhost = '/'): string {
    return `amqp://guest:guest@127.0.0.1:${this.options.port}/${encodeURIComponent(vhost)}`;
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      RABBITMQ_NODENAME: this.nodeName,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(this.options.port),
      RABBITMQ_DIST_PORT: String(this.options.port + 20000),
      RABBITMQ_MNESIA_BASE: path.join(this.dir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(this.dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(this.dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: path.join(this.dir, 'rabbitmq'),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
      ERL_EPMD_ADDRESS: '127.0.0.1',
    };
  }

  isRunning(): Promise<boolean> {
    return isPortOpen(this.options.port);
  }

  async start(): Promise<void> {
    ensureDebianPackage({
      pkg: 'rabbitmq-server',
      present: () => hasExecutable('rabbitmq-server') && hasExecutable('rabbitmqctl'),
      autoInstall: this.options.autoInstall,
      alternative: 'set RABBITMQ_URL to a running broker',
      log: this.options.log,
    });
    fs.mkdirSync(path.join(this.dir, 'mnesia'), { recursive: true });
    fs.mkdirSync(path.join(this.dir, 'log'), { recursive: true });
    fs.writeFileSync(path.join(this.dir, 'enabled_plugins'), '[].\n');
    fs.writeFileSync(path.join(this.dir, 'rabbitmq.conf'), 'loopback_users.guest = true\n');
    if (process.getuid?.() === 0) await run('chown', ['-R', 'rabbitmq:rabbitmq', this.dir]);
    this.options.log.info({ port: this.options.port, dir: this.dir }, 'starting local RabbitMQ');
    const out = fs.openSync(path.join(this.dir, 'server.out'), 'a');
    const child = spawn('rabbitmq-server', [], { env: this.env(), stdio: ['ignore', out, out], detached: true });
    child.unref();
    fs.closeSync(out);
    let exited = false;
    child.once('exit', () => (exited = true));
    await waitUntil(
      `RabbitMQ on 127.0.0.1:${this.options.port}`,
      async () => {
        if (exited) throw new ServiceSetupError(`rabbitmq-server exited during start; see ${path.join(this.dir, 'server.out')}`);
        return this.isRunning();
      },
      this.options.startTimeoutMs ?? 60000,
      200,
    ).catch((err) => {
      throw err instanceof ServiceSetupError ? err : new ServiceSetupError(`${(err as Error).message}; see ${this.dir}/log`);
    });
    await this.ctl(['await_startup']);
  }

  /** Stops the broker gracefully; returns once its port is closed. */
  async stop(): Promise<void> {
    if (!(await this.isRunning())) return;
    this.options.log.info({ port: this.options.port }, 'stopping local RabbitMQ');
    await this.ctl(['stop']).catch(() => undefined);
    await waitUntil('RabbitMQ to stop', async () => !(await this.isRunning()), 30000, 200);
    // The Erlang VM may keep the node name registered for a moment after the port closes.
    await sleep(300);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async ctl(args: string[]): Promise<string> {
    const { stdout } = await run('rabbitmqctl', ['-n', this.nodeName, ...args], { env: this.env(), timeout: 60000 });
    return stdout;
  }

  /** Creates a vhost that guest may use fully (test isolation: one vhost per suite). */
  async addVhost(vhost: string): Promise<void> {
    await this.ctl(['add_vhost', vhost]);
    await this.ctl(['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
  }

  async deleteVhost(vhost: string): Promise<void> {
    await this.ctl(['delete_vhost', vhost]).catch(() => undefined);
  }
}
