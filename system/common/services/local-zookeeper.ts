import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ServiceSetupError } from '../errors/errors';
import type { Logger } from '../logging/logger';
import { ensureDebianPackage, hasExecutable } from './system-packages';
import { fourLetterWord, isAlive, waitUntil } from './wait-for';

const ZK_JAR = '/usr/share/java/zookeeper.jar';

export interface LocalZookeeperOptions {
  /** Client port on 127.0.0.1. Default 2181. */
  port: number;
  dataDir: string;
  /** ZooKeeper's tickTime. Sessions may last 2 to 20 ticks, so 200 ms allows sessions of about one second. */
  tickMs: number;
  /** Longest session the server grants. ZooKeeper's default is 20 ticks (4 s at 200 ms), too short for the
   * orchestrator's session to outlive a ZooKeeper restart. */
  maxSessionMs: number;
  autoInstall: boolean;
  startTimeoutMs?: number;
  log: Logger;
}

/*
 * A standalone ZooKeeper server from Debian's jars, on loopback, with its own config and data directory. Its short
 * tickTime is what lets sessions (and so failure detection) be about a second long.
 */
export class LocalZookeeper {
  private readonly dir: string;
  private child: ChildProcess | undefined;

  constructor(private readonly options: LocalZookeeperOptions) {
    this.dir = path.join(options.dataDir, `zookeeper-${options.port}`);
  }

  get connectString(): string {
    return `127.0.0.1:${this.options.port}`;
  }

  async isRunning(): Promise<boolean> {
    return (await fourLetterWord(this.options.port, 'srvr')).includes('Zookeeper version');
  }

  async start(): Promise<void> {
    ensureDebianPackage({
      pkg: 'zookeeper',
      present: () => fs.existsSync(ZK_JAR) && hasExecutable('java'),
      autoInstall: this.options.autoInstall,
      alternative: 'set ZOOKEEPER_CONNECT to a running server',
      log: this.options.log,
    });
    const data = path.join(this.dir, 'data');
    fs.mkdirSync(data, { recursive: true });
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
    const out = fs.openSync(path.join(this.dir, 'server.out'), 'a');
    const child = spawn(
      'java',
      ['-Xmx256m', '-cp', '/etc/zookeeper/conf:/usr/share/java/*', 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfg],
      { stdio: ['ignore', out, out], detached: true },
    );
    fs.closeSync(out);
    child.unref();
    this.child = child;
    let exited = false;
    child.once('exit', () => (exited = true));
    fs.writeFileSync(path.join(this.dir, 'server.pid'), String(child.pid));
    await waitUntil(
      `ZooKeeper on 127.0.0.1:${this.options.port}`,
      async () => {
        if (exited) throw new ServiceSetupError(`ZooKeeper exited during start; see ${path.join(this.dir, 'server.out')}`);
        return this.isRunning();
      },
      this.options.startTimeoutMs ?? 30000,
      100,
    );
  }

  async stop(): Promise<void> {
    const pid = this.child?.pid ?? readPid(path.join(this.dir, 'server.pid'));
    if (pid === undefined) return;
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

function readPid(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8'));
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}
