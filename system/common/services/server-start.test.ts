import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RABBITMQ_FATAL, ZOOKEEPER_FATAL, decisiveReason, watchStart } from './server-start';

// Outputs recorded from RabbitMQ 3.10.8 and ZooKeeper 3.8.0 (Debian 12) failing to start.
const RABBITMQ_PRIVATE_PARENT = `
  Starting broker...
2026-11-30 05:20:05.471349+00:00 [error] <0.223.0>
2026-11-30 05:20:05.471349+00:00 [error] <0.223.0> BOOT FAILED
BOOT FAILED
===========
Error during startup: {error,failed_to_create_feature_flags_file_directory}

2026-11-30 05:20:05.471349+00:00 [error] <0.223.0> Error during startup: {error,failed_to_create_feature_flags_file_directory}
`;

const RABBITMQ_PORT_TAKEN = `
  Starting broker...
BOOT FAILED
===========
Error during startup: {error,
                       {could_not_start_listener,"127.0.0.1",5690,
                        {{shutdown,
                          {failed_to_start_child,
                           {ranch_embedded_sup,{acceptor,{127,0,0,1},5690}}}}}}}

init terminating in do_boot ({error,{could_not_start_listener,127.0.0.1,5690,{{shutdown,{_}}}}})
`;

const ZOOKEEPER_PORT_TAKEN = `[main] INFO org.apache.zookeeper.server.ServerCnxnFactory - Using org.apache.zookeeper.server.NIOServerCnxnFactory
[main] ERROR org.apache.zookeeper.server.ZooKeeperServerMain - Unexpected exception, exiting abnormally
java.net.BindException: Address already in use
	at java.base/sun.nio.ch.Net.bind0(Native Method)
[main] ERROR org.apache.zookeeper.util.ServiceUtils - Exiting JVM with code 1
`;

describe('decisiveReason', () => {
  it("quotes RabbitMQ's startup error, on one line", () => {
    expect(decisiveReason(RABBITMQ_PRIVATE_PARENT, RABBITMQ_FATAL)).toBe(
      'Error during startup: {error,failed_to_create_feature_flags_file_directory}',
    );
    expect(decisiveReason(RABBITMQ_PORT_TAKEN, RABBITMQ_FATAL)).toMatch(
      /^Error during startup: \{error, \{could_not_start_listener,"127\.0\.0\.1",5690, .*\}\}\}\}\}\}\}$/,
    );
  });

  it("quotes ZooKeeper's ERROR line with the exception below it", () => {
    expect(decisiveReason(ZOOKEEPER_PORT_TAKEN, ZOOKEEPER_FATAL)).toBe(
      '[main] ERROR org.apache.zookeeper.server.ZooKeeperServerMain - Unexpected exception, exiting abnormally java.net.BindException: Address already in use',
    );
  });

  it('finds nothing in the output of a healthy start', () => {
    const healthy =
      '  Starting broker...\n completed with 0 plugins.\n[main] INFO org.apache.zookeeper.server.ZooKeeperServer - started\n' +
      // Logged when a client probes ZooKeeper before its database is loaded; the server goes on.
      '[NIOWorkerThread-1] ERROR org.apache.zookeeper.server.ServerCnxn - Error closing a command socket\n' +
      'java.lang.NullPointerException: Cannot invoke "org.apache.zookeeper.server.ZKDatabase.removeCnxn" because "this.zkDb" is null\n';
    expect(decisiveReason(healthy, RABBITMQ_FATAL)).toBeUndefined();
    expect(decisiveReason(healthy, ZOOKEEPER_FATAL)).toBeUndefined();
  });
});

describe('watchStart', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watch-start-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // A stand-in server (a shell script) that writes a fatal line and lingers, as RabbitMQ does while it dumps its crash.
  const server = (script: string) => {
    const outputFile = path.join(dir, `out-${Math.random()}`);
    const out = fs.openSync(outputFile, 'w');
    const child = spawn('sh', ['-c', script], { stdio: ['ignore', out, out], detached: true });
    fs.closeSync(out);
    return { child, outputFile };
  };

  it('fails as soon as the server logs a fatal error, quoting it, and kills the server', async () => {
    const { child, outputFile } = server('sleep 0.2; echo "Error during startup: {error,eaccess}"; echo; sleep 30');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const started = Date.now();
    await expect(
      watchStart({ what: 'X', child, outputFile, fatal: RABBITMQ_FATAL, ready: async () => false, timeoutMs: 20000, everyMs: 50 }),
    ).rejects.toThrow(/X could not start: Error during startup: \{error,eaccess\}/);
    expect(Date.now() - started).toBeLessThan(5000);
    await exited;
  });

  it('fails when the server exits without a known reason', async () => {
    const { child, outputFile } = server('echo starting; exit 3');
    await expect(
      watchStart({ what: 'X', child, outputFile, fatal: RABBITMQ_FATAL, ready: async () => false, timeoutMs: 20000, everyMs: 50 }),
    ).rejects.toThrow(/exited with code 3/);
  });

  it('resolves once ready, whatever the output says later', async () => {
    const { child, outputFile } = server('sleep 30');
    let probes = 0;
    await watchStart({ what: 'X', child, outputFile, fatal: RABBITMQ_FATAL, ready: async () => ++probes >= 3, timeoutMs: 20000, everyMs: 10 });
    expect(probes).toBe(3);
    process.kill(-child.pid!, 'SIGKILL');
  });
});
