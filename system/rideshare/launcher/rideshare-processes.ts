import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { configToEnv, type Config } from '../../common/config/config';
import type { Logger } from '../../common/logging/logger';
import { entryPoint } from '../../common/process/entry-point';
import { parseListeningLine } from '../common/listening-line';
import { PARENT_PID_ENV } from '../common/service-main';

export interface RideShareProcessesOptions {
  config: Config;
  /** The orchestrator just started (its real address, also when ORCHESTRATOR_PORT is 0). */
  orchestratorUrl: string;
  log: Logger;
  startTimeoutMs?: number;
}

export interface RideShareProcesses {
  gatewayUrl: string;
  usersUrl: string;
  ridesUrl: string;
  /** Stops the services (gateway first), each with SIGTERM, then SIGKILL after WORKER_STOP_TIMEOUT_MS. */
  stop(): Promise<void>;
}

interface Started {
  name: string;
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
  stopping: boolean;
}

/** Settings that carry the servers' credentials. */
const SERVER_CREDENTIALS = ['RABBITMQ_URL', 'RABBITMQ_WORKER_URL', 'ZOOKEEPER_AUTH'] as const;

const ROOT = path.resolve(__dirname, '../../..');
const entry = (name: string) => entryPoint(__dirname, `../${name}/main`, __filename);

/*
 * `npm start`'s RideShare part: the users, rides and gateway services, each its own process, started in that order
 * (each learns where the previous ones listen from their one line on stdout, so port 0 works too).
 */
export async function startRideShareProcesses(o: RideShareProcessesOptions): Promise<RideShareProcesses> {
  const started: Started[] = [];
  const stopAll = async () => {
    for (const s of [...started].reverse()) await stopOne(s, o.config.workerStopTimeoutMs);
  };
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, ...configToEnv(o.config), ORCHESTRATOR_URL: o.orchestratorUrl, [PARENT_PID_ENV]: String(process.pid) };
  // The services talk to the orchestrator over HTTP only: they get no broker or ZooKeeper credentials.
  for (const secret of SERVER_CREDENTIALS) delete baseEnv[secret];
  try {
    const users = await startOne('users', baseEnv, o);
    started.push(users);
    const rides = await startOne('rides', { ...baseEnv, USERS_URL: users.url }, o);
    started.push(rides);
    const gateway = await startOne('gateway', { ...baseEnv, USERS_URL: users.url, RIDES_URL: rides.url }, o);
    started.push(gateway);
    return { gatewayUrl: gateway.url, usersUrl: users.url, ridesUrl: rides.url, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function startOne(name: string, env: NodeJS.ProcessEnv, o: RideShareProcessesOptions): Promise<Started> {
  const child = spawn(process.execPath, [...entry(name).execArgv, entry(name).file], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise<Started>((resolve, reject) => {
    let buffered = '';
    let ready = false;
    const timer = setTimeout(() => fail(`did not start within ${o.startTimeoutMs ?? 30000} ms`), o.startTimeoutMs ?? 30000);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`rideshare ${name} service ${why}`));
    };
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n').slice(0, -1)) {
        const url = parseListeningLine(name, line);
        if (!url) continue;
        ready = true;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.pipe(process.stdout);
        const started: Started = { name, child, url, exited, stopping: false };
        child.once('exit', (code, signal) => !started.stopping && code !== 0 && o.log.error({ service: name, code, signal }, 'rideshare service exited'));
        return resolve(started);
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    };
    child.stdout!.on('data', onData);
    child.once('error', (err) => !ready && fail(`could not be started: ${err.message}`));
    child.once('exit', (code, signal) => !ready && fail(`exited before it listened (code ${code}, signal ${signal}); see its message above`));
  });
}

async function stopOne(s: Started, timeoutMs: number): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.stopping = true;
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), timeoutMs);
  await s.exited;
  clearTimeout(timer);
}
