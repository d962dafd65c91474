import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ServiceSetupError } from '../errors/errors';
import type { Logger } from '../logging/logger';
import { describeHolder } from './port-owner';
import { RABBITMQ_FATAL, watchStart } from './server-start';
import { assertOwnsPort, ownsPort, type OwnedServer } from './server-ownership';
import { ensureDebianPackage } from './system-packages';
import { isAlive, readPidFile } from '../process/pid';
import { isPortOpen } from '../net/ports';
import { sleep } from '../time/sleep';
import { waitUntil } from '../time/wait-until';

const run = promisify(execFile);

export interface LocalRabbitMqOptions {
  /** AMQP port on 127.0.0.1. The Erlang distribution port is this + 20000. */
  port: number;
  /** The directory under which this server keeps its files (`rabbitmq-<port>/`). */
  dataDir: string;
  /** Where RabbitMQ's own scripts are (Debian: /usr/lib/rabbitmq/bin). */
  binDir: string;
  autoInstall: boolean;
  /** How long to wait for the broker to accept connections. */
  startTimeoutMs: number;
  log: Logger;
}

/*
 * A RabbitMQ server from Debian's package, run on loopback with its own node name and files, so that it neither
 * needs nor disturbs a system-wide broker. It runs as the user who starts it: Debian's wrapper in /usr/sbin would
 * switch to the `rabbitmq` user, which cannot enter a checkout under a private directory (a home directory, /root,
 * `mktemp -d`), so RabbitMQ's own scripts are called directly, with HOME pointing into the server's directory so that
 * its Erlang cookie is its own too.
 */
export class LocalRabbitMq {
  readonly nodeName: string;
  /** Everything this server writes: database, logs, cookie, pid file. Deleting it (stopped) wipes the broker. */
  readonly dir: string;

  constructor(private readonly options: LocalRabbitMqOptions) {
    this.nodeName = `dbaas${options.port}@localhost`;
    this.dir = path.join(options.dataDir, `rabbitmq-${options.port}`);
  }

  get port(): number {
    return this.options.port;
  }

  get distPort(): number {
    return this.options.port + 20000;
  }

  url(vhost = '/'): string {
    return `amqp://guest:guest@127.0.0.1:${this.options.port}/${encodeURIComponent(vhost)}`;
  }

  private get pidFile(): string {
    return path.join(this.dir, 'server.pid');
  }

  private get outputFile(): string {
    return path.join(this.dir, 'server.out');
  }

  private env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      HOME: path.join(this.dir, 'home'),
      RABBITMQ_NODENAME: this.nodeName,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(this.options.port),
      RABBITMQ_DIST_PORT: String(this.distPort),
      RABBITMQ_MNESIA_BASE: path.join(this.dir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(this.dir, 'log'),
      RABBITMQ_PID_FILE: this.pidFile,
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(this.dir, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: path.join(this.dir, 'rabbitmq'),
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
      ERL_EPMD_ADDRESS: '127.0.0.1',
    };
  }

  private script(name: 'rabbitmq-server' | 'rabbitmqctl'): string {
    return path.join(this.options.binDir, name);
  }

  isRunning(): Promise<boolean> {
    return isPortOpen(this.options.port);
  }

  private get ownership(): OwnedServer {
    return { name: 'RabbitMQ', port: this.options.port, pidFile: this.pidFile, dir: this.dir, portSetting: 'LOCAL_RABBITMQ_PORT', externalSetting: 'RABBITMQ_URL' };
  }

  /** True when what listens on the port is this server (started from this directory), not another program. */
  isOurs(): boolean {
    return ownsPort(this.ownership);
  }

  /** Fails with a clear message when the port is taken by something that is not this server. */
  assertPortUsable(): void {
    assertOwnsPort(this.ownership);
  }

  /** Starts the broker; when it already runs (ours) there is nothing to do, when the port is another's it fails. */
  async start(): Promise<void> {
    if (await this.isRunning()) return this.assertPortUsable();
    ensureDebianPackage({
      pkg: 'rabbitmq-server',
      present: () => fs.existsSync(this.script('rabbitmq-server')) && fs.existsSync(this.script('rabbitmqctl')),
      autoInstall: this.options.autoInstall,
      alternative: 'set RABBITMQ_URL to a running broker',
      log: this.options.log,
    });
    if (await isPortOpen(this.distPort)) {
      throw new ServiceSetupError(
        `RabbitMQ on 127.0.0.1:${this.options.port} could not start: its distribution port ${this.distPort} is ` +
          `${describeHolder(this.distPort)}; set LOCAL_RABBITMQ_PORT to another port (the distribution port is it + 20000)`,
      );
    }
    for (const sub of ['mnesia', 'log', 'home']) fs.mkdirSync(path.join(this.dir, sub), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(this.dir, 'enabled_plugins'), '[].\n');
    fs.writeFileSync(path.join(this.dir, 'rabbitmq.conf'), 'loopback_users.guest = true\n');
    fs.rmSync(this.pidFile, { force: true });
    this.options.log.info({ port: this.options.port, dir: this.dir }, 'starting local RabbitMQ');
    // The output file is truncated so that a failure of an earlier start is not read as this one's.
    const out = fs.openSync(this.outputFile, 'w');
    const child = spawn(this.script('rabbitmq-server'), [], {
      env: this.env(),
      cwd: this.dir,
      stdio: ['ignore', out, out],
      detached: true,
    });
    fs.closeSync(out);
    child.unref();
    await watchStart({
      what: `RabbitMQ on 127.0.0.1:${this.options.port}`,
      child,
      outputFile: this.outputFile,
      fatal: RABBITMQ_FATAL,
      ready: () => this.isRunning(),
      timeoutMs: this.options.startTimeoutMs,
      hint: `its files are in ${this.dir}`,
    });
    await this.ctl(['await_startup']);
  }

  /** Stops the broker gracefully; returns once its port is closed. Leaves a broker that is not ours alone. */
  async stop(): Promise<void> {
    if (!(await this.isRunning()) || !this.isOurs()) return;
    this.options.log.info({ port: this.options.port }, 'stopping local RabbitMQ');
    await this.ctl(['stop']).catch(() => {
      const pid = readPidFile(this.pidFile);
      if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGTERM');
    });
    await waitUntil('RabbitMQ to stop', async () => !(await this.isRunning()), 30000, 200);
    // The Erlang VM may keep the node name registered for a moment after the port closes.
    await sleep(300);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async ctl(args: string[]): Promise<string> {
    const { stdout } = await run(this.script('rabbitmqctl'), ['-n', this.nodeName, ...args], {
      env: this.env(),
      cwd: this.dir,
      timeout: 60000,
    });
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
