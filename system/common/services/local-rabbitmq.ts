import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { ServiceSetupError } from '../errors/errors';
import type { Logger } from '../logging/logger';
import { describeHolder } from './port-owner';
import { RABBITMQ_FATAL, watchStart } from './server-start';
import { assertOwnsPort, ownsPort, type OwnedServer } from './server-ownership';
import { ensureDebianPackage } from './system-packages';
import { BROKER_ROLES, BROKER_USERS, type BrokerRole } from './broker-users';
import { loadOrCreateSecrets, randomPassword } from './secret-file';
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

  /** The AMQP URL of one part's user on a vhost (see broker-users.ts for what each may do). */
  url(vhost: string, role: BrokerRole): string {
    const password = this.credentials()[role];
    return `amqp://${BROKER_USERS[role].name}:${password}@127.0.0.1:${this.options.port}/${encodeURIComponent(vhost)}`;
  }

  /** The users' passwords, generated on first use and kept in the server's directory, mode 0600. */
  get credentialsFile(): string {
    return path.join(this.dir, 'credentials.json');
  }

  credentials(): Record<BrokerRole, string> {
    return loadOrCreateSecrets(
      this.credentialsFile,
      () => ({ orchestrator: randomPassword(), worker: randomPassword(), admin: randomPassword() }),
      (v): v is Record<BrokerRole, string> =>
        typeof v === 'object' && v !== null && BROKER_ROLES.every((r) => typeof (v as Record<string, unknown>)[r] === 'string' && /^[\w-]{16,}$/.test((v as Record<string, string>)[r])),
    );
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
    if (await this.isRunning()) {
      this.assertPortUsable();
      return this.provision();
    }
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
    // A new broker's first user is the admin, not guest (an older broker's guest is deleted by provision()).
    const conf = path.join(this.dir, 'rabbitmq.conf');
    fs.writeFileSync(
      conf,
      [
        'loopback_users.guest = true',
        `default_user = ${BROKER_USERS.admin.name}`,
        `default_pass = ${this.credentials().admin}`,
        'default_user_tags.administrator = true',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    fs.chmodSync(conf, 0o600);
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
      // Ready means our broker listens: a port taken by another program in the meantime must not pass for it (the
      // broker then logs its bind error, which ends the wait).
      ready: async () => (await this.isRunning()) && this.isOurs(),
      timeoutMs: this.options.startTimeoutMs,
      hint: `its files are in ${this.dir}`,
    });
    await this.ctl(['await_startup']);
    await this.provision();
  }

  /**
   * Makes the broker's users what credentials.json and broker-users.ts say, idempotently: the three users with their
   * passwords and their permissions on the default vhost (updated when they differ), and no `guest`. Run at every
   * start and whenever a running broker is reused, so that a broker of an older checkout is brought up to date.
   */
  async provision(): Promise<void> {
    const passwords = this.credentials();
    await this.importDefinitions({
      users: BROKER_ROLES.map((r) => ({ name: BROKER_USERS[r].name, password: passwords[r], tags: BROKER_USERS[r].tags })),
      permissions: this.permissions('/'),
    });
    await Promise.all(BROKER_ROLES.map((r) => this.awaitLogin('/', r)));
    if (await canLogin(`amqp://guest:guest@127.0.0.1:${this.options.port}/`)) {
      this.options.log.info({ port: this.options.port }, 'deleting the guest user of the local RabbitMQ');
      await this.ctl(['delete_user', 'guest']);
    }
  }

  private permissions(vhost: string) {
    return BROKER_ROLES.map((r) => {
      const { name, configure, write, read } = BROKER_USERS[r];
      return { user: name, vhost, configure, write, read };
    });
  }

  /** One rabbitmqctl call for many changes (each call boots an Erlang VM: about a second). */
  private async importDefinitions(definitions: Record<string, unknown>): Promise<void> {
    // The file holds passwords: readable by us only, and gone once imported.
    const file = path.join(this.dir, `definitions.${process.pid}.${Date.now()}.json`);
    fs.writeFileSync(file, JSON.stringify(definitions), { mode: 0o600 });
    try {
      await this.ctl(['import_definitions', file]);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }

  /** rabbitmqctl's import may complete after it returns: wait until the user can log in to the vhost. */
  private async awaitLogin(vhost: string, role: BrokerRole): Promise<void> {
    await waitUntil(`${BROKER_USERS[role].name} to log in to RabbitMQ vhost ${vhost}`, () => canLogin(this.url(vhost, role)), 15000, 100);
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

  /** Creates a vhost on which each part's user has the same rights as on the default one (test isolation). */
  async addVhost(vhost: string): Promise<void> {
    await this.importDefinitions({ vhosts: [{ name: vhost }], permissions: this.permissions(vhost) });
    await this.awaitLogin(vhost, 'admin');
  }

  async deleteVhost(vhost: string): Promise<void> {
    await this.ctl(['delete_vhost', vhost]).catch(() => undefined);
  }
}

/** True when the broker accepts a connection with this URL (its user exists, its password is right, its vhost is open to it). */
async function canLogin(url: string): Promise<boolean> {
  try {
    const connection = await amqp.connect(url);
    await connection.close().catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}
