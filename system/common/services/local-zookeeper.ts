import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logging/logger';
import { ZOOKEEPER_FATAL, watchStart } from './server-start';
import { assertOwnsPort, ownsPort, type OwnedServer } from './server-ownership';
import { ensureDebianPackage, hasExecutable } from './system-packages';
import { loadOrCreateSecrets, randomPassword } from './secret-file';
import { fourLetterWord } from '../zk/four-letter-word';
import { isAlive, readPidFile } from '../process/pid';
import { isPortOpen } from '../net/ports';
import { waitUntil } from '../time/wait-until';

export interface LocalZookeeperOptions {
  /** Client port on 127.0.0.1. */
  port: number;
  /** The directory under which this server keeps its files (`zookeeper-<port>/`). */
  dataDir: string;
  /** Java class path of the server: ZooKeeper's jar and one SLF4J binding, so that its errors reach its log. */
  classPath: string;
  /** ZooKeeper's tickTime. Sessions may last 2 to 20 ticks, so 200 ms allows sessions of about one second. */
  tickMs: number;
  /** Longest session the server grants. ZooKeeper's default is 20 ticks (4 s at 200 ms), too short for the
   * orchestrator's session to outlive a ZooKeeper restart. */
  maxSessionMs: number;
  autoInstall: boolean;
  startTimeoutMs: number;
  log: Logger;
}

/*
 * A standalone ZooKeeper server from Debian's jars, on loopback, with its own config and data directory, run as the
 * user who starts it. Its short tickTime is what lets sessions (and so failure detection) be about a second long.
 */
export class LocalZookeeper {
  /** Everything this server writes: config, snapshots, log, pid file. Deleting it (stopped) wipes the server. */
  readonly dir: string;
  private child: ChildProcess | undefined;

  constructor(private readonly options: LocalZookeeperOptions) {
    this.dir = path.join(options.dataDir, `zookeeper-${options.port}`);
  }

  get port(): number {
    return this.options.port;
  }

  get connectString(): string {
    return `127.0.0.1:${this.options.port}`;
  }

  /** The digest credentials of the project's znodes, generated on first use and kept beside the data, mode 0600. */
  get credentialsFile(): string {
    return path.join(this.dir, 'credentials.json');
  }

  /** `user:password` for ZOOKEEPER_AUTH: every znode under ZK_ROOT is writable with it only. */
  auth(): string {
    const c = loadOrCreateSecrets(
      this.credentialsFile,
      () => ({ user: 'dbaas', password: randomPassword() }),
      (v): v is { user: string; password: string } => {
        const o = v as { user?: unknown; password?: unknown } | null;
        return typeof o?.user === 'string' && /^[\w-]+$/.test(o.user) && typeof o.password === 'string' && /^[\w-]{16,}$/.test(o.password);
      },
    );
    return `${c.user}:${c.password}`;
  }

  private get pidFile(): string {
    return path.join(this.dir, 'server.pid');
  }

  private get outputFile(): string {
    return path.join(this.dir, 'server.out');
  }

  async isRunning(): Promise<boolean> {
    return (await fourLetterWord(this.options.port, 'srvr')).includes('Zookeeper version');
  }

  private get ownership(): OwnedServer {
    return { name: 'ZooKeeper', port: this.options.port, pidFile: this.pidFile, dir: this.dir, portSetting: 'LOCAL_ZOOKEEPER_PORT', externalSetting: 'ZOOKEEPER_CONNECT' };
  }

  /** True when what listens on the port is this server (started from this directory), not another program. */
  isOurs(): boolean {
    return ownsPort(this.ownership);
  }

  /** Fails with a clear message when the port is taken by something that is not this server. */
  assertPortUsable(): void {
    assertOwnsPort(this.ownership);
  }

  /** Starts the server; when it already runs (ours) there is nothing to do, when the port is another's it fails. */
  async start(): Promise<void> {
    if (await isPortOpen(this.options.port)) return this.assertPortUsable();
    const jars = this.options.classPath.split(':').filter((p) => !p.endsWith('*'));
    ensureDebianPackage({
      pkg: 'zookeeper',
      present: () => jars.every((jar) => fs.existsSync(jar)) && hasExecutable('java'),
      autoInstall: this.options.autoInstall,
      alternative: 'set ZOOKEEPER_CONNECT to a running server',
      log: this.options.log,
    });
    const data = path.join(this.dir, 'data');
    fs.mkdirSync(data, { recursive: true, mode: 0o700 });
    this.auth(); // the credentials exist from the first start on, beside the data they protect
    const cfg = path.join(this.dir, 'zoo.cfg');
    fs.writeFileSync(
      cfg,
      [
        `tickTime=${this.options.tickMs}`,
        `maxSessionTimeout=${Math.max(this.options.maxSessionMs, 20 * this.options.tickMs)}`,
        `dataDir=${data}`,
        `clientPort=${this.options.port}`,
        'clientPortAddress=127.0.0.1',
        'admin.enableServer=false',
        '4lw.commands.whitelist=srvr,ruok,mntr',
        'maxClientCnxns=0',
        '',
      ].join('\n'),
    );
    this.options.log.info({ port: this.options.port, dir: this.dir, tickMs: this.options.tickMs }, 'starting local ZooKeeper');
    const out = fs.openSync(this.outputFile, 'w');
    const child = spawn(
      'java',
      ['-Xmx256m', '-cp', this.options.classPath, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfg],
      { cwd: this.dir, stdio: ['ignore', out, out], detached: true },
    );
    fs.closeSync(out);
    child.unref();
    this.child = child;
    fs.writeFileSync(this.pidFile, String(child.pid));
    await watchStart({
      what: `ZooKeeper on 127.0.0.1:${this.options.port}`,
      child,
      outputFile: this.outputFile,
      fatal: ZOOKEEPER_FATAL,
      // Ready means our server answers: another ZooKeeper on the port must not pass for it.
      ready: async () => (await this.isRunning()) && this.isOurs(),
      timeoutMs: this.options.startTimeoutMs,
      hint: `its files are in ${this.dir}`,
    });
  }

  /** Stops the server; leaves a ZooKeeper that is not ours alone. */
  async stop(): Promise<void> {
    const pid = this.child?.pid ?? readPidFile(this.pidFile);
    if (pid === undefined || !isAlive(pid)) return;
    if ((await isPortOpen(this.options.port)) && !this.isOurs()) return;
    this.options.log.info({ port: this.options.port }, 'stopping local ZooKeeper');
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await waitUntil('ZooKeeper to stop', async () => !(await this.isRunning()) && !isAlive(pid), 15000, 100).catch(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    });
    this.child = undefined;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}
